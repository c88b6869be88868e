import {
  formatAgo,
  formatAmount,
  formatDuration,
  formatHealth,
  formatPercent,
  formatUsd,
  formatUsdChange,
  shortHex,
  wadToNumber,
} from '../src/lib/format';

describe('formatting with units', () => {
  it('dollars with cents, grouping and a real minus; unknown as a dash', () => {
    expect(formatUsd(9476.594)).toBe('9,476.59 USD');
    expect(formatUsd(-0.154)).toBe('\u22120.15 USD');
    expect(formatUsd(-0.001)).toBe('0.00 USD');
    expect(formatUsd(null)).toBe('—');
    expect(formatUsd(Number.NaN)).toBe('—');
    expect(formatUsdChange(12.5)).toBe('+12.50 USD');
  });

  it('token amounts keep their symbol and significant decimals', () => {
    expect(formatAmount('1000', 'USDC')).toBe('1,000 USDC');
    expect(formatAmount('0.123456789', 'WETH')).toBe('0.123457 WETH');
    expect(formatAmount(865.810526, 'USDC', 4)).toBe('865.8105 USDC');
    expect(formatAmount('', 'USDC')).toBe('—');
  });

  it('health: two decimals, ∞ when nothing is required, capped display', () => {
    expect(formatHealth(1.234)).toBe('1.23');
    expect(formatHealth(null)).toBe('∞');
    expect(formatHealth(undefined)).toBe('—');
    expect(formatHealth(12_345)).toBe('> 1,000');
  });

  it('durations, ages, percentages, hex and 1e18 decimals', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(4210)).toBe('4.21 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
    expect(formatDuration(3 * 3600_000 + 600_000)).toBe('3 h 10 min');
    const now = Date.parse('2026-01-01T00:01:00Z');
    expect(formatAgo('2026-01-01T00:00:48Z', now)).toBe('12 s ago');
    expect(formatAgo('2026-01-01T00:01:00Z', now)).toBe('just now');
    expect(formatAgo(null, now)).toBe('never');
    expect(formatPercent(0.0005, 3)).toBe('0.05 %');
    expect(shortHex('0x14dC79964da2C08b23698B3D3cc7Ca32193d9955')).toBe('0x14dC…9955');
    expect(wadToNumber('-1500000000000000000')).toBe(-1.5);
  });
});
