import fc from 'fast-check';
import { auctionBreaker, type PricePoint } from '../src';

const HOUR = 3_600;
const path = (...points: [number, number][]): PricePoint[] => points.map(([at, price]) => ({ at, price }));

describe('auction breaker', () => {
  it('stays closed on a fall of 30 % or less within the hour', () => {
    const s = auctionBreaker(path([0, 100], [1_800, 85], [3_500, 70]), 3_500);
    expect(s.paused).toBe(false);
    expect(s.largestDrop).toBeCloseTo(0.3, 12);
  });

  it('pauses on a fall of more than 30 % within one hour, until an hour after the last tripping sample', () => {
    const history = path([0, 100], [600, 90], [1_200, 69]);
    const s = auctionBreaker(history, 1_300);
    expect(s).toMatchObject({ paused: true, trippedAt: 1_200, pausedUntil: 1_200 + HOUR, referencePrice: 100, triggerPrice: 69 });
    expect(auctionBreaker(history, 1_200 + HOUR - 1).paused).toBe(true);
    expect(auctionBreaker(history, 1_200 + HOUR).paused).toBe(false);
  });

  it('does not trip on the same fall spread over more than an hour', () => {
    expect(auctionBreaker(path([0, 100], [HOUR + 1, 60]), HOUR + 2).paused).toBe(false);
    expect(auctionBreaker(path([0, 100], [HOUR / 2, 90], [HOUR + 1, 60]), HOUR + 2).paused).toBe(true);
  });

  it('a guardian resume lifts the pause; only a new fall after it trips again', () => {
    const history = path([0, 100], [600, 60], [1_200, 58]);
    expect(auctionBreaker(history, 1_300, undefined, 1_250).paused).toBe(false);
    const again = path([0, 100], [600, 60], [1_300, 60], [1_900, 40]);
    expect(auctionBreaker(again, 2_000, undefined, 1_250)).toMatchObject({ paused: true, trippedAt: 1_900, referencePrice: 60 });
  });

  it('reads samples of the same second in the order given: a fall within the second trips it, a rise does not', () => {
    expect(auctionBreaker(path([100, 1], [100, 1.43]), 100).paused).toBe(false);
    expect(auctionBreaker(path([100, 1.43], [100, 1]), 100).paused).toBe(true);
  });

  it('ignores points after now and rejects bad parameters', () => {
    expect(auctionBreaker(path([0, 100], [500, 10]), 400).paused).toBe(false);
    expect(() => auctionBreaker([], 0, { maxDrop: 1, windowSeconds: HOUR })).toThrow(RangeError);
  });

  it('property: paused exactly when some point within the last hour stood > β below the high of its own preceding hour (ties in the order given)', () => {
    const pointsArb = fc.array(fc.record({ at: fc.integer({ min: 0, max: 5 * HOUR }), price: fc.double({ min: 1, max: 100, noNaN: true }) }), {
      maxLength: 40,
    });
    fc.assert(
      fc.property(pointsArb, fc.integer({ min: 0, max: 6 * HOUR }), (points, now) => {
        // Samples of one second count in the order given (a fall within the second is a fall; a rise is not).
        const seen = points.filter((p) => p.at <= now).sort((a, b) => a.at - b.at);
        const tripped = seen.filter((p, i) => {
          const high = Math.max(
            ...seen
              .slice(0, i + 1)
              .filter((q) => q.at >= p.at - HOUR)
              .map((q) => q.price),
          );
          return p.price < (1 - 0.3) * high;
        });
        const expected = tripped.some((p) => now < p.at + HOUR);
        expect(auctionBreaker(points, now).paused).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });
});
