import { Module, type DynamicModule } from '@nestjs/common';
import { OperatorService } from './api/operator.service';
import { ApiKeyGuard } from './api/api-key.guard';
import { PacketsController } from './api/packets.controller';
import { ChainRegistry, RELAYER_SETUP, type RelayerSetup } from './chain/chain-registry';
import { Clock, SystemClock } from './core/clock';
import { DatabaseModule } from './database/database.module';
import { RelayerMetrics } from './metrics/relayer-metrics';
import { PacketProcessor } from './pipeline/packet-processor';
import { PipelineService } from './pipeline/pipeline.service';
import { RelayerRunner } from './pipeline/relayer-runner';
import { CursorRepository } from './store/cursor.repository';
import { PacketRepository } from './store/packet.repository';
import { ChainWatcher } from './watcher/chain-watcher';

/** The DVN + executor: chain watcher, packet store, stage processors, tx submitters, metrics, operator API. */
@Module({})
export class RelayerModule {
  static forRoot(setup: RelayerSetup, clock: Clock = new SystemClock()): DynamicModule {
    return {
      module: RelayerModule,
      imports: [DatabaseModule],
      controllers: [PacketsController],
      providers: [
        { provide: RELAYER_SETUP, useValue: setup },
        { provide: Clock, useValue: clock },
        RelayerMetrics,
        ChainRegistry,
        PacketRepository,
        CursorRepository,
        ChainWatcher,
        PacketProcessor,
        PipelineService,
        RelayerRunner,
        OperatorService,
        ApiKeyGuard,
      ],
      exports: [PipelineService, ChainWatcher, RelayerRunner, PacketRepository, ChainRegistry, RelayerMetrics],
    };
  }
}
