import { Module } from '@nestjs/common';
import { CreditModule } from '../credit/credit.module';
import { RiskModule } from '../risk/risk.module';
import { LiquidationWatchService } from './liquidation-watch.service';

/** The liquidation watch: accounts with health < 1, and PerpMarket.liquidate once the pusher's mark landed. */
@Module({
  imports: [CreditModule, RiskModule],
  providers: [LiquidationWatchService],
  exports: [LiquidationWatchService],
})
export class LiquidationModule {}
