import { changedConfig } from './param-preview';
import { RiskBook } from './risk-book';
import { RiskInputError } from './risk-result';
import { updateStablePrice, validateStablePriceParams, type StablePriceParams, type StablePriceState } from './stable-price';

/** A proposed δ/τ of one asset's stable price, with the tracker's state now (absent: s = the book's price). */
export interface StableParamsChange {
  assetId: string;
  current: StablePriceParams;
  proposed: StablePriceParams;
  state?: StablePriceState;
}

export interface StableAssetPreview {
  assetId: string;
  oraclePrice: number;
  stablePrice: number;
  /** Units on the init side that a rise of s revalues: Σ balances + Σ long sizes over the book (an upper bound of G). */
  units: number;
  current: StableOutcome;
  proposed: StableOutcome;
}

export interface StableOutcome extends StablePriceParams {
  /** s after the horizon with the oracle standing still (one tracker step over the horizon). */
  stablePriceAtHorizon: number;
  /** The most one block of Δt can raise s (and so p⁻) per unit in a spike from s = p: s · (e^{δ·Δt/τ} − 1). */
  blockJumpPerUnit: number;
  /** blockJumpPerUnit × units: the book-wide credit a one-block spike can add through this asset, at most. */
  blockJumpUsd: number;
}

export interface BookAt {
  creditLimit: number;
  liquidatable: number;
}

export interface StablePreview {
  horizonSeconds: number | null;
  blockSeconds: number;
  assets: StableAssetPreview[];
  now: BookAt;
  /** The book after the horizon under the current and under the proposed parameters (same oracle prices). */
  current: BookAt;
  proposed: BookAt;
  /** Σ max(0, proposed − current) and Σ max(0, current − proposed) of the accounts' credit limits at the horizon. */
  creditAdded: number;
  creditRemoved: number;
}

/**
 * What a proposed δ/τ does to the book (docs/breakers-and-dampeners.md): each asset's stable price after
 * `horizonSeconds` (default: the asset's current τ) with the oracle where it is, under the current and the proposed
 * parameters; the book's credit and liquidatable count under each; the largest one-block credit jump a spike could
 * cause. Maintenance health never reads s, so the liquidatable count cannot differ between the two. Throws
 * RiskInputError (and changes nothing) on a bad input.
 */
export function previewStableParams(
  book: RiskBook,
  changes: readonly StableParamsChange[],
  opts: { now: number; horizonSeconds?: number; blockSeconds: number },
): StablePreview {
  if (!(opts.blockSeconds > 0)) throw new RiskInputError('blockSeconds must be > 0');
  if (opts.horizonSeconds !== undefined && !(opts.horizonSeconds >= 0)) throw new RiskInputError('horizonSeconds must be ≥ 0');
  const units = heldUnits(book);
  const assets = changes.map((c): StableAssetPreview => {
    for (const params of [c.current, c.proposed]) {
      try {
        validateStablePriceParams(params);
      } catch (error) {
        throw new RiskInputError(`${c.assetId}: ${(error as Error).message}`);
      }
    }
    const k = book.market.assetIndex(c.assetId);
    const p = book.market.price[k];
    if (!(p > 0)) throw new RiskInputError(`asset '${c.assetId}' has no price yet`);
    const state = c.state ?? { price: p, lastUpdate: opts.now };
    const horizon = opts.horizonSeconds ?? c.current.intervalSeconds;
    const outcome = (params: StablePriceParams): StableOutcome => {
      const perUnit = state.price * Math.expm1((params.maxStep * opts.blockSeconds) / params.intervalSeconds);
      return {
        ...params,
        stablePriceAtHorizon: updateStablePrice(state, p, opts.now + horizon, params).price,
        blockJumpPerUnit: perUnit,
        blockJumpUsd: perUnit * (units.get(c.assetId) ?? 0),
      };
    };
    return {
      assetId: c.assetId,
      oraclePrice: p,
      stablePrice: state.price,
      units: units.get(c.assetId) ?? 0,
      current: outcome(c.current),
      proposed: outcome(c.proposed),
    };
  });
  const at = (pick: (a: StableAssetPreview) => number) =>
    bookWith(
      book,
      assets.map((a) => ({ assetId: a.assetId, stablePrice: pick(a) })),
    );
  const current = at((a) => a.current.stablePriceAtHorizon);
  const proposed = at((a) => a.proposed.stablePriceAtHorizon);
  const preview: StablePreview = {
    horizonSeconds: opts.horizonSeconds ?? null,
    blockSeconds: opts.blockSeconds,
    assets,
    now: { creditLimit: 0, liquidatable: 0 },
    current: { creditLimit: 0, liquidatable: 0 },
    proposed: { creditLimit: 0, liquidatable: 0 },
    creditAdded: 0,
    creditRemoved: 0,
  };
  for (const id of book.accountIds()) {
    const [n, c, q] = [book.summary(id)!, current.summary(id)!, proposed.summary(id)!];
    for (const [into, s] of [
      [preview.now, n],
      [preview.current, c],
      [preview.proposed, q],
    ] as const) {
      into.creditLimit += s.creditLimit;
      if (s.liquidatable) into.liquidatable++;
    }
    const delta = q.creditLimit - c.creditLimit;
    if (delta > 0) preview.creditAdded += delta;
    else preview.creditRemoved -= delta;
  }
  return preview;
}

/** A copy of the book with these stable prices (every account recomputed). */
function bookWith(book: RiskBook, stable: { assetId: string; stablePrice: number }[]): RiskBook {
  const next = new RiskBook(changedConfig(book.market.config(), { assets: stable }));
  for (const id of book.accountIds()) next.setAccount(id, book.holdings(id)!);
  return next;
}

function heldUnits(book: RiskBook): Map<string, number> {
  const units = new Map<string, number>();
  const add = (assetId: string, amount: number) => units.set(assetId, (units.get(assetId) ?? 0) + amount);
  for (const id of book.accountIds()) {
    const h = book.holdings(id)!;
    for (const b of h.balances) if (b.amount > 0) add(b.assetId, b.amount);
    for (const p of h.positions) if (p.size > 0) add(p.assetId, p.size);
  }
  return units;
}
