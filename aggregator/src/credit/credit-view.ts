import type { OnChainAccount } from '../chain/credit-contracts';
import { refreshDue, type OnChainCredit } from './credit-plan';
import type { PushEntry } from './trading-chain';

/**
 * What the CreditManager holds, as the leader knows it: loaded from `CreditManager.account()` when it takes
 * over (or when another pusher's epoch shows up), then advanced by its own receipts. Fresher than the ledger's
 * CreditLimitSet rows, which trail the chain by the indexer's lag: while the chain's `lastEpoch` equals
 * `knownEpoch` nobody else pushed, so this view is exact. Keys: lower-case addresses.
 */
export class CreditView {
  private readonly rows = new Map<string, OnChainCredit>();
  /** Chain lastEpoch this view is exact for; null = must be (re)loaded from the chain. */
  knownEpoch: bigint | null = null;

  get(account: string): OnChainCredit | null {
    return this.rows.get(account) ?? null;
  }

  get size(): number {
    return this.rows.size;
  }

  accounts(): IterableIterator<string> {
    return this.rows.keys();
  }

  entries(): IterableIterator<[string, OnChainCredit]> {
    return this.rows.entries();
  }

  invalidate(): void {
    this.knownEpoch = null;
  }

  /** Replaces the view with chain reads taken while `lastEpoch` was current. */
  load(accounts: ReadonlyMap<string, OnChainAccount>, lastEpoch: bigint): void {
    this.rows.clear();
    for (const [account, a] of accounts) {
      if (a.limit === 0n && !a.liquidatable && a.updatedAt === 0) continue;
      this.rows.set(account.toLowerCase(), { limit: a.limit, liquidatable: a.liquidatable, pushedAt: a.updatedAt });
    }
    this.knownEpoch = lastEpoch;
  }

  /** Our push of `epoch` landed in a block with this timestamp. */
  applyPush(entries: readonly PushEntry[], epoch: bigint, timestamp: number): void {
    for (const e of entries) this.rows.set(e.account.toLowerCase(), { limit: e.limit, liquidatable: e.liquidatable, pushedAt: timestamp });
    this.knownEpoch = epoch;
  }

  /** Accounts with credit (or a mark) whose refresh is due. */
  due(staleAfter: number, now: number): string[] {
    const out: string[] = [];
    for (const [account, row] of this.rows) if (refreshDue(row, staleAfter, now)) out.push(account);
    return out;
  }
}
