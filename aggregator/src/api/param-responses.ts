import { z } from 'zod';

const int = z.number().int();

/** GET /v1/risk/params: the governed risk parameters the live book uses, and where they were read. */
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
        openInterestCap: z.number().nullable().describe("cap on the market's Σ |size|, units of the asset (null: none)"),
        accountOpenInterestCap: z.number().nullable().describe("cap on one account's |size|, units (null: none)"),
        openInterest: z.number().nullable().describe('Σ |size| on the live book now, units (null: no caps read or the engine is idle)'),
      }),
    )
    .describe('margin ratios and caps of listed markets (docs/breakers-and-dampeners.md#caps)'),
  exposureCaps: z
    .array(z.strictObject({ assetId: int, accountExposureCap: z.number().nullable().describe("cap on one account's |exposure|, USD (null: none)") }))
    .describe('per traded asset'),
});

export type RiskParamsResponse = z.output<typeof riskParamsResponse>;
