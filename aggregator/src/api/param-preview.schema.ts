import { z } from 'zod';

const fraction = z.number().finite().min(0).max(1);
const assetId = z.number().int().min(0).max(65_535);
/** A proposed cap (docs/breakers-and-dampeners.md#caps): units of the asset, or USD. */
const cap = z.number().finite().positive();
const seconds = z
  .number()
  .int()
  .min(1)
  .max(30 * 86_400);

/** POST /v1/risk/preview-params: a proposed change of risk parameters (manifest asset ids, chain eids). */
export const previewParamsRequestSchema = z
  .strictObject({
    assets: z
      .array(
        z.strictObject({
          assetId,
          weightInit: fraction.optional(),
          weightMaint: fraction.optional(),
          imf: z.number().finite().min(0).optional(),
          volatility: z.number().finite().min(0).optional(),
          accountExposureCap: cap.optional().describe("one account's |exposure| to the asset, USD"),
          stableMaxStep: z.number().finite().gt(0).lt(1).optional().describe("the stable price's δ per τ (RiskParameters kind stableMaxStep)"),
          stableIntervalSeconds: seconds.optional().describe("the stable price's τ (kind stableInterval)"),
        }),
      )
      .max(256)
      .optional(),
    markets: z
      .array(
        z.strictObject({
          assetId,
          imr: fraction.optional(),
          mmr: fraction.optional(),
          openInterestCap: cap.optional().describe("the market's Σ |size|, units of the asset"),
          accountOpenInterestCap: cap.optional().describe("one account's |size|, units of the asset"),
        }),
      )
      .max(256)
      .optional(),
    chains: z
      .array(z.strictObject({ eid: z.number().int().min(1), weight: fraction }))
      .max(256)
      .optional(),
    stableHorizonSeconds: seconds
      .optional()
      .describe("how far ahead the stable price is projected with the oracle standing still (default: each asset's current τ)"),
    blockSeconds: z.number().finite().gt(0).max(3600).optional().describe('Δt of one block for the spike bound (default 12)'),
    params: z
      .strictObject({
        zInit: z.number().finite().min(0).optional(),
        zMaint: z.number().finite().min(0).optional(),
        horizonDays: z.number().finite().gt(0).max(365).optional(),
        stress: z.number().finite().gt(0).max(100).optional(),
        pnlWeight: fraction.optional(),
      })
      .optional(),
  })
  .refine((c) => Boolean(c.assets?.length || c.markets?.length || c.chains?.length || (c.params && Object.keys(c.params).length)), {
    message: 'name at least one change (assets, markets, chains or params)',
  });

export type PreviewParamsRequest = z.output<typeof previewParamsRequestSchema>;
