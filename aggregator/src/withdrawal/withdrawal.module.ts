import { Module } from '@nestjs/common';
import { CreditModule } from '../credit/credit.module';
import { RiskModule } from '../risk/risk.module';
import { WithdrawableService } from './withdrawable.service';
import { WithdrawalDeciderService } from './withdrawal-decider.service';
import { WithdrawalLedgerReader } from './withdrawal-ledger.reader';

/** Two-key withdrawals, the aggregator's key: the decider (leader only) and what an account may withdraw now. */
@Module({
  imports: [CreditModule, RiskModule],
  providers: [WithdrawalLedgerReader, WithdrawalDeciderService, WithdrawableService],
  exports: [WithdrawalDeciderService, WithdrawableService],
})
export class WithdrawalModule {}
