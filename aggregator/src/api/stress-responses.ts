import { z } from 'zod';

/** Response bodies of the breaker and dampener routes (docs/breakers-and-dampeners.md). */

const int = z.number().int();
const usd = z.number().describe('USD (float64)');
const isoTime = z.iso.datetime().describe('ISO 8601 time (UTC)');
const address = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/)
  .describe('0x address');

export const oracleStressResponse = z.strictObject({
  chainTime: isoTime.nullable().describe('trading-chain time of the last oracle poll: the clock of the stable prices and the breakers'),
  stablePrice: z
    .strictObject({ maxStep: z.number().describe('δ per interval'), intervalSeconds: int.describe('τ') })
    .describe("the env defaults (STABLE_PRICE_*): an asset without governed δ/τ on chain uses them; see each asset's stableParams"),
  auctionBreaker: z.strictObject({ maxDrop: z.number().describe('β'), windowSeconds: int }),
  assets: z.array(
    z.strictObject({
      assetId: int,
      symbol: z.string(),
      price: usd.nullable().describe('last accepted oracle price'),
      stablePrice: usd.nullable().describe("the tracker's stable price s (moves toward the oracle by at most δ per τ)"),
      stableParams: z
        .strictObject({ maxStep: z.number(), intervalSeconds: int })
        .describe("δ and τ the tracker uses for this asset: the chain's governed values, else the defaults"),
      bookStablePrice: usd.nullable().describe('the stable price the risk book uses (follows s in steps of at least STABLE_PRICE_BOOK_EPSILON)'),
      stableUpdatedAt: isoTime.nullable(),
      gap: z.number().nullable().describe('s / p − 1'),
      breaker: z.strictObject({
        paused: z.boolean().describe("the aggregator's own decision from the trading chain's oracle history (the same rule the auctions enforce)"),
        trippedAt: isoTime.nullable(),
        pausedUntil: isoTime.nullable(),
        referencePrice: usd.nullable().describe('the window high the fall is measured from'),
        triggerPrice: usd.nullable(),
        largestDrop: z.number().describe('largest fall within one window in the kept history (fraction)'),
      }),
      onChain: z
        .array(
          z.strictObject({
            eid: int,
            chain: z.string(),
            paused: z.boolean().describe("the chain's CollateralAuction pauses this asset's takes and redos (lots kicked meanwhile open unpriced)"),
            pausedUntil: isoTime.nullable(),
            trippedAt: isoTime.nullable(),
            resumedAt: isoTime.nullable().describe("the guardian's last resume (points up to it no longer count, here too)"),
            referencePrice: usd.nullable().describe('the window high the last trip fell from'),
            maxDrop: z.number().describe("the auction's governed β"),
            windowSeconds: int,
          }),
        )
        .describe("what each collateral chain's auction enforces, as last read (AUCTION_BREAKER_POLL_MS)"),
    }),
  ),
});

const candidate = z.strictObject({
  account: address,
  health: z.number().nullable(),
  notional: usd.describe('notional the liquidation closes (Σ|q|·p)'),
  seized: usd.describe('collateral it is expected to seize (the deficit after closing at the oracle with the penalty)'),
});

export const liquidationQueueResponse = z.strictObject({
  limit: usd.describe('L_max = maxFractionOfOpenInterest × referenceOpenInterest'),
  used: usd.describe('notional closed plus collateral seized admitted within the window'),
  openInterest: usd.describe('Σ|q|·p over every open position of the book'),
  referenceOpenInterest: usd.describe('the highest open interest seen over LIQUIDATION_OI_REFERENCE_S (what L_max is a share of)'),
  maxFractionOfOpenInterest: z.number(),
  windowSeconds: int,
  nextReleaseAt: isoTime.nullable().describe('when the oldest admission leaves the window'),
  window: z.array(z.strictObject({ account: address, at: isoTime, cost: usd })),
  admittable: z.array(candidate).describe('liquidatable accounts an admission now would let through, lowest health first'),
  queued: z.array(candidate).describe('liquidatable accounts that wait for the window, lowest health first'),
});

export type OracleStressResponse = z.output<typeof oracleStressResponse>;
export type LiquidationQueueResponse = z.output<typeof liquidationQueueResponse>;
