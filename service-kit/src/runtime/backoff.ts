/**
 * The retry delay (ms) after `failures` consecutive failures (1-based) from an explicit table; the table's
 * last entry repeats. Tables stay next to the code they pace, as named constants.
 */
export function backoffMs(failures: number, table: readonly number[]): number {
  if (!Number.isInteger(failures) || failures < 1) throw new RangeError(`failures must be a positive integer, got ${failures}`);
  if (table.length === 0) throw new RangeError('backoff table is empty');
  return table[Math.min(failures, table.length) - 1];
}
