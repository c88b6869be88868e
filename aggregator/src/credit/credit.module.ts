import { Module } from '@nestjs/common';
import { RiskModule } from '../risk/risk.module';
import { CreditLedgerReader } from './credit-ledger.reader';
import { CreditPusherService } from './credit-pusher.service';
import { LeaderElection } from './leader-election';
import { TradingChain } from './trading-chain';

/**
 * Credit push (leader only): the risk engine's limits and marks to the CreditManager. Also provides what the
 * liquidation watch shares with it: the trading chain's signers, the leader election and the clock.
 */
@Module({
  imports: [RiskModule],
  providers: [TradingChain, LeaderElection, CreditLedgerReader, CreditPusherService],
  exports: [CreditPusherService, LeaderElection, TradingChain],
})
export class CreditModule {}
