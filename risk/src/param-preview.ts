import { RiskBook, type AccountHoldings } from './risk-book';
import type { MarketConfig, MarketParams } from './risk-market';
import { RiskInputError } from './risk-result';

/** A proposed change of risk parameters; every field optional, ids as the book's. */
export interface ParamChange {
  assets?: { assetId: string; weightInit?: number; weightMaint?: number; imf?: number; volatility?: number; stablePrice?: number }[];
  /** New margin ratios of the perp market on an asset: every position on it takes them. */
  markets?: { assetId: string; imr?: number; mmr?: number }[];
  chains?: { eid: number; weight: number }[];
  params?: Partial<MarketParams>;
}

export interface AccountImpact {
  accountId: string;
  creditBefore: number;
  creditAfter: number;
  healthBefore: number | null;
  healthAfter: number | null;
}

export interface ParamPreview {
  accounts: number;
  /** Accounts not liquidatable now that the change makes liquidatable. */
  newlyLiquidatable: AccountImpact[];
  /** Accounts liquidatable now that the change makes healthy. */
  noLongerLiquidatable: number;
  creditBefore: number;
  creditAfter: number;
  /** Σ max(0, after − before) and Σ max(0, before − after) of the credit limits (USD). */
  creditAdded: number;
  creditRemoved: number;
  /** The accounts whose credit falls most (at most `top`), largest fall first. */
  hardestHit: AccountImpact[];
}

/** The market config with `change` applied (validated by the RiskBook built from it). */
export function changedConfig(config: MarketConfig, change: ParamChange): MarketConfig {
  const known = new Set(config.assets.map((a) => a.id));
  for (const id of [...(change.assets ?? []), ...(change.markets ?? [])].map((a) => a.assetId)) {
    if (!known.has(id)) throw new RiskInputError(`asset '${id}' is not listed`);
  }
  const eids = new Set(config.chains.map((c) => c.eid));
  for (const c of change.chains ?? []) if (!eids.has(c.eid)) throw new RiskInputError(`chain eid ${c.eid} is not listed`);
  const fraction = (value: number | undefined, what: string) => {
    if (value !== undefined && !(value >= 0 && value <= 1)) throw new RiskInputError(`${what} must be in [0, 1]`);
  };
  for (const a of change.assets ?? []) {
    fraction(a.weightInit, `weightInit of '${a.assetId}'`);
    fraction(a.weightMaint, `weightMaint of '${a.assetId}'`);
    if (a.stablePrice !== undefined && !(a.stablePrice > 0 && Number.isFinite(a.stablePrice)))
      throw new RiskInputError(`stablePrice of '${a.assetId}' must be > 0`);
    for (const field of ['imf', 'volatility'] as const)
      if (a[field] !== undefined && !(a[field]! >= 0 && Number.isFinite(a[field])))
        throw new RiskInputError(`${field} of '${a.assetId}' must be ≥ 0`);
  }
  for (const m of change.markets ?? []) {
    fraction(m.imr, `imr of '${m.assetId}'`);
    fraction(m.mmr, `mmr of '${m.assetId}'`);
  }
  for (const c of change.chains ?? []) fraction(c.weight, `weight of chain ${c.eid}`);
  return {
    ...config,
    assets: config.assets.map((a) => ({ ...a, ...definedFields(change.assets?.find((x) => x.assetId === a.id)) })),
    chains: config.chains.map((c) => ({ ...c, ...change.chains?.find((x) => x.eid === c.eid) })),
    params: { ...config.params, ...definedFields(change.params) },
  };
}

/** Holdings with a market's new margin ratios on every position of its asset. */
export function changedHoldings(holdings: AccountHoldings, change: ParamChange): AccountHoldings {
  if (!change.markets?.length) return holdings;
  return {
    ...holdings,
    positions: holdings.positions.map((p) => ({ ...p, ...definedFields(change.markets!.find((m) => m.assetId === p.assetId)) })),
  };
}

/**
 * What a parameter change would do to the book right now: every account recomputed in a new book built from the
 * current market with the change applied (same prices, stable prices, correlations), compared with today's result.
 * Throws RiskInputError (and changes nothing) on a change the model refuses.
 */
export function previewParams(book: RiskBook, change: ParamChange, top = 10): ParamPreview {
  const next = new RiskBook(changedConfig(book.market.config(), change));
  const impacts: AccountImpact[] = [];
  const preview: ParamPreview = {
    accounts: 0,
    newlyLiquidatable: [],
    noLongerLiquidatable: 0,
    creditBefore: 0,
    creditAfter: 0,
    creditAdded: 0,
    creditRemoved: 0,
    hardestHit: [],
  };
  for (const accountId of book.accountIds()) {
    const before = book.summary(accountId)!;
    const after = next.setAccount(accountId, changedHoldings(book.holdings(accountId)!, change));
    const impact = {
      accountId,
      creditBefore: before.creditLimit,
      creditAfter: after.creditLimit,
      healthBefore: before.health,
      healthAfter: after.health,
    };
    impacts.push(impact);
    preview.accounts++;
    preview.creditBefore += before.creditLimit;
    preview.creditAfter += after.creditLimit;
    const delta = after.creditLimit - before.creditLimit;
    if (delta > 0) preview.creditAdded += delta;
    else preview.creditRemoved -= delta;
    if (!before.liquidatable && after.liquidatable) preview.newlyLiquidatable.push(impact);
    if (before.liquidatable && !after.liquidatable) preview.noLongerLiquidatable++;
  }
  preview.hardestHit = impacts
    .filter((i) => i.creditAfter < i.creditBefore)
    .sort((a, b) => b.creditBefore - b.creditAfter - (a.creditBefore - a.creditAfter) || (a.accountId < b.accountId ? -1 : 1))
    .slice(0, top);
  return preview;
}

function definedFields<T extends object>(value: T | undefined): Partial<T> {
  if (!value) return {};
  return Object.fromEntries(Object.entries(value).filter(([key, v]) => v !== undefined && key !== 'assetId' && key !== 'eid')) as Partial<T>;
}
