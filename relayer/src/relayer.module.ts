import { Module, type DynamicModule } from '@nestjs/common';
import { Clock } from '@tributary/service-kit';
import { OperatorService } from './api/operator.service';
import { ApiKeyGuard } from './api/api-key.guard';
import { PacketsController } from './api/packets.controller';
import { PathwaysController } from './api/pathways.controller';
import { PathwaysService } from './api/pathways.service';
import { ChainRegistry, RELAYER_SETUP, type RelayerSetup } from './chain/chain-registry';
import { DatabaseModule } from './database/database.module';
import { METRICS_ROLE, RelayerMetrics } from './metrics/relayer-metrics';
import { SignerBalances } from './balances/signer-balances';
import { PacketProcessor } from './pipeline/packet-processor';
import { BatchSubmitter } from './pipeline/batch-submitter';
import { PipelineService } from './pipeline/pipeline.service';
import { RelayerRunner } from './pipeline/relayer-runner';
import { HeartbeatSender } from './pipeline/heartbeat-sender';
import { CursorRepository } from './store/cursor.repository';
import { PathwayStatsRepository } from './store/pathway-stats.repository';
import { PacketRepository } from './store/packet.repository';
import { ForgeryMonitor } from './verifier/forgery-monitor';
import { ChainWatcher } from './watcher/chain-watcher';

/**
 * The DVN + executor: chain watcher, packet store, stage processors, tx submitters, metrics (signer balances too),
 * operator API. With `role: 'verifier'` the same pieces run as an independent DVN (verify only) plus its forgery monitor.
 */
@Module({})
export class RelayerModule {
  static forRoot(setup: RelayerSetup, clock: Clock = new Clock()): DynamicModule {
    return {
      module: RelayerModule,
      imports: [DatabaseModule],
      controllers: [PacketsController, PathwaysController],
      providers: [
        { provide: RELAYER_SETUP, useValue: setup },
        { provide: Clock, useValue: clock },
        { provide: METRICS_ROLE, useValue: setup.role ?? 'relayer' },
        RelayerMetrics,
        ChainRegistry,
        PacketRepository,
        CursorRepository,
        ChainWatcher,
        PacketProcessor,
        BatchSubmitter,
        PipelineService,
        RelayerRunner,
        HeartbeatSender,
        OperatorService,
        ApiKeyGuard,
        SignerBalances,
        PathwayStatsRepository,
        PathwaysService,
        ...(setup.role === 'verifier' ? [ForgeryMonitor] : []),
      ],
      exports: [PipelineService, ChainWatcher, RelayerRunner, PacketRepository, ChainRegistry, RelayerMetrics, SignerBalances, HeartbeatSender],
    };
  }
}
