/** What the liquidation watch remembers about one account with health < 1 (plain data, plain functions). */
export interface LiquidationRecord {
  /** CreditManager.isLiquidatable at the last read. */
  marked: boolean | null;
  /** liquidate() landed for the current mark: nothing more until the account is unmarked and marked again. */
  done: boolean;
  /** Attempts and consecutive failures for the current mark. */
  attempts: number;
  failures: number;
  /** ms since epoch. */
  lastAttempt: number | null;
  nextAttemptAt: number;
  txHash: string | null;
  error: string | null;
}

export function newRecord(): LiquidationRecord {
  return { marked: null, done: false, attempts: 0, failures: 0, lastAttempt: null, nextAttemptAt: 0, txHash: null, error: null };
}

/**
 * The chain's mark was read: an unmarked account starts over (its next mark is a new one, worth one more
 * liquidation); a marked one keeps its progress.
 */
export function onMarkRead(record: LiquidationRecord | undefined, marked: boolean): LiquidationRecord {
  const r = record ?? newRecord();
  if (!marked && r.marked !== false) return { ...newRecord(), marked: false, lastAttempt: r.lastAttempt, txHash: r.txHash, error: r.error };
  return { ...r, marked };
}

/** A liquidate() call is due: marked on chain, not done for this mark, and past the failure backoff. */
export function attemptDue(record: LiquidationRecord, now: number): boolean {
  return record.marked === true && !record.done && now >= record.nextAttemptAt;
}
