import { getAddress } from 'ethers';
import { z } from 'zod';

/** A 20-byte address: all-lowercase, all-uppercase or correctly checksummed; returned checksummed. */
export const addressSchema = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 0x-prefixed 20-byte hex address')
  .transform((value, ctx) => {
    try {
      return getAddress(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'bad EIP-55 checksum (mixed-case address)' });
      return z.NEVER;
    }
  });

/** A small non-negative decimal integer from a query string (no signs, exponents, hex or blanks). */
const boundedInt = (name: string, min: number, max: number, fallback: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, `${name} must be a decimal integer`)
    .transform(Number)
    .pipe(z.number().int().min(min, `${name} must be ≥ ${min}`).max(max, `${name} must be ≤ ${max}`))
    .default(fallback);

export const MAX_PAGE_SIZE = 100;
export const MAX_OFFSET = 1_000_000;

export const pageQuerySchema = z.strictObject({
  limit: boundedInt('limit', 1, MAX_PAGE_SIZE, 20),
  offset: boundedInt('offset', 0, MAX_OFFSET, 0),
});

export const withdrawalStatusSchema = z.enum(['requested', 'pending', 'approved', 'rejected', 'released', 'settled']);

export const withdrawalsQuerySchema = pageQuerySchema.extend({ status: withdrawalStatusSchema.optional() });

/** GET /v1/risk/book: how many of the accounts nearest to liquidation to list. */
export const riskBookQuerySchema = z.strictObject({ nearest: boundedInt('nearest', 0, MAX_PAGE_SIZE, 10) });

export type PageQuery = z.output<typeof pageQuerySchema>;
export type RiskBookQuery = z.output<typeof riskBookQuerySchema>;
export type WithdrawalsQuery = z.output<typeof withdrawalsQuerySchema>;

/** Routes without parameters still reject unexpected ones (a typo should not pass silently). */
export const noQuerySchema = z.strictObject({});
