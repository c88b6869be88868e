import { Module } from '@nestjs/common';
import { LedgerModule } from '../ledger/ledger.module';
import { IndexerService } from './indexer.service';

@Module({
  imports: [LedgerModule],
  providers: [IndexerService],
  exports: [IndexerService],
})
export class IndexerModule {}
