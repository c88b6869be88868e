import { Module } from '@nestjs/common';
import { NativeBalanceRepository } from '../chain/native-balance.repository';
import { RiskModule } from '../risk/risk.module';
import { ChainWeightMetrics } from './chain-weight-metrics';
import { RiskParamMetrics } from './risk-param-metrics';
import { NativeBalanceMetrics } from './native-balance-metrics';

/** Gauges operators alert on (see ops/prometheus/alerts.yml): native balances to fund, chain weights decaying. */
@Module({
  imports: [RiskModule],
  providers: [NativeBalanceRepository, NativeBalanceMetrics, ChainWeightMetrics, RiskParamMetrics],
  exports: [NativeBalanceMetrics],
})
export class OperatorMetricsModule {}
