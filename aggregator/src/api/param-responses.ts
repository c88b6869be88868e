import { z } from 'zod';

const int = z.number().int();

/** GET /v1/risk/params: every governed risk parameter (each kind RiskParameters holds), and where it was read. */
export const riskParamsResponse = z.strictObject({
  source: z.enum(['chain', 'manifest']).describe("'chain': the trading chain's RiskParameters; 'manifest': it names none (older deployments)"),
  riskParameters: z.string().nullable().describe('RiskParameters address on the trading chain (null for the manifest)'),
  block: int.nullable().describe('trading-chain block the values were read at, or last checked for change logs (null for the manifest)'),
  checkedAt: z.iso.datetime().nullable().describe('when the chain was last read or polled'),
  assets: z
    .array(z.strictObject({ assetId: int, weightInit: z.number(), weightMaint: z.number() }))
    .describe('base weights before volatility scaling'),
  chains: z.array(z.strictObject({ eid: int, weight: z.number() })).describe('configured chain weight before liveness decay'),
  markets: z
    .array(
      z.strictObject({
        marketId: int,
        imr: z.number(),
        mmr: z.number(),
        takerFee: z.number().describe('fraction of the notional'),
        openInterestCap: z.number().nullable().describe("cap on the market's Σ |size|, units of the asset (null: none)"),
        accountOpenInterestCap: z.number().nullable().describe("cap on one account's |size|, units (null: none)"),
        openInterest: z.number().nullable().describe('Σ |size| on the live book now, units (null: no caps read or the engine is idle)'),
      }),
    )
    .describe('margin ratios, taker fee and caps of listed markets (docs/breakers-and-dampeners.md#caps)'),
  exposureCaps: z
    .array(z.strictObject({ assetId: int, accountExposureCap: z.number().nullable().describe("cap on one account's |exposure|, USD (null: none)") }))
    .describe('per traded asset'),
  stablePrice: z
    .array(
      z.strictObject({
        assetId: int,
        maxStep: z.number().describe('δ: the most the stable price moves per intervalSeconds (fraction)'),
        intervalSeconds: int.describe('τ'),
        source: z
          .enum(['chain', 'default'])
          .describe("'chain': the hub's StablePriceFeed (kinds stableMaxStep, stableInterval); 'default': env STABLE_PRICE_*"),
      }),
    )
    .describe("the dampener's δ and τ per asset, as the aggregator's stable-price tracker uses them"),
  liquidation: z
    .strictObject({
      markOverrideHealth: z.number().describe('PerpMarket.liquidate refuses an account whose on-chain conservative health is at least this'),
      penalty: z.number().describe('fraction of the closed notional: half to the caller, half to the insurance fund'),
    })
    .nullable()
    .describe('liquidation parameters (kinds markOverrideHealth, liquidationPenalty); null for the manifest'),
  pusherGuard: z
    .strictObject({
      capacityUsd: z.number().describe('largest book-wide credit increase the pusher may make at once'),
      refillUsdPerSecond: z.number().describe('rate the allowance refills'),
    })
    .nullable()
    .describe("the CreditManager's book-wide credit-increase guard on the pusher (kinds guardCapacity, guardRefill); null for the manifest"),
});

export type RiskParamsResponse = z.output<typeof riskParamsResponse>;
