/**
 * Retry delays (ms) by consecutive failures (1-based; the last entry repeats).
 * - PUSH_BACKOFF_MS: a push that failed (RPC error, revert other than StaleEpoch, dropped nonce). StaleEpoch
 *   (another pusher landed an epoch first) is retried at once with the re-read epoch, up to STALE_EPOCH_RETRIES.
 * - LIQUIDATION_BACKOFF_MS: a liquidate() that failed for an account (simulation revert, RPC error, mined revert);
 *   long enough never to spam the market with a call that keeps failing.
 */
export const PUSH_BACKOFF_MS: readonly number[] = [500, 1_000, 2_000, 5_000, 10_000, 30_000, 60_000];
export const LIQUIDATION_BACKOFF_MS: readonly number[] = [2_000, 5_000, 15_000, 60_000, 300_000];
export const STALE_EPOCH_RETRIES = 3;

export function backoffMs(failures: number, table: readonly number[]): number {
  if (!Number.isInteger(failures) || failures < 1) throw new RangeError(`failures must be a positive integer, got ${failures}`);
  return table[Math.min(failures, table.length) - 1];
}
