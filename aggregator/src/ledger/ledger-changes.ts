import { Injectable } from '@nestjs/common';
import { Subject, type Observable } from 'rxjs';
import type { CommitInfo, RolledBack } from './ledger-ingestor';

/** What one committed transaction (ingest or reorg rollback) changed in the ledger. */
export interface LedgerChange {
  /** Accounts whose ledger rows changed. */
  accounts: ReadonlySet<string>;
  /**
   * A collateral chain's last delivered message may have moved (chain_liveness): a delivery event was ingested
   * (a HEARTBEAT changes no account) or events were rolled back.
   */
  liveness: boolean;
  /** The chain the committed batch was of (absent: announced outside the indexer). */
  eid?: number;
  /** Set when the change is a reorg rollback. */
  reorg?: RolledBack;
  /** When the indexer read the head this change reached (ms wall time). */
  headSeenAt?: number;
}

/** Announces committed ledger changes (the live risk engine reloads those accounts). Never emits inside a transaction. */
@Injectable()
export class LedgerChanges {
  private readonly subject = new Subject<LedgerChange>();

  get changes(): Observable<LedgerChange> {
    return this.subject.asObservable();
  }

  announce(accounts: ReadonlySet<string>, liveness = false, info?: CommitInfo): void {
    if (accounts.size || liveness || info?.reorg) this.subject.next({ accounts, liveness, ...info });
  }
}
