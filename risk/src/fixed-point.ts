const SCALE = 10n ** 18n;

/**
 * `floor(x · 10^18)` of the exact binary value of `x`, as a bigint; negative values (and −0) give 0n.
 * Exact for any finite double (no float multiplication), so it never rounds up and is monotone.
 * Throws on NaN and ±Infinity: a non-finite amount must never reach the chain.
 */
export function toFixed18(x: number): bigint {
  if (!Number.isFinite(x)) throw new RangeError(`cannot convert ${x} to 1e18 fixed point`);
  if (x <= 0) return 0n;
  const { mantissa, exponent } = decompose(x);
  if (exponent >= 0) return (mantissa << BigInt(exponent)) * SCALE;
  return (mantissa * SCALE) >> BigInt(-exponent);
}

/** x = mantissa · 2^exponent with an integer mantissa (x > 0, finite). */
function decompose(x: number): { mantissa: bigint; exponent: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const high = view.getUint32(0);
  const low = view.getUint32(4);
  const biasedExponent = (high >>> 20) & 0x7ff;
  const fraction = (BigInt(high & 0xfffff) << 32n) | BigInt(low);
  if (biasedExponent === 0) return { mantissa: fraction, exponent: -1074 };
  return { mantissa: fraction | (1n << 52n), exponent: biasedExponent - 1075 };
}

/** The inverse for display and tests: a 1e18 fixed-point bigint as a float64 (rounded). */
export function fromFixed18(value: bigint): number {
  const whole = value / SCALE;
  const rest = value % SCALE;
  return Number(whole) + Number(rest) / 1e18;
}
