import { Module } from '@nestjs/common';
import { CreditModule } from '../credit/credit.module';
import { LedgerModule } from '../ledger/ledger.module';
import { LiquidationModule } from '../liquidation/liquidation.module';
import { OracleModule } from '../oracle/oracle.module';
import { ReconciliationModule } from '../reconciliation/reconciliation.module';
import { RiskModule } from '../risk/risk.module';
import { WithdrawalModule } from '../withdrawal/withdrawal.module';
import { AccountEventsController } from './account-events.controller';
import { AccountEventsService } from './account-events.service';
import { AccountRiskController } from './account-risk.controller';
import { AccountsController } from './accounts.controller';
import { AccountsService } from './accounts.service';
import { ChainsController } from './chains.controller';
import { ChainsService } from './chains.service';
import { CreditController } from './credit.controller';
import { LiquidationController } from './liquidation.controller';
import { OracleController } from './oracle.controller';
import { PoolController } from './pool.controller';
import { PoolService } from './pool.service';
import { ReconciliationController } from './reconciliation.controller';
import { RiskApiService } from './risk-api.service';
import { RiskController } from './risk.controller';

/** Every HTTP route of the service (`/v1/…`); the feature modules have none of their own. */
@Module({
  imports: [LedgerModule, ReconciliationModule, OracleModule, RiskModule, CreditModule, LiquidationModule, WithdrawalModule],
  controllers: [
    AccountsController,
    AccountEventsController,
    AccountRiskController,
    ChainsController,
    CreditController,
    LiquidationController,
    OracleController,
    PoolController,
    ReconciliationController,
    RiskController,
  ],
  providers: [AccountsService, AccountEventsService, ChainsService, PoolService, RiskApiService],
})
export class ApiModule {}
