import { Module, type DynamicModule } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { HealthModule, MetricsModule, configModule } from '@tributary/service-kit';
import { ApiModule } from './api/api.module';
import { ChainModule } from './chain/chain.module';
import { APP_CONFIG, loadAppConfig, type AppConfig } from './config/app-config';
import { CreditModule } from './credit/credit.module';
import { DatabaseModule } from './database/database.module';
import { IndexerModule } from './indexer/indexer.module';
import { LedgerModule } from './ledger/ledger.module';
import { LiquidationModule } from './liquidation/liquidation.module';
import { OperatorMetricsModule } from './operator-metrics/operator-metrics.module';
import { OracleModule } from './oracle/oracle.module';
import { ReconciliationModule } from './reconciliation/reconciliation.module';
import { RiskModule } from './risk/risk.module';
import { WithdrawalModule } from './withdrawal/withdrawal.module';

@Module({})
export class AppModule {
  static forRoot(config?: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        configModule(APP_CONFIG, () => config ?? loadAppConfig()),
        DatabaseModule,
        ScheduleModule.forRoot(),
        MetricsModule.forRoot('tributary_aggregator'),
        HealthModule,
        ChainModule,
        LedgerModule,
        IndexerModule,
        ReconciliationModule,
        OracleModule,
        RiskModule,
        CreditModule,
        LiquidationModule,
        WithdrawalModule,
        OperatorMetricsModule,
        ApiModule,
      ],
    };
  }
}
