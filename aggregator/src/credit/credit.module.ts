import { Module } from '@nestjs/common';
import { LedgerModule } from '../ledger/ledger.module';
import { RiskModule } from '../risk/risk.module';
import { CreditLedgerReader } from './credit-ledger.reader';
import { CreditPusherService } from './credit-pusher.service';
import { LeaderElection } from './leader-election';
import { StableFeedPoker } from './stable-feed-poker';
import { TradingChain } from './trading-chain';

/**
 * Credit push (leader only): the risk engine's limits and marks to the CreditManager, and the pokes of the hub's
 * stable price feeds. Also provides what the
 * liquidation watch shares with it: the trading chain's signers, the leader election and the clock.
 */
@Module({
  imports: [RiskModule, LedgerModule],
  providers: [TradingChain, LeaderElection, CreditLedgerReader, CreditPusherService, StableFeedPoker],
  exports: [CreditPusherService, LeaderElection, TradingChain],
})
export class CreditModule {}
