import { Module } from '@nestjs/common';
import { LedgerIngestor } from './ledger-ingestor';
import { LedgerQueryRepository } from './ledger-query.repository';
import { TypeormLedgerStore } from './typeorm-ledger.store';

/**
 * The margin ledger. Import it to read the ledger (`LedgerQueryRepository`) or to write through the
 * indexer's unit of work (`TypeormLedgerStore` + `LedgerIngestor`).
 */
@Module({
  providers: [
    TypeormLedgerStore,
    LedgerQueryRepository,
    { provide: LedgerIngestor, inject: [TypeormLedgerStore], useFactory: (store: TypeormLedgerStore) => new LedgerIngestor(store) },
  ],
  exports: [TypeormLedgerStore, LedgerQueryRepository, LedgerIngestor],
})
export class LedgerModule {}
