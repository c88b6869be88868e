import { Module } from '@nestjs/common';
import { Clock } from '../common/clock';
import { RiskModule } from '../risk/risk.module';
import { ChainWeightMetrics } from './chain-weight-metrics';
import { NativeBalanceMetrics } from './native-balance-metrics';
import { NativeBalanceRepository } from './native-balance.repository';

/** Gauges operators alert on (see ops/prometheus/alerts.yml): native balances to fund, chain weights decaying. */
@Module({
  imports: [RiskModule],
  providers: [Clock, NativeBalanceRepository, NativeBalanceMetrics, ChainWeightMetrics],
  exports: [NativeBalanceMetrics],
})
export class OperatorMetricsModule {}
