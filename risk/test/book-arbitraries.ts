/** Random books for the property tests, and the float64-tolerant comparison of two results. */
import fc from 'fast-check';
import { evaluateRisk, type RiskRequestInput, type RiskResult } from '../src';
import { params } from './fixtures';

export const ASSET_IDS = ['USDC', 'ETH', 'BTC', 'SOL'];
export const EIDS = [30101, 30110, 30184];

/** Doubles without the sub-1e-9 magnitudes (down to subnormals) that only exercise underflow. */
export const num = (min: number, max: number) =>
  fc.double({ min, max, noNaN: true, noDefaultInfinity: true }).map((x) => (Math.abs(x) < 1e-9 ? 0 : x));
/**
 * Doubles spread evenly over [min, max] half the time. `fc.double` picks uniformly among representable doubles, so
 * on its own most draws in [0, x] are below 1e-9 (0 after `num`); stateful tests need values that move results.
 */
export const spread = (min: number, max: number) =>
  fc.oneof(
    num(min, max),
    fc.integer({ min: 0, max: 2 ** 30 }).map((i) => min + ((max - min) * i) / 2 ** 30),
  );
export const price = fc.double({ min: 0.01, max: 1e5, noNaN: true, noDefaultInfinity: true });

type NumberArb = (min: number, max: number) => fc.Arbitrary<number>;

/** The book generators, drawing their numbers from `real`. */
export function bookArbitraries(real: NumberArb) {
  const amount = real(0, 1e6);
  const assetsArb = fc.tuple(
    ...ASSET_IDS.map((id) =>
      fc.record({
        id: fc.constant(id),
        price,
        weightInit: real(0, 0.9),
        weightMaint: real(0, 1),
        imf: real(0, 0.1),
        volatility: real(0, 0.2),
        stablePrice: fc.option(price, { nil: undefined }),
      }),
    ),
  );
  const correlationsArb = fc.tuple(real(-1, 1), real(-1, 1), real(-1, 1)).map(([r1, r2, r3]) => [
    { a: 'ETH', b: 'BTC', rho: r1 },
    { a: 'ETH', b: 'SOL', rho: r2 },
    { a: 'BTC', b: 'SOL', rho: r3 },
  ]);
  const chainsArb = fc.tuple(...EIDS.map((eid) => fc.record({ eid: fc.constant(eid), weight: real(0, 1) })));
  const balancesArb = fc.uniqueArray(fc.record({ eid: fc.constantFrom(...EIDS), assetId: fc.constantFrom(...ASSET_IDS), amount }), {
    maxLength: 8,
    selector: (b) => `${b.eid}:${b.assetId}`,
  });
  const positionArb = fc.record({
    assetId: fc.constantFrom('ETH', 'BTC', 'SOL'),
    size: real(-1000, 1000),
    entryPrice: price,
    imr: real(0, 0.5),
    mmr: real(0, 0.5),
  });
  const bookArb = fc.record({
    assets: assetsArb,
    correlations: correlationsArb,
    chains: chainsArb,
    balances: balancesArb,
    positions: fc.array(positionArb, { maxLength: 3 }),
    cash: real(-1e6, 1e6),
    params: fc.constant(params),
  });
  return { amount, assetsArb, correlationsArb, chainsArb, balancesArb, positionArb, bookArb };
}

export const { amount, bookArb } = bookArbitraries(num);

/**
 * `actual` equals `evaluateRisk(request)` up to float64 reassociation (the book aggregates per asset and per chain
 * first). The error of a sum is relative to its terms, not to its total, so the scale includes the gross size of
 * the inputs: |cash| + Σ b·p + Σ |q|·(p + entry), at the larger of the oracle and the stable price.
 */
export function expectSameResult(actual: RiskResult, request: RiskRequestInput): void {
  const expected = evaluateRisk(request);
  const mark = new Map(request.assets.map((a) => [a.id, Math.max(a.price, a.stablePrice ?? a.price)]));
  let gross = Math.abs(request.cash ?? 0);
  for (const b of request.balances ?? []) gross += b.amount * mark.get(b.assetId)!;
  for (const p of request.positions ?? []) gross += Math.abs(p.size) * (mark.get(p.assetId)! + p.entryPrice);
  const scale = Math.max(1, expected.collateralInit, expected.requirementInit, Math.abs(expected.unrealizedPnl), gross);
  const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * scale;
  for (const key of [
    'collateralInit',
    'collateralMaint',
    'unrealizedPnl',
    'pnlAdjusted',
    'varInit',
    'varMaint',
    'floorInit',
    'floorMaint',
    'requirementInit',
    'requirementMaint',
    'creditLimit',
  ] as const) {
    if (!close(actual[key], expected[key])) throw new Error(`${key}: ${actual[key]} ≠ ${expected[key]}`);
  }
  for (const id of Object.keys(expected.exposure)) {
    if (!close(actual.exposure[id], expected.exposure[id])) throw new Error(`exposure ${id}: ${actual.exposure[id]} ≠ ${expected.exposure[id]}`);
  }
  if (Object.is(actual.health, expected.health)) return;
  if (actual.health === null || expected.health === null) {
    // Only a requirement lost in rounding (≈ 0 on one side) may make one side unbounded.
    expect(Math.max(actual.requirementMaint, expected.requirementMaint)).toBeLessThanOrEqual(1e-9 * scale);
    return;
  }
  // H is a ratio: its error is the numerator's (≤ 1e-9·scale) over R^maint, plus R^maint's relative error.
  const tolerance = 1e-9 * (Math.abs(expected.health) + scale / expected.requirementMaint);
  expect(Math.abs(actual.health - expected.health)).toBeLessThanOrEqual(tolerance);
}
