import { Module } from '@nestjs/common';
import { CreditModule } from '../credit/credit.module';
import { OracleModule } from '../oracle/oracle.module';
import { RiskModule } from '../risk/risk.module';
import { LiquidationRateLimiter } from './liquidation-rate-limiter.service';
import { LiquidationWatchService } from './liquidation-watch.service';

/** The liquidation watch: accounts with health < 1, and PerpMarket.liquidate once the pusher's mark landed. */
@Module({
  imports: [CreditModule, OracleModule, RiskModule],
  providers: [LiquidationWatchService, LiquidationRateLimiter],
  exports: [LiquidationWatchService, LiquidationRateLimiter],
})
export class LiquidationModule {}
