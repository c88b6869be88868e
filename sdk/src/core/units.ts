import { formatUnits, parseUnits } from 'ethers';
import { TributaryError } from './errors';

const DECIMAL = /^\d+(\.\d+)?$/;

/** A positive human amount (`"1000"`, `"0.5"`) in base units of a token with `decimals`. */
export function parseAmount(amount: string | number, decimals: number, what = 'amount'): bigint {
  const text = String(amount).trim();
  if (!DECIMAL.test(text)) throw new TributaryError('invalid-argument', `${what} must be a positive decimal number, got "${amount}"`);
  const [, fraction = ''] = text.split('.');
  if (fraction.length > decimals) throw new TributaryError('invalid-argument', `${what} ${text} has more than ${decimals} decimals`);
  const value = parseUnits(text, decimals);
  if (value === 0n) throw new TributaryError('invalid-argument', `${what} must be more than 0`);
  return value;
}

/** A signed human size (`"2"`, `"-0.5"`) in 1e18 units (perp sizes). */
export function parseSize(size: string | number): bigint {
  const text = String(size).trim();
  const negative = text.startsWith('-');
  const magnitude = parseAmount(negative ? text.slice(1) : text.replace(/^\+/, ''), 18, 'size');
  return negative ? -magnitude : magnitude;
}

/** Base units as a human decimal string without trailing zeros (`1500000`, 6 → `"1.5"`). */
export function formatAmount(value: bigint, decimals: number): string {
  const text = formatUnits(value, decimals);
  return text.endsWith('.0') ? text.slice(0, -2) : text;
}

/** 1e18 fixed-point USD as a float (display and the risk model's units). */
export const usd = (wad: bigint): number => Number(formatUnits(wad, 18));
