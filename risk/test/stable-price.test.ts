import fc from 'fast-check';
import { DEFAULT_STABLE_PRICE_PARAMS, initialStablePrice, stablePriceAllowance, updateStablePrice, type StablePriceState } from '../src';

const HOUR = 3_600;

describe('stable price tracker', () => {
  it('starts at the first oracle price', () => {
    expect(initialStablePrice(2_000, 100)).toEqual({ price: 2_000, lastUpdate: 100 });
  });

  it('moves by δ per τ toward the oracle: 1,800 → 1,836 after one hour with the oracle at 2,000 (docs example)', () => {
    const s = updateStablePrice({ price: 1_800, lastUpdate: 0 }, 2_000, HOUR);
    expect(s.price).toBeCloseTo(1_836, 9);
    expect(s.lastUpdate).toBe(HOUR);
  });

  it('moves down the same way and proportionally to the elapsed time', () => {
    expect(updateStablePrice({ price: 2_000, lastUpdate: 0 }, 1_000, HOUR / 2).price).toBeCloseTo(1_980, 9);
    expect(updateStablePrice({ price: 2_000, lastUpdate: 0 }, 1_000, 12).price).toBeCloseTo(2_000 - (2_000 * 0.02 * 12) / HOUR, 9);
  });

  it('stops at the oracle price and never overshoots', () => {
    expect(updateStablePrice({ price: 1_990, lastUpdate: 0 }, 2_000, HOUR).price).toBe(2_000);
    expect(updateStablePrice({ price: 2_000, lastUpdate: 0 }, 1_000, 100 * HOUR).price).toBe(1_000);
  });

  it('ignores time going backwards or standing still', () => {
    const state = { price: 1_500, lastUpdate: 1_000 };
    expect(updateStablePrice(state, 3_000, 1_000)).toBe(state);
    expect(updateStablePrice(state, 3_000, 900)).toBe(state);
  });

  it('rejects a bad oracle price or bad parameters', () => {
    expect(() => updateStablePrice({ price: 1, lastUpdate: 0 }, 0, 1)).toThrow(RangeError);
    expect(() => updateStablePrice({ price: 1, lastUpdate: 0 }, Number.NaN, 1)).toThrow(RangeError);
    expect(() => updateStablePrice({ price: 1, lastUpdate: 0 }, 1, 1, { maxStep: 0, intervalSeconds: 1 })).toThrow(RangeError);
    expect(() => updateStablePrice({ price: 1, lastUpdate: 0 }, 1, 1, { maxStep: 0.02, intervalSeconds: 0 })).toThrow(RangeError);
  });

  const pathArb = fc.array(fc.record({ dt: fc.integer({ min: 0, max: 4 * HOUR }), move: fc.double({ min: -0.6, max: 1.5, noNaN: true }) }), {
    minLength: 1,
    maxLength: 60,
  });
  const paramsArb = fc.record({ maxStep: fc.double({ min: 0.001, max: 0.5, noNaN: true }), intervalSeconds: fc.integer({ min: 1, max: 86_400 }) });

  it('property: each update moves s toward p by at most s·δ·elapsed/τ and never past p', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 1e5, noNaN: true }), pathArb, paramsArb, (start, path, params) => {
        let state: StablePriceState = initialStablePrice(start, 0);
        let oracle = start;
        for (const { dt, move } of path) {
          oracle = Math.max(1e-6, oracle * (1 + move));
          const next = updateStablePrice(state, oracle, state.lastUpdate + dt, params);
          const moved = Math.abs(next.price - state.price);
          expect(moved).toBeLessThanOrEqual(stablePriceAllowance(state.price, dt, params) * (1 + 1e-12) + 1e-12 * state.price);
          // Between s and p (inclusive): never overshoots.
          expect(next.price).toBeGreaterThanOrEqual(Math.min(state.price, oracle) * (1 - 1e-12));
          expect(next.price).toBeLessThanOrEqual(Math.max(state.price, oracle) * (1 + 1e-12));
          state = next;
        }
      }),
      { numRuns: 300 },
    );
  });

  it('property: over any stretch of updates, s rises at most by the compounded allowance Π(1 + δ·dt_i/τ)', () => {
    fc.assert(
      fc.property(pathArb, (path) => {
        let state = initialStablePrice(100, 0);
        let oracle = 100;
        let bound = 1;
        for (const { dt, move } of path) {
          oracle = Math.max(1e-6, oracle * (1 + move));
          state = updateStablePrice(state, oracle, state.lastUpdate + dt);
          bound *= 1 + (DEFAULT_STABLE_PRICE_PARAMS.maxStep * dt) / DEFAULT_STABLE_PRICE_PARAMS.intervalSeconds;
          expect(state.price).toBeLessThanOrEqual(100 * bound * (1 + 1e-12));
        }
      }),
      { numRuns: 300 },
    );
  });
});
