import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { configureService } from '@tributary/service-kit';
import { setupDocs } from '../../src/api/docs';
import { AppModule } from '../../src/app.module';
import { IndexerService } from '../../src/indexer/indexer.service';
import { LedgerIngestor } from '../../src/ledger/ledger-ingestor';
import { LedgerQueryRepository } from '../../src/ledger/ledger-query.repository';
import { TypeormLedgerStore } from '../../src/ledger/typeorm-ledger.store';
import { ReconciliationService } from '../../src/reconciliation/reconciliation.service';
import { freshDatabase } from './database';
import { checkResponseSchemas } from './response-check';

/** The whole aggregator app (HTTP included) on a fresh database; indexing is driven by the test. */
export async function startAggregator(env: Record<string, string> = {}, existing?: Awaited<ReturnType<typeof freshDatabase>>) {
  const db = existing ?? (await freshDatabase(env));
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(db.config)] }).compile();
  const app: INestApplication = configureService(moduleRef.createNestApplication({ logger: false }));
  setupDocs(app);
  checkResponseSchemas(app);
  await app.init();
  return {
    app,
    http: app.getHttpServer(),
    indexer: app.get(IndexerService),
    ledger: app.get(LedgerQueryRepository),
    store: app.get(TypeormLedgerStore),
    ingestor: app.get(LedgerIngestor),
    reconciliation: app.get(ReconciliationService),
    kind: db.kind,
    db,
    async close(options: { keepDatabase?: boolean } = {}): Promise<void> {
      await app.close();
      if (!options.keepDatabase) await db.drop();
    },
  };
}

export type Aggregator = Awaited<ReturnType<typeof startAggregator>>;
