import { Module } from '@nestjs/common';
import { LedgerChanges } from './ledger-changes';
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
    LedgerChanges,
    {
      provide: LedgerIngestor,
      inject: [TypeormLedgerStore, LedgerChanges],
      useFactory: (store: TypeormLedgerStore, changes: LedgerChanges) =>
        new LedgerIngestor(store, (accounts, liveness, info) => changes.announce(accounts, liveness, info)),
    },
  ],
  exports: [TypeormLedgerStore, LedgerQueryRepository, LedgerIngestor, LedgerChanges],
})
export class LedgerModule {}
