import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Registry } from 'prom-client';
import { METRICS_REGISTRY, configureService } from '@tributary/service-kit';
import { AppModule } from '../../src/app.module';
import { Clock } from '@tributary/service-kit';
import { loadAppConfig } from '../../src/config/app-config';
import { CreditPusherService } from '../../src/credit/credit-pusher.service';
import { LeaderElection } from '../../src/credit/leader-election';
import { TradingChain } from '../../src/credit/trading-chain';
import { LiquidationKeeperService } from '../../src/liquidation/liquidation-keeper.service';
import { RiskReader } from '../../src/risk/risk-reader';
import type { FakeRiskReader } from './credit-fake-risk';
import { freshDatabase } from './database';
import { checkResponseSchemas } from './response-check';

/**
 * The aggregator with a fake RiskReader (what the credit pusher and the liquidation keeper read) on a fresh or
 * shared database. Nothing polls on its own (indexer, oracle, risk ticks, reconciliation, pushes, liquidation
 * rounds) unless the env sets an interval: the test drives `pusher.pushNow()` and `keeper.tick()`.
 */
export async function startCreditApp(risk: FakeRiskReader, env: Record<string, string>, existing?: Awaited<ReturnType<typeof freshDatabase>>) {
  const db = existing ?? (await freshDatabase());
  // Each instance its own env; the database (sql.js memory or the suite's PostgreSQL schema) from `db`.
  const own = loadAppConfig({
    LOG_LEVEL: 'silent',
    INDEXER_POLL_MS: '0',
    RECONCILE_INTERVAL_MS: '0',
    ORACLE_POLL_MS: '0',
    RISK_TICK_MS: '0',
    CREDIT_PUSH_INTERVAL_MS: '0',
    LIQUIDATION_INTERVAL_MS: '0',
    CREDIT_TX_POLL_MS: '20',
    ...env,
  });
  const config = { ...own, DATABASE_URL: db.config.DATABASE_URL, DATABASE_SCHEMA: db.config.DATABASE_SCHEMA, SQLJS_PATH: db.config.SQLJS_PATH };
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config)] })
    .overrideProvider(RiskReader)
    .useValue(risk)
    .compile();
  const app: INestApplication = configureService(moduleRef.createNestApplication({ logger: false }));
  checkResponseSchemas(app);
  await app.init();
  return {
    app,
    http: app.getHttpServer(),
    pusher: app.get(CreditPusherService),
    keeper: app.get(LiquidationKeeperService),
    leader: app.get(LeaderElection),
    chain: app.get(TradingChain),
    /** The clock of the pusher and the liquidation watch. */
    clock: app.get(Clock),
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
