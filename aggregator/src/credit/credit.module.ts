import { Module, type DynamicModule, type ModuleMetadata } from '@nestjs/common';
import { Clock } from '@tributary/service-kit';
import { CreditController } from '../api/credit.controller';
import { LiquidationController } from '../api/liquidation.controller';
import { LedgerModule } from '../ledger/ledger.module';
import { LiquidationWatchService } from '../liquidation/liquidation-watch.service';
import { CreditLedgerReader } from './credit-ledger.reader';
import { CreditPusherService } from './credit-pusher.service';
import { LeaderElection } from './leader-election';
import { TradingChain } from './trading-chain';

/**
 * Credit push (leader only) and the liquidation watch, with their API. `riskImports` must provide
 * `RiskReader` (the app passes the RiskModule; tests may pass a module with a fake).
 */
@Module({})
export class CreditModule {
  static forRoot(riskImports: NonNullable<ModuleMetadata['imports']>): DynamicModule {
    return {
      module: CreditModule,
      imports: [LedgerModule, ...riskImports],
      controllers: [CreditController, LiquidationController],
      providers: [Clock, TradingChain, LeaderElection, CreditLedgerReader, CreditPusherService, LiquidationWatchService],
      exports: [CreditPusherService, LiquidationWatchService, LeaderElection, TradingChain],
    };
  }
}
