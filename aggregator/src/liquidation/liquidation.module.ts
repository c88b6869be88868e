import { Module } from '@nestjs/common';
import { CreditModule } from '../credit/credit.module';
import { OracleModule } from '../oracle/oracle.module';
import { RiskModule } from '../risk/risk.module';
import { LiquidationKeeperService } from './liquidation-keeper.service';
import { LiquidationLedgerRepository } from './liquidation-ledger.repository';
import { LiquidationLedgerService } from './liquidation-ledger.service';
import { LiquidationRateLimiter } from './liquidation-rate-limiter.service';
import { LiquidationRunRepository } from './liquidation-run.repository';

/**
 * Liquidations (docs/liquidation.md): the keeper that drives each run (leader only, progress in
 * `liquidation_run`), gated by the book-wide rate limit, and the liquidation ledger (liquidations, seizures,
 * lots, insurance fund, bad debt) the API and the metrics read.
 */
@Module({
  imports: [CreditModule, OracleModule, RiskModule],
  providers: [LiquidationKeeperService, LiquidationRunRepository, LiquidationLedgerRepository, LiquidationLedgerService, LiquidationRateLimiter],
  exports: [LiquidationKeeperService, LiquidationLedgerService, LiquidationRateLimiter],
})
export class LiquidationModule {}
