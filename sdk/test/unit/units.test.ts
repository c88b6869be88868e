import { formatAmount, parseAmount, parseSize, usd } from '../../src';

describe('amounts in human units', () => {
  it('parses positive decimals into base units and refuses what is not one', () => {
    expect(parseAmount('1000', 6)).toBe(1_000_000_000n);
    expect(parseAmount('0.5', 18)).toBe(5n * 10n ** 17n);
    expect(parseAmount(' 2.25 ', 8)).toBe(225_000_000n);
    expect(() => parseAmount('-1', 6)).toThrow(/positive decimal/);
    expect(() => parseAmount('1e3', 6)).toThrow(/positive decimal/);
    expect(() => parseAmount('0', 6)).toThrow(/more than 0/);
    expect(() => parseAmount('0.0000001', 6)).toThrow(/more than 6 decimals/);
  });

  it('parses signed sizes in 1e18 units', () => {
    expect(parseSize('2')).toBe(2n * 10n ** 18n);
    expect(parseSize('-0.5')).toBe(-(5n * 10n ** 17n));
    expect(parseSize('+1')).toBe(10n ** 18n);
    expect(() => parseSize('-')).toThrow(/size/);
  });

  it('formats base units without trailing zeros, and 1e18 USD as a number', () => {
    expect(formatAmount(1_500_000n, 6)).toBe('1.5');
    expect(formatAmount(10n ** 18n, 18)).toBe('1');
    expect(formatAmount(-(2n * 10n ** 18n), 18)).toBe('-2');
    expect(usd(12_345n * 10n ** 16n)).toBe(123.45);
  });
});
