import { Module } from '@nestjs/common';
import { LedgerModule } from '../ledger/ledger.module';
import { ChainClients } from './chain-client';
import { IndexerService } from './indexer.service';

@Module({
  imports: [LedgerModule],
  providers: [ChainClients, IndexerService],
  exports: [ChainClients, IndexerService],
})
export class IndexerModule {}
