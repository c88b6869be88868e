import { feedToWad, pokeDue, shouldTake } from '../src/devnet/auction-taker';

describe('auction taker rule', () => {
  it('takes only at or below the oracle price', () => {
    const oracle = 3_000n * 10n ** 18n;
    expect(shouldTake(oracle + 1n, oracle)).toBe(false);
    expect(shouldTake(oracle, oracle)).toBe(true);
    expect(shouldTake((oracle * 6n) / 10n, oracle)).toBe(true);
    expect(shouldTake(0n, oracle)).toBe(false); // an unpriced lot is redone, not taken
    expect(shouldTake(oracle, 0n)).toBe(false);
  });

  it('scales feed answers to 1e18', () => {
    expect(feedToWad(3_000n * 10n ** 8n, 8)).toBe(3_000n * 10n ** 18n);
    expect(feedToWad(5n, 18)).toBe(5n);
    expect(feedToWad(7n * 10n ** 20n, 20)).toBe(7n * 10n ** 18n);
  });

  it('feeds the auction breaker when the price moved, or after a while at the same price', () => {
    expect(pokeDue(undefined, 5n, 0, 60_000)).toBe(true);
    expect(pokeDue({ answer: 5n, at: 0 }, 5n, 59_999, 60_000)).toBe(false);
    expect(pokeDue({ answer: 5n, at: 0 }, 5n, 60_000, 60_000)).toBe(true);
    expect(pokeDue({ answer: 5n, at: 0 }, 6n, 1, 60_000)).toBe(true);
  });
});
