import { Module, type DynamicModule } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { HealthModule, MetricsModule, configModule, type Clock } from '@tributary/service-kit';
import type { RelayerSetup } from './chain/chain-registry';
import { APP_CONFIG, loadAppConfig, type AppConfig } from './config/app-config';
import { DatabaseModule } from './database/database.module';
import { RelayerModule } from './relayer.module';

@Module({})
export class AppModule {
  /** Without `relayer` only the service shell (health, metrics, database) starts. */
  static forRoot(config?: AppConfig, relayer?: RelayerSetup, clock?: Clock): DynamicModule {
    return {
      module: AppModule,
      imports: [
        configModule(APP_CONFIG, () => config ?? loadAppConfig()),
        DatabaseModule,
        ScheduleModule.forRoot(),
        MetricsModule.forRoot('tributary_relayer'),
        HealthModule,
        ...(relayer ? [RelayerModule.forRoot(relayer, clock)] : []),
      ],
    };
  }
}
