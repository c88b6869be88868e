/** A collateral chain's liveness as the operator sees it (docs/risk-model.md: chain weights and heartbeats). */
export type ChainLiveness = 'ok' | 'quiet' | 'decaying' | 'silent' | 'never';

/**
 * `ok` while the last message is younger than the heartbeat; `quiet` past it (the relayer sends a heartbeat at half of
 * it, so this is late); `decaying` while the weight is below its configured value; `silent` at weight 0.
 */
export function chainLiveness(
  chain: { weight: number; configuredWeight: number; lastMessageAt: string | null; heartbeatSeconds: number },
  now = Date.now(),
): ChainLiveness {
  if (chain.configuredWeight > 0 && chain.weight <= 0) return 'silent';
  if (chain.weight < chain.configuredWeight - 1e-9) return 'decaying';
  if (!chain.lastMessageAt) return 'never';
  const age = (now - Date.parse(chain.lastMessageAt)) / 1000;
  return age > chain.heartbeatSeconds ? 'quiet' : 'ok';
}

export const LIVENESS_TEXT: Record<ChainLiveness, string> = {
  ok: 'heartbeat ok',
  quiet: 'late: no message within the heartbeat',
  decaying: 'decaying: weight below its configured value',
  silent: 'silent: weight 0',
  never: 'no message yet',
};

/** Health histogram bars: the share of the tallest band each band's count is (0…1). */
export function barShares(counts: readonly number[]): number[] {
  const max = Math.max(0, ...counts);
  return counts.map((c) => (max > 0 ? c / max : 0));
}
