import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Clock, configureService } from '@tributary/service-kit';
import { AppModule } from '../../src/app.module';
import type { ChainRpcFactory } from '../../src/chain/chain-registry';
import { loadAppConfig } from '../../src/config/app-config';
import { SignerKeys } from '../../src/config/relayer-config.load';
import { parseConfig } from '@tributary/service-kit';
import { relayerConfigSchema, type RelayerConfigInput } from '../../src/config/relayer-config.schema';
import { ChainWatcher } from '../../src/watcher/chain-watcher';
import { PipelineService } from '../../src/pipeline/pipeline.service';
import { PacketRepository } from '../../src/store/packet.repository';
import { RelayerRunner } from '../../src/pipeline/relayer-runner';
import type { TestDatabase } from './database';

/** Real time plus an offset the test moves forward (skips backoff delays without sleeping). */
export class ShiftedClock extends Clock {
  offset = 0;
  override now(): number {
    return Date.now() + this.offset;
  }
}

export const TEST_API_KEY = 'test-operator-key-0123456789';

export interface RelayerApp {
  app: INestApplication;
  watcher: ChainWatcher;
  pipeline: PipelineService;
  packets: PacketRepository;
  runner: RelayerRunner;
  close(): Promise<void>;
}

/** The relayer service in-process (loops off unless autoStart), on `db`. */
export async function startRelayerApp(options: {
  config: RelayerConfigInput;
  keyEnv: Record<string, string>;
  db: TestDatabase;
  clock?: Clock;
  rpcFactory?: ChainRpcFactory;
  autoStart?: boolean;
  workerId?: string;
  /** 'verifier': the independent DVN (VERIFIER_PRIVATE_KEY_* from keyEnv, metrics tributary_verifier_*). */
  role?: 'relayer' | 'verifier';
}): Promise<RelayerApp> {
  const appConfig = loadAppConfig({ ...options.db.env, LOG_LEVEL: 'silent' });
  const config = parseConfig(relayerConfigSchema, options.config);
  const keys = SignerKeys.fromEnv(config, options.keyEnv, options.role === 'verifier' ? 'VERIFIER' : 'RELAYER');
  const setup = {
    config,
    role: options.role,
    keys,
    workerId: options.workerId ?? 'test-worker',
    autoStart: options.autoStart ?? false,
    apiKey: TEST_API_KEY,
    rpcFactory: options.rpcFactory,
  };
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(appConfig, setup, options.clock)] }).compile();
  const app = configureService(moduleRef.createNestApplication({ logger: false }));
  await app.init();
  return {
    app,
    watcher: app.get(ChainWatcher),
    pipeline: app.get(PipelineService),
    packets: app.get(PacketRepository),
    runner: app.get(RelayerRunner),
    close: () => app.close(),
  };
}
