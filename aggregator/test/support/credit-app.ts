import type { INestApplication } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { Test } from '@nestjs/testing';
import type { Registry } from 'prom-client';
import { METRICS_REGISTRY, MetricsModule, configModule, configureService } from '@tributary/service-kit';
import { APP_CONFIG, loadAppConfig } from '../../src/config/app-config';
import { CreditModule } from '../../src/credit/credit.module';
import { CreditPusherService } from '../../src/credit/credit-pusher.service';
import { LeaderElection } from '../../src/credit/leader-election';
import { TradingChain } from '../../src/credit/trading-chain';
import { DatabaseModule } from '../../src/database/database.module';
import { LedgerModule } from '../../src/ledger/ledger.module';
import { LiquidationWatchService } from '../../src/liquidation/liquidation-watch.service';
import { RegistryModule } from '../../src/registry/registry.module';
import { fakeRiskModule, type FakeRiskReader } from './credit-fake-risk';
import { freshDatabase } from './database';

/**
 * The credit side of the aggregator (database, registry, ledger, CreditModule with a fake RiskReader, HTTP),
 * without the indexer: pushes are driven by the test (`pusher.pushNow()`) unless the env sets an interval.
 */
export async function startCreditApp(risk: FakeRiskReader, env: Record<string, string>, existing?: Awaited<ReturnType<typeof freshDatabase>>) {
  const db = existing ?? (await freshDatabase());
  // Each instance its own env; the database (sql.js memory or the suite's PostgreSQL schema) from `db`.
  const own = loadAppConfig({ LOG_LEVEL: 'silent', INDEXER_POLL_MS: '0', RECONCILE_INTERVAL_MS: '0', CREDIT_PUSH_INTERVAL_MS: '0', LIQUIDATION_INTERVAL_MS: '0', CREDIT_TX_POLL_MS: '20', ...env });
  const config = { ...own, DATABASE_URL: db.config.DATABASE_URL, DATABASE_SCHEMA: db.config.DATABASE_SCHEMA, SQLJS_PATH: db.config.SQLJS_PATH };
  const moduleRef = await Test.createTestingModule({
    imports: [
      configModule(APP_CONFIG, () => config),
      DatabaseModule,
      ScheduleModule.forRoot(),
      MetricsModule.forRoot('tributary_aggregator'),
      RegistryModule,
      LedgerModule,
      CreditModule.forRoot([fakeRiskModule(risk)]),
    ],
  }).compile();
  const app: INestApplication = configureService(moduleRef.createNestApplication({ logger: false }));
  await app.init();
  return {
    app,
    http: app.getHttpServer(),
    pusher: app.get(CreditPusherService),
    watch: app.get(LiquidationWatchService),
    leader: app.get(LeaderElection),
    chain: app.get(TradingChain),
    metrics: app.get<Registry>(METRICS_REGISTRY),
    db,
    kind: db.kind,
    async close(options: { keepDatabase?: boolean } = {}): Promise<void> {
      await app.close();
      if (!options.keepDatabase) await db.drop();
    },
  };
}

export type CreditApp = Awaited<ReturnType<typeof startCreditApp>>;
