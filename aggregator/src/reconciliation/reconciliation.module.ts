import { Module } from '@nestjs/common';
import { Clock } from '@tributary/service-kit';
import { LedgerModule } from '../ledger/ledger.module';
import { ReconciliationService } from './reconciliation.service';

@Module({
  imports: [LedgerModule],
  providers: [ReconciliationService, Clock],
  exports: [ReconciliationService],
})
export class ReconciliationModule {}
