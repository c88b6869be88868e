import { Module, type DynamicModule } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { HealthModule, MetricsModule, configModule, type Clock } from '@tributary/service-kit';
import type { RelayerSetup } from './chain/relayer-setup';
import { APP_CONFIG, type AppConfig } from './config/app-config';
import { DatabaseModule } from './database/database.module';
import { RelayerModule } from './relayer.module';

/** The verifier's service: health, metrics (tributary_verifier_*), its own database, the pipeline in the verifier role. */
@Module({})
export class VerifierAppModule {
  static forRoot(config: AppConfig, setup: RelayerSetup, clock?: Clock): DynamicModule {
    return {
      module: VerifierAppModule,
      imports: [
        configModule(APP_CONFIG, () => config),
        DatabaseModule,
        ScheduleModule.forRoot(),
        MetricsModule.forRoot('tributary_verifier'),
        HealthModule,
        RelayerModule.forRoot({ ...setup, role: 'verifier' }, clock),
      ],
    };
  }
}
