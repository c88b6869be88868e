import { z } from 'zod';

const int = z.number().int();
const usd = z.number().describe('USD (float64)');

const outcome = z.strictObject({
  maxStep: z.number().describe('δ'),
  intervalSeconds: z.number().describe('τ'),
  stablePriceAtHorizon: usd.describe('s after the horizon with the oracle price where it is now (one tracker step)'),
  blockJumpPerUnit: usd.describe('the most one block can raise s per unit in a spike: s · (e^{δ·Δt/τ} − 1)'),
  blockJumpUsd: usd.describe('blockJumpPerUnit × units: the most a one-block spike adds to the book’s credit through this asset'),
});

const bookAt = z.strictObject({ creditLimit: usd.describe('Σ credit limits'), liquidatable: int });

/** The dampener part of POST /v1/risk/preview-params (docs/breakers-and-dampeners.md, "Changing δ or τ"). */
export const stablePreview = z
  .strictObject({
    horizonSeconds: int.nullable().describe("the request's stableHorizonSeconds; null: each asset's current τ"),
    blockSeconds: z.number().describe('Δt of one block'),
    assets: z.array(
      z.strictObject({
        assetId: int,
        oraclePrice: usd,
        stablePrice: usd.describe("the tracker's s now"),
        units: z.number().describe('Σ balances + Σ long sizes on the asset over the book (what a rise of s revalues, at most)'),
        current: outcome,
        proposed: outcome,
      }),
    ),
    now: bookAt,
    current: bookAt.describe('the book after the horizon under the current δ/τ'),
    proposed: bookAt.describe('the book after the horizon under the proposed δ/τ'),
    creditAdded: usd.describe('Σ max(0, proposed − current) over the accounts at the horizon'),
    creditRemoved: usd.describe('Σ max(0, current − proposed)'),
  })
  .nullable()
  .describe('a proposed stable-price δ/τ against the book (null: the request names none); liquidations read the oracle alone');
