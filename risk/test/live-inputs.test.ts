import { decayedChainWeight, ewmaCorrelation, ewmaVolatility, EwmaRiskEstimator, fromFixed18, toFixed18, volatilityScaledWeight } from '../src';

describe('EWMA volatility and correlation (λ = 0.94)', () => {
  it('follows σ²_t = λσ²_{t−1} + (1−λ) r²_t seeded by the first squared return', () => {
    // Returns ln(1.1) then ln(1) = 0: σ² = 0.94·ln(1.1)² → σ = √0.94 · ln(1.1).
    expect(ewmaVolatility([100, 110, 110])).toBeCloseTo(Math.sqrt(0.94) * Math.log(1.1), 14);
    // Third return ln(0.9): σ² = 0.94·0.94·ln(1.1)² + 0.06·ln(0.9)².
    const expected = Math.sqrt(0.94 * 0.94 * Math.log(1.1) ** 2 + 0.06 * Math.log(0.9) ** 2);
    expect(ewmaVolatility([100, 110, 110, 99])).toBeCloseTo(expected, 14);
  });

  it('scales a per-sample variance to a daily volatility', () => {
    // Hourly samples: σ_daily = σ_hourly · √24.
    const hourly = ewmaVolatility([100, 101, 99, 100.5]);
    expect(ewmaVolatility([100, 101, 99, 100.5], { sampleIntervalDays: 1 / 24 })).toBeCloseTo(hourly * Math.sqrt(24), 14);
  });

  it('gives ±1 for series moving together or opposite, undefined for a flat one', () => {
    const a = [100, 102, 101, 105, 103];
    expect(
      ewmaCorrelation(
        a,
        a.map((p) => p * 3),
      ),
    ).toBeCloseTo(1, 12);
    expect(
      ewmaCorrelation(
        a,
        a.map((p) => 1e4 / p),
      ),
    ).toBeCloseTo(-1, 12);
    expect(
      ewmaCorrelation(
        a,
        a.map(() => 7),
      ),
    ).toBeUndefined();
  });

  it('streams synchronized samples and exports correlations in the API shape', () => {
    const estimator = new EwmaRiskEstimator(['ETH', 'BTC']);
    expect(estimator.volatility('ETH')).toBeUndefined();
    estimator.observe({ ETH: 2000, BTC: 30000 });
    estimator.observe({ ETH: 2100, BTC: 31000 });
    estimator.observe({ ETH: 2050, BTC: 30500 });
    expect(estimator.sampleCount).toBe(2);
    const [{ a, b, rho }] = estimator.correlations();
    expect([a, b]).toEqual(['ETH', 'BTC']);
    expect(rho).toBeGreaterThan(0.9);
    expect(() => estimator.observe({ ETH: 2000 })).toThrow(/no price for 'BTC'/);
    expect(() => estimator.observe({ ETH: 0, BTC: 1 })).toThrow(/price of 'ETH'/);
    expect(estimator.sampleCount).toBe(2);
  });
});

describe('chain weight decay', () => {
  const base = { configuredWeight: 0.9, heartbeatSeconds: 100, decayWindowSeconds: 400, lastMessageAt: 1000 };
  it('holds within the heartbeat, then falls linearly to 0 over the decay window', () => {
    expect(decayedChainWeight({ ...base, now: 1100 })).toBe(0.9);
    expect(decayedChainWeight({ ...base, now: 1200 })).toBeCloseTo(0.9 * 0.75, 15); // 100 s into 400 s
    expect(decayedChainWeight({ ...base, now: 1500 })).toBe(0);
    expect(decayedChainWeight({ ...base, now: 9999 })).toBe(0);
  });
  it('counts from `since` when the chain never attested', () => {
    expect(decayedChainWeight({ ...base, lastMessageAt: undefined, since: 1000, now: 1300 })).toBeCloseTo(0.9 * 0.5, 15); // 200 s into 400 s
  });
  it('drops to 0 right after the heartbeat when the window is 0', () => {
    expect(decayedChainWeight({ ...base, decayWindowSeconds: 0, now: 1101 })).toBe(0);
  });
});

describe('volatility-scaled base weights', () => {
  it('scales by min(1, σ_base/σ)', () => {
    expect(volatilityScaledWeight(0.8, 0.05, 0.04)).toBe(0.8);
    expect(volatilityScaledWeight(0.8, 0.05, 0.2)).toBeCloseTo(0.2, 15);
    expect(volatilityScaledWeight(0.8, 0.05, 0)).toBe(0.8);
  });
});

describe('toFixed18', () => {
  it('converts exactly and rounds down', () => {
    expect(toFixed18(1)).toBe(10n ** 18n);
    expect(toFixed18(1.5)).toBe(15n * 10n ** 17n);
    // 0.1 is 0.1000000000000000055511151231257827… → ·1e18 = 100000000000000005.55… → floor.
    expect(toFixed18(0.1)).toBe(100_000_000_000_000_005n);
    // 0.3 is 0.299999999999999988897769753748… → rounds down below 3e17.
    expect(toFixed18(0.3)).toBe(299_999_999_999_999_988n);
    expect(toFixed18(5e-324)).toBe(0n);
  });
  it('is safe for large values and never negative', () => {
    expect(toFixed18(1e30)).toBe(BigInt(1e30) * 10n ** 18n);
    expect(toFixed18(Number.MAX_VALUE) > 0n).toBe(true);
    expect(toFixed18(-5)).toBe(0n);
    expect(toFixed18(-0)).toBe(0n);
  });
  it('rejects NaN and infinities', () => {
    expect(() => toFixed18(Number.NaN)).toThrow(RangeError);
    expect(() => toFixed18(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
  it('round-trips through fromFixed18 within float precision', () => {
    expect(fromFixed18(toFixed18(1234.5678))).toBeCloseTo(1234.5678, 10);
  });
});

describe('stepped weights (volatility scaling moves by bounded steps)', () => {
  it('moves toward the target by at most 0.05 per update, then lands on it', () => {
    const { steppedWeight, MAX_WEIGHT_STEP } = jest.requireActual('../src') as typeof import('../src');
    expect(MAX_WEIGHT_STEP).toBe(0.05);
    expect(steppedWeight(undefined, 0.4)).toBe(0.4);
    let w = 0.8;
    const path: number[] = [];
    while (w !== 0.62) {
      w = steppedWeight(w, 0.62);
      path.push(Number(w.toFixed(10)));
    }
    expect(path).toEqual([0.75, 0.7, 0.65, 0.62]);
    expect(steppedWeight(0.5, 0.9)).toBeCloseTo(0.55, 12);
    expect(() => steppedWeight(0.5, 0.6, 0)).toThrow(RangeError);
  });
});
