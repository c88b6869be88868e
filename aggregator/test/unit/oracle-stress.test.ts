import { OracleStress } from '../../src/oracle/oracle-stress';

const HOUR = 3_600;
const settings = { stable: { maxStep: 0.02, intervalSeconds: HOUR }, breaker: { maxDrop: 0.3, windowSeconds: HOUR }, bookEpsilon: 0.0001 };

describe('OracleStress (stable prices and breakers on chain time)', () => {
  it('starts the stable price at the first accepted price, then moves it by at most δ per τ of chain time', () => {
    const stress = new OracleStress(settings);
    expect(stress.observe(1, 2_000, 1_000)).toBe(true);
    expect(stress.bookStablePrice(1)).toBe(2_000);
    // A 40 % spike: one 2 s block later s moved by 2,000 · 0.02 · 2 / 3,600 ≈ 0.022, below the book's epsilon.
    expect(stress.observe(1, 2_800, 1_002)).toBe(false);
    expect(stress.stablePrice(1)!.price).toBeCloseTo(2_000 + (2_000 * 0.02 * 2) / HOUR, 9);
    expect(stress.bookStablePrice(1)).toBe(2_000);
    // An hour of chain time later: +2 % (from the last step), and the book takes it.
    expect(stress.observe(1, 2_800, 1_002 + HOUR)).toBe(true);
    expect(stress.bookStablePrice(1)).toBeCloseTo(2_000.0222 * 1.02, 3);
    expect(stress.lastChainTime).toBe(1_002 + HOUR);
  });

  it('hands the book the oracle price as soon as s reaches it', () => {
    const stress = new OracleStress(settings);
    stress.observe(1, 100, 0);
    stress.observe(1, 100.0005, 1); // within one second's step (100 · 0.02 / 3,600 ≈ 0.00056)
    expect(stress.bookStablePrice(1)).toBe(100.0005);
  });

  it('rebuilds s from persisted samples instead of jumping to a spiked price after a restart', () => {
    const stress = new OracleStress(settings);
    stress.seed(
      1,
      [
        { at: 0, price: 2_000 },
        { at: HOUR, price: 2_000 },
        { at: 2 * HOUR, price: 2_800 },
      ],
      10 * HOUR,
    );
    expect(stress.stablePrice(1)).toEqual({ price: 2_040, lastUpdate: 10 * HOUR });
    expect(stress.breaker(1, 10 * HOUR).largestDrop).toBe(0);
    stress.observe(1, 2_800, 10 * HOUR + 1);
    expect(stress.bookStablePrice(1)).toBeCloseTo(2_040, 1);
  });

  it('keeps a recent fall across a restart: the breaker history is seeded from the samples too', () => {
    const stress = new OracleStress(settings);
    stress.seed(
      2,
      [
        { at: 0, price: 100 },
        { at: 1_800, price: 60 },
        { at: 99_999, price: 1 }, // after the chain's now: ignored
      ],
      2_000,
    );
    expect(stress.breaker(2, 2_000)).toMatchObject({ paused: true, trippedAt: 1_800 });
    expect(stress.stablePrice(2)!.price).toBeCloseTo(100 * (1 - (0.02 * 1_800) / HOUR), 9);
  });

  it('trips the auction breaker on a fall of more than 30 % within the hour, for an hour', () => {
    const stress = new OracleStress(settings);
    stress.observe(2, 100, 0);
    stress.observe(2, 90, 600);
    stress.observe(2, 65, 1_200);
    expect(stress.breaker(2)).toMatchObject({ paused: true, trippedAt: 1_200, pausedUntil: 1_200 + HOUR, referencePrice: 100, triggerPrice: 65 });
    expect(stress.breaker(2, 1_200 + HOUR).paused).toBe(false);
    expect(stress.breaker(3).paused).toBe(false);
  });

  it('keeps the window high while the price stands still, and forgets points older than two windows', () => {
    const stress = new OracleStress(settings);
    for (let t = 0; t <= 3 * HOUR; t += 1) stress.observe(4, 100, t);
    stress.observe(4, 60, 3 * HOUR + 1);
    expect(stress.breaker(4)).toMatchObject({ paused: true, referencePrice: 100 });
  });
});
