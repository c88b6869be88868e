/** Display formatting: every number with its unit, en-US grouping, a real minus sign, "—" for unknown. */

const MINUS = '\u2212';
const DASH = '—';

function grouped(value: number, minDigits: number, maxDigits: number): string {
  const text = new Intl.NumberFormat('en-US', { minimumFractionDigits: minDigits, maximumFractionDigits: maxDigits }).format(Math.abs(value));
  return value < 0 && text !== new Intl.NumberFormat('en-US', { minimumFractionDigits: minDigits }).format(0) ? `${MINUS}${text}` : text;
}

const known = (value: number | null | undefined): value is number => typeof value === 'number' && Number.isFinite(value);

/** US dollars with cents: `9,476.59 USD`, `−12.00 USD`. */
export function formatUsd(value: number | null | undefined): string {
  return known(value) ? `${grouped(value, 2, 2)} USD` : DASH;
}

/** A signed change in US dollars: `+12.50 USD`, `−3.00 USD`. */
export function formatUsdChange(value: number | null | undefined): string {
  if (!known(value)) return DASH;
  return value > 0 ? `+${formatUsd(value)}` : formatUsd(value);
}

/** A token amount (human units, as a decimal string or number) with its symbol: `1,000 USDC`, `0.25 WETH`. */
export function formatAmount(value: string | number | null | undefined, symbol: string, maxDigits = 6): string {
  if (value === null || value === undefined || value === '') return DASH;
  const number = typeof value === 'string' ? Number(value) : value;
  return known(number) ? `${grouped(number, 0, maxDigits)} ${symbol}` : DASH;
}

/** Health (C_maint + Ua) / R_maint: two decimals; unbounded (nothing required) as ∞. */
export function formatHealth(value: number | null | undefined): string {
  if (value === null) return '∞';
  if (!known(value)) return DASH;
  if (value >= 1000) return '> 1,000';
  return grouped(value, 2, 2);
}

/** A ratio as a percentage: 0.0005 → `0.05 %`. */
export function formatPercent(value: number | null | undefined, digits = 2): string {
  return known(value) ? `${grouped(value * 100, 0, digits)} %` : DASH;
}

/** A chain weight v_c ∈ [0, 1]: `1.00`, `0.73`. */
export function formatWeight(value: number | null | undefined): string {
  return known(value) ? grouped(value, 2, 2) : DASH;
}

/** A duration: `850 ms`, `4.21 s`, `2 min 5 s`, `3 h 10 min`. */
export function formatDuration(ms: number | null | undefined): string {
  if (!known(ms)) return DASH;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  const s = Math.round(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** Seconds as a duration: `1.6 s`. */
export const formatSeconds = (seconds: number | null | undefined): string => (known(seconds) ? formatDuration(seconds * 1000) : DASH);

/** How long ago `iso` was, relative to `now` (ms): `just now`, `12 s ago`, `3 min ago`. */
export function formatAgo(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return 'never';
  const at = Date.parse(iso);
  if (!Number.isFinite(at)) return DASH;
  const ms = Math.max(0, now - at);
  return ms < 1000 ? 'just now' : `${formatDuration(ms).replace(/\.\d+ s$/, ' s')} ago`;
}

/** Native gas-token amount (the chain's own coin): `0.0012 native`. */
export const formatNative = (value: string | number | null | undefined): string => formatAmount(value, 'native', 6);

/** Whole counts: `1,204 packets`. */
export function formatCount(value: number | null | undefined, unit: string, plural = `${unit}s`): string {
  return known(value) ? `${grouped(value, 0, 0)} ${value === 1 ? unit : plural}` : DASH;
}

/** 0x1234…abcd */
export const shortHex = (hex: string | null | undefined, keep = 4): string => (hex ? `${hex.slice(0, 2 + keep)}…${hex.slice(-keep)}` : DASH);

/** A 1e18 fixed-point decimal string as a float (USD amounts of the ledger). */
export const wadToNumber = (wad: string | null | undefined): number | null => (wad === null || wad === undefined ? null : Number(BigInt(wad)) / 1e18);
