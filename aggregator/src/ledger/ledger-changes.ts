import { Injectable } from '@nestjs/common';
import { Subject, type Observable } from 'rxjs';

/** Accounts whose ledger rows changed in one committed transaction (ingest or reorg rollback). */
export interface LedgerChange {
  accounts: ReadonlySet<string>;
}

/** Announces committed ledger changes (the live risk engine reloads those accounts). Never emits inside a transaction. */
@Injectable()
export class LedgerChanges {
  private readonly subject = new Subject<LedgerChange>();

  get changes(): Observable<LedgerChange> {
    return this.subject.asObservable();
  }

  announce(accounts: ReadonlySet<string>): void {
    if (accounts.size) this.subject.next({ accounts });
  }
}
