import { Injectable } from '@nestjs/common';
import { Subject, type Observable } from 'rxjs';

/** What one committed transaction (ingest or reorg rollback) changed in the ledger. */
export interface LedgerChange {
  /** Accounts whose ledger rows changed. */
  accounts: ReadonlySet<string>;
  /**
   * A collateral chain's last delivered message may have moved (chain_liveness): a delivery event was ingested
   * (a HEARTBEAT changes no account) or events were rolled back.
   */
  liveness: boolean;
}

/** Announces committed ledger changes (the live risk engine reloads those accounts). Never emits inside a transaction. */
@Injectable()
export class LedgerChanges {
  private readonly subject = new Subject<LedgerChange>();

  get changes(): Observable<LedgerChange> {
    return this.subject.asObservable();
  }

  announce(accounts: ReadonlySet<string>, liveness = false): void {
    if (accounts.size || liveness) this.subject.next({ accounts, liveness });
  }
}
