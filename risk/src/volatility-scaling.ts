/**
 * Base weight scaled by `min(1, σ_base / σ)`: when realized volatility exceeds its baseline the
 * asset counts for less. σ ≤ σ_base (or σ = 0) leaves the weight unchanged.
 */
export function volatilityScaledWeight(baseWeight: number, baselineVolatility: number, realizedVolatility: number): number {
  if (!(baselineVolatility >= 0) || !(realizedVolatility >= 0)) throw new RangeError('volatilities must be ≥ 0');
  if (realizedVolatility <= baselineVolatility) return baseWeight;
  return baseWeight * (baselineVolatility / realizedVolatility);
}
