/** RiskMetrics EWMA decay used for live volatility and correlation (docs/risk-model.md#ewma-volatility-and-correlation). */
export const EWMA_LAMBDA = 0.94;

export interface EwmaOptions {
  /** Decay λ in (0, 1); default 0.94. */
  lambda?: number;
  /** Days between two price samples; volatilities are returned per day. Default 1. */
  sampleIntervalDays?: number;
}

function resolve(options: EwmaOptions): { lambda: number; sampleIntervalDays: number } {
  const lambda = options.lambda ?? EWMA_LAMBDA;
  const sampleIntervalDays = options.sampleIntervalDays ?? 1;
  if (!(lambda > 0 && lambda < 1)) throw new RangeError('lambda must be in (0, 1)');
  if (!(sampleIntervalDays > 0) || !Number.isFinite(sampleIntervalDays)) throw new RangeError('sampleIntervalDays must be > 0');
  return { lambda, sampleIntervalDays };
}

function logReturn(previous: number, current: number): number {
  if (!(previous > 0 && current > 0) || !Number.isFinite(previous) || !Number.isFinite(current)) {
    throw new RangeError('prices must be finite and > 0 for log returns');
  }
  return Math.log(current / previous);
}

/**
 * Streaming EWMA of log returns for a fixed set of assets sampled together (one `observe` per
 * sampling time). Variance `σ²_t = λσ²_{t−1} + (1−λ) r²_t`, covariance likewise with `r_a r_b`;
 * the first return seeds them (`σ²_1 = r²_1`), RiskMetrics' zero-mean convention.
 */
export class EwmaRiskEstimator {
  readonly assetIds: readonly string[];
  private readonly lambda: number;
  private readonly sampleIntervalDays: number;
  private readonly lastPrice: Float64Array;
  /** Row-major n×n covariance of per-sample log returns. */
  private readonly covariance: Float64Array;
  private returnCount = 0;
  private readonly returns: Float64Array;

  constructor(assetIds: readonly string[], options: EwmaOptions = {}) {
    ({ lambda: this.lambda, sampleIntervalDays: this.sampleIntervalDays } = resolve(options));
    if (new Set(assetIds).size !== assetIds.length) throw new RangeError('asset ids must be unique');
    this.assetIds = [...assetIds];
    this.lastPrice = new Float64Array(assetIds.length).fill(Number.NaN);
    this.covariance = new Float64Array(assetIds.length * assetIds.length);
    this.returns = new Float64Array(assetIds.length);
  }

  /** Number of returns folded in so far (0 until two samples were observed). */
  get sampleCount(): number {
    return this.returnCount;
  }

  /** One synchronized sample: a price for every asset. */
  observe(prices: Readonly<Record<string, number>>): void {
    const n = this.assetIds.length;
    const next = this.assetIds.map((id) => {
      const price = prices[id];
      if (price === undefined) throw new RangeError(`no price for '${id}' in the sample`);
      if (!(price > 0) || !Number.isFinite(price)) throw new RangeError(`price of '${id}' must be finite and > 0`);
      return price;
    });
    const first = Number.isNaN(this.lastPrice[0]);
    if (!first) {
      for (let k = 0; k < n; k++) this.returns[k] = logReturn(this.lastPrice[k], next[k]);
      const keep = this.returnCount === 0 ? 0 : this.lambda;
      for (let k = 0; k < n; k++) {
        for (let l = 0; l < n; l++) {
          const i = k * n + l;
          this.covariance[i] = keep * this.covariance[i] + (1 - keep) * this.returns[k] * this.returns[l];
        }
      }
      this.returnCount++;
    }
    next.forEach((price, k) => (this.lastPrice[k] = price));
  }

  /** Daily volatility, or undefined before the first return. */
  volatility(assetId: string): number | undefined {
    if (this.returnCount === 0) return undefined;
    const k = this.indexOf(assetId);
    return Math.sqrt(this.covariance[k * this.assetIds.length + k] / this.sampleIntervalDays);
  }

  /** EWMA correlation, or undefined before the first return or while either variance is 0. */
  correlation(a: string, b: string): number | undefined {
    if (this.returnCount === 0) return undefined;
    const n = this.assetIds.length;
    const ka = this.indexOf(a);
    const kb = this.indexOf(b);
    const denominator = Math.sqrt(this.covariance[ka * n + ka] * this.covariance[kb * n + kb]);
    if (denominator === 0) return undefined;
    return Math.max(-1, Math.min(1, this.covariance[ka * n + kb] / denominator));
  }

  /** Every defined pairwise correlation, in the what-if API's `{a, b, rho}` form. */
  correlations(): { a: string; b: string; rho: number }[] {
    const out: { a: string; b: string; rho: number }[] = [];
    for (let k = 0; k < this.assetIds.length; k++) {
      for (let l = k + 1; l < this.assetIds.length; l++) {
        const rho = this.correlation(this.assetIds[k], this.assetIds[l]);
        if (rho !== undefined) out.push({ a: this.assetIds[k], b: this.assetIds[l], rho });
      }
    }
    return out;
  }

  private indexOf(assetId: string): number {
    const k = this.assetIds.indexOf(assetId);
    if (k < 0) throw new RangeError(`unknown asset '${assetId}'`);
    return k;
  }
}

/** Daily EWMA volatility of one price series (at least two prices). */
export function ewmaVolatility(prices: readonly number[], options: EwmaOptions = {}): number {
  if (prices.length < 2) throw new RangeError('need at least two prices');
  const estimator = new EwmaRiskEstimator(['x'], options);
  for (const price of prices) estimator.observe({ x: price });
  return estimator.volatility('x') as number;
}

/** EWMA correlation of two price series sampled at the same times; undefined if a series never moves. */
export function ewmaCorrelation(pricesA: readonly number[], pricesB: readonly number[], options: EwmaOptions = {}): number | undefined {
  if (pricesA.length !== pricesB.length) throw new RangeError('price series must have the same length');
  if (pricesA.length < 2) throw new RangeError('need at least two prices');
  const estimator = new EwmaRiskEstimator(['a', 'b'], options);
  pricesA.forEach((price, i) => estimator.observe({ a: price, b: pricesB[i] }));
  return estimator.correlation('a', 'b');
}
