import { z } from 'zod';

/** Finite number with the field's name in every message (zod 4 numbers already reject ±Infinity and NaN). */
function finite(field: string) {
  return z.number({ error: `${field} must be a finite number` });
}
const nonNegative = (field: string) => finite(field).min(0, { error: `${field} must be ≥ 0` });
const fraction = (field: string) =>
  finite(field)
    .min(0, { error: `${field} must be in [0, 1]` })
    .max(1, { error: `${field} must be in [0, 1]` });
const nonEmptyId = (field: string) => z.string({ error: `${field} must be a string` }).min(1, { error: `${field} must not be empty` });

export const DEFAULT_STRESS = 1.25;

export const riskAssetSchema = z.object({
  id: nonEmptyId('asset id'),
  price: nonNegative('price'),
  weightInit: fraction('weightInit'),
  weightMaint: fraction('weightMaint'),
  imf: nonNegative('imf'),
  volatility: nonNegative('volatility'),
  /** Dampened price for the init side (docs/risk-model.md "Stable price"); absent = the oracle price. */
  stablePrice: nonNegative('stablePrice').optional(),
});

export const riskCorrelationSchema = z.object({
  a: nonEmptyId('correlation a'),
  b: nonEmptyId('correlation b'),
  rho: finite('rho').min(-1, { error: 'rho must be in [-1, 1]' }).max(1, { error: 'rho must be in [-1, 1]' }),
});

export const riskChainSchema = z.object({
  eid: z.number({ error: 'chain eid must be a number' }).int({ error: 'chain eid must be an integer' }).min(0, { error: 'chain eid must be ≥ 0' }),
  weight: fraction('chain weight'),
});

export const riskBalanceSchema = z.object({
  eid: z.number({ error: 'balance eid must be a number' }).int({ error: 'balance eid must be an integer' }),
  assetId: nonEmptyId('balance assetId'),
  amount: nonNegative('balance amount'),
});

export const riskPositionSchema = z.object({
  assetId: nonEmptyId('position assetId'),
  size: finite('position size'),
  entryPrice: nonNegative('entryPrice'),
  imr: fraction('imr'),
  mmr: fraction('mmr'),
});

export const riskParamsSchema = z.object({
  zInit: nonNegative('zInit'),
  zMaint: nonNegative('zMaint'),
  horizonDays: finite('horizonDays').gt(0, { error: 'horizonDays must be > 0' }),
  stress: finite('stress').gt(0, { error: 'stress must be > 0' }).default(DEFAULT_STRESS),
  pnlWeight: fraction('pnlWeight'),
});

/** Request body of `POST /v1/risk/evaluate` (and the input of `evaluateRisk`). */
export const riskRequestSchema = z
  .object({
    assets: z.array(riskAssetSchema, { error: 'assets must be an array' }),
    correlations: z.array(riskCorrelationSchema, { error: 'correlations must be an array' }).default([]),
    chains: z.array(riskChainSchema, { error: 'chains must be an array' }),
    balances: z.array(riskBalanceSchema, { error: 'balances must be an array' }).default([]),
    positions: z.array(riskPositionSchema, { error: 'positions must be an array' }).default([]),
    /** Signed USD cash of the account on the trading chain; counts at weight 1 in both collaterals. */
    cash: finite('cash').default(0),
    params: riskParamsSchema,
  })
  .superRefine((request, ctx) => {
    const assetIds = new Set<string>();
    request.assets.forEach((asset, i) => {
      if (assetIds.has(asset.id)) ctx.addIssue({ code: 'custom', path: ['assets', i, 'id'], message: `asset id '${asset.id}' is listed twice` });
      assetIds.add(asset.id);
    });
    const eids = new Set<number>();
    request.chains.forEach((chain, i) => {
      if (eids.has(chain.eid)) ctx.addIssue({ code: 'custom', path: ['chains', i, 'eid'], message: `chain eid ${chain.eid} is listed twice` });
      eids.add(chain.eid);
    });
    const pairs = new Set<string>();
    request.correlations.forEach((corr, i) => {
      for (const side of ['a', 'b'] as const) {
        if (!assetIds.has(corr[side]))
          ctx.addIssue({ code: 'custom', path: ['correlations', i, side], message: `correlation ${side} '${corr[side]}' is not a listed asset` });
      }
      if (corr.a === corr.b)
        ctx.addIssue({ code: 'custom', path: ['correlations', i, 'b'], message: `correlation of '${corr.a}' with itself is always 1; remove it` });
      const key = JSON.stringify([corr.a, corr.b].sort());
      if (pairs.has(key)) ctx.addIssue({ code: 'custom', path: ['correlations', i], message: `correlation ${corr.a}/${corr.b} is listed twice` });
      pairs.add(key);
    });
    const balanceKeys = new Set<string>();
    request.balances.forEach((balance, i) => {
      if (!eids.has(balance.eid))
        ctx.addIssue({ code: 'custom', path: ['balances', i, 'eid'], message: `balance eid ${balance.eid} is not a listed chain` });
      if (!assetIds.has(balance.assetId))
        ctx.addIssue({ code: 'custom', path: ['balances', i, 'assetId'], message: `balance assetId '${balance.assetId}' is not a listed asset` });
      const key = `${balance.eid}:${balance.assetId}`;
      if (balanceKeys.has(key))
        ctx.addIssue({ code: 'custom', path: ['balances', i], message: `balance of '${balance.assetId}' on eid ${balance.eid} is listed twice` });
      balanceKeys.add(key);
    });
    request.positions.forEach((position, i) => {
      if (!assetIds.has(position.assetId))
        ctx.addIssue({ code: 'custom', path: ['positions', i, 'assetId'], message: `position assetId '${position.assetId}' is not a listed asset` });
    });
  });

/** What a caller sends (stress and the optional arrays may be left out). */
export type RiskRequestInput = z.input<typeof riskRequestSchema>;
/** A validated request, defaults filled in. */
export type RiskRequest = z.output<typeof riskRequestSchema>;
export type RiskAsset = RiskRequest['assets'][number];
export type RiskCorrelation = RiskRequest['correlations'][number];
export type RiskChain = RiskRequest['chains'][number];
export type RiskBalance = RiskRequest['balances'][number];
export type RiskPosition = RiskRequest['positions'][number];
export type RiskParams = RiskRequest['params'];

/** Issues as `path: message` lines, e.g. `assets.0.price: price must be ≥ 0`. */
export function describeRiskRequestIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.join('.') || '(request)'}: ${issue.message}`);
}
