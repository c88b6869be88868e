/**
 * Retry delays in ms, indexed by how many times the current step has failed in a row (1-based; the
 * last entry repeats).
 *
 * - REVERT_BACKOFF_MS: the step's transaction or its simulation reverted on chain (a lower nonce still
 *   missing, an OApp that rejects the message). Grows to minutes; a reverting lzReceive is parked after
 *   `pipeline.maxExecuteAttempts` failures.
 * - TRANSIENT_BACKOFF_MS: the RPC failed or timed out, a nonce clashed. Short and capped at 5 s: the
 *   step itself is fine and retrying soon is what completes delivery through a flaky node.
 */
export const REVERT_BACKOFF_MS: readonly number[] = [1_000, 2_000, 5_000, 10_000, 30_000, 60_000, 120_000, 300_000];
export const TRANSIENT_BACKOFF_MS: readonly number[] = [250, 500, 1_000, 2_000, 5_000];

export function retryDelayMs(failedAttempts: number, table: readonly number[]): number {
  if (!Number.isInteger(failedAttempts) || failedAttempts < 1) throw new RangeError(`failedAttempts must be a positive integer, got ${failedAttempts}`);
  return table[Math.min(failedAttempts, table.length) - 1];
}
