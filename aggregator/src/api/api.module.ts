import { Module } from '@nestjs/common';
import { LedgerModule } from '../ledger/ledger.module';
import { ReconciliationModule } from '../reconciliation/reconciliation.module';
import { AccountsController } from './accounts.controller';
import { AccountsService } from './accounts.service';
import { ChainsController } from './chains.controller';
import { ChainsService } from './chains.service';
import { ReconciliationController } from './reconciliation.controller';

@Module({
  imports: [LedgerModule, ReconciliationModule],
  controllers: [AccountsController, ChainsController, ReconciliationController],
  providers: [AccountsService, ChainsService],
})
export class ApiModule {}
