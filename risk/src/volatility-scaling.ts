/**
 * Base weight scaled by `min(1, σ_base / σ)`: when realized volatility exceeds its baseline the
 * asset counts for less. σ ≤ σ_base (or σ = 0) leaves the weight unchanged.
 */
export function volatilityScaledWeight(baseWeight: number, baselineVolatility: number, realizedVolatility: number): number {
  if (!(baselineVolatility >= 0) || !(realizedVolatility >= 0)) throw new RangeError('volatilities must be ≥ 0');
  if (realizedVolatility <= baselineVolatility) return baseWeight;
  return baseWeight * (baselineVolatility / realizedVolatility);
}

/** A weight moves by at most this much per update, governed or volatility-scaled (DESIGN: bounded steps). */
export const MAX_WEIGHT_STEP = 0.05;

/**
 * The weight to apply now: `target` (e.g. a volatility-scaled weight), reached from the weight applied last by
 * steps of at most `maxStep` per update. No previous weight (first update): the target itself.
 */
export function steppedWeight(previous: number | undefined, target: number, maxStep = MAX_WEIGHT_STEP): number {
  if (!(maxStep > 0)) throw new RangeError('maxStep must be > 0');
  if (previous === undefined) return target;
  if (target > previous + maxStep) return previous + maxStep;
  if (target < previous - maxStep) return previous - maxStep;
  return target;
}
