import fc from 'fast-check';
import { admitLiquidations, EMPTY_RATE_LIMIT_STATE, liquidationCost, type LiquidationCandidate, type RateLimitState } from '../src';

const HOUR = 3_600;
const candidate = (account: string, health: number | null, notional: number, seized = 0): LiquidationCandidate => ({
  account,
  health,
  notional,
  seized,
});

describe('liquidation rate limit', () => {
  it('admits lowest health first while the window has room (10 % of open interest per hour)', () => {
    const r = admitLiquidations(
      EMPTY_RATE_LIMIT_STATE,
      [candidate('b', 0.9, 40_000), candidate('a', 0.5, 50_000, 5_000), candidate('c', 0.95, 10_000)],
      0,
      1_000_000,
    );
    expect(r.limit).toBe(100_000);
    expect(r.admitted.map((c) => c.account)).toEqual(['a', 'b']);
    expect(r.queued.map((c) => c.account)).toEqual(['c']);
    expect(r.used).toBe(95_000);
    expect(r.nextReleaseAt).toBe(HOUR);
  });

  it('keeps strict order: a smaller, healthier account never jumps a queued one', () => {
    const r = admitLiquidations(
      EMPTY_RATE_LIMIT_STATE,
      [candidate('a', 0.5, 60_000), candidate('b', 0.6, 60_000), candidate('c', 0.7, 1_000)],
      0,
      1_000_000,
    );
    expect(r.admitted.map((c) => c.account)).toEqual(['a']);
    expect(r.queued.map((c) => c.account)).toEqual(['b', 'c']);
  });

  it('frees the window an hour after each admission and does not admit an account twice within it', () => {
    const first = admitLiquidations(EMPTY_RATE_LIMIT_STATE, [candidate('a', 0.5, 100_000)], 0, 1_000_000);
    const again = admitLiquidations(first.state, [candidate('a', 0.4, 100_000), candidate('b', 0.6, 1)], HOUR - 1, 1_000_000);
    expect(again.admitted).toEqual([]);
    expect(again.queued.map((c) => c.account)).toEqual(['b']);
    const later = admitLiquidations(again.state, [candidate('b', 0.6, 1)], HOUR, 1_000_000);
    expect(later.admitted.map((c) => c.account)).toEqual(['b']);
    expect(later.used).toBe(1);
  });

  it('admits an account larger than the whole limit only alone into an empty window', () => {
    const big = candidate('big', 0.2, 500_000);
    const busy = admitLiquidations({ admissions: [{ account: 'x', at: 0, cost: 1 }] }, [big], 10, 1_000_000);
    expect(busy.admitted).toEqual([]);
    const empty = admitLiquidations(EMPTY_RATE_LIMIT_STATE, [big, candidate('small', 0.3, 1)], 10, 1_000_000);
    expect(empty.admitted.map((c) => c.account)).toEqual(['big']);
    expect(empty.queued.map((c) => c.account)).toEqual(['small']);
  });

  it('counts notional closed plus collateral seized, ignoring negative estimates', () => {
    expect(liquidationCost(candidate('a', 0.5, 10, 5))).toBe(15);
    expect(liquidationCost(candidate('a', 0.5, -10, 5))).toBe(5);
  });

  it('rejects bad parameters', () => {
    expect(() => admitLiquidations(EMPTY_RATE_LIMIT_STATE, [], 0, 1, { maxFractionOfOpenInterest: 0, windowSeconds: 1 })).toThrow(RangeError);
    expect(() => admitLiquidations(EMPTY_RATE_LIMIT_STATE, [], 0, 1, { maxFractionOfOpenInterest: 0.1, windowSeconds: 0 })).toThrow(RangeError);
  });

  it('property: over random sequences the window never holds more than L_max (except one oversized account alone), in health order', () => {
    const round = fc.record({
      dt: fc.integer({ min: 0, max: HOUR }),
      openInterest: fc.double({ min: 0, max: 1e7, noNaN: true }),
      candidates: fc.uniqueArray(
        fc.record({
          account: fc.constantFrom(...'abcdefghij'.split('')),
          health: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null }),
          notional: fc.double({ min: 0, max: 2e6, noNaN: true }),
          seized: fc.double({ min: 0, max: 5e5, noNaN: true }),
        }),
        { maxLength: 8, selector: (c) => c.account },
      ),
    });
    fc.assert(
      fc.property(fc.array(round, { maxLength: 25 }), (rounds) => {
        let state: RateLimitState = EMPTY_RATE_LIMIT_STATE;
        let now = 0;
        const log: { at: number; cost: number }[] = [];
        for (const { dt, openInterest, candidates } of rounds) {
          now += dt;
          const r = admitLiquidations(state, candidates, now, openInterest);
          const limit = openInterest * 0.1;
          for (const c of r.admitted) log.push({ at: now, cost: liquidationCost(c) });
          const window = log.filter((e) => e.at > now - HOUR);
          const used = window.reduce((s, e) => s + e.cost, 0);
          expect(Math.abs(used - r.used)).toBeLessThanOrEqual(1e-6 * (1 + used));
          if (r.admitted.length) expect(used <= limit * (1 + 1e-12) || window.length === 1).toBe(true);
          // Lowest health first: every admitted one is at least as urgent as every queued one.
          const worstAdmitted = Math.max(...r.admitted.map((c) => c.health ?? Infinity));
          for (const q of r.queued) expect(q.health ?? Infinity).toBeGreaterThanOrEqual(worstAdmitted);
          expect(r.admitted.length + r.queued.length).toBeLessThanOrEqual(candidates.length);
          state = r.state;
        }
      }),
      { numRuns: 500 },
    );
  });
});
