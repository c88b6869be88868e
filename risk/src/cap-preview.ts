import type { RiskBook } from './risk-book';
import { RiskInputError } from './risk-result';

/**
 * Proposed caps (docs/breakers-and-dampeners.md#caps), ids as the book's: on the market of an asset, its open
 * interest Σ |size| and one account's |size| (units of the asset); one account's |exposure| to an asset (USD).
 */
export interface CapChange {
  markets?: { assetId: string; openInterestCap?: number; accountOpenInterestCap?: number }[];
  assets?: { assetId: string; accountExposureCap?: number }[];
}

export interface AccountOverCap {
  accountId: string;
  /** |size| (units) for a position cap, |exposure| (USD) for the exposure cap. */
  value: number;
}

export interface MarketCapPreview {
  assetId: string;
  /** Σ |size| over the book now (units). */
  openInterest: number;
  openInterestCap: number | null;
  /** max(0, open interest − cap): what must close before the market takes new risk again. */
  openInterestOver: number;
  accountOpenInterestCap: number | null;
  /** Accounts whose |size| is above the per-account cap: they may only reduce. */
  accountsOver: number;
  largestOver: AccountOverCap[];
}

export interface ExposureCapPreview {
  assetId: string;
  accountExposureCap: number;
  /** Accounts whose |exposure| (collateral + perps, oracle price) is above the cap: only hedges and cuts pass. */
  accountsOver: number;
  largestOver: AccountOverCap[];
}

export interface CapPreview {
  markets: MarketCapPreview[];
  exposure: ExposureCapPreview[];
}

/** True when `change` names at least one cap. */
export function namesCaps(change: CapChange): boolean {
  return Boolean(
    change.markets?.some((m) => m.openInterestCap !== undefined || m.accountOpenInterestCap !== undefined) ||
    change.assets?.some((a) => a.accountExposureCap !== undefined),
  );
}

/**
 * What proposed caps would find on the book right now. A cap closes nothing on chain: a market or an account already
 * above it may only reduce. Throws RiskInputError on an unlisted asset or a cap that is not > 0.
 */
export function previewCaps(book: RiskBook, change: CapChange, top = 10): CapPreview {
  const known = new Set(book.market.assetIds);
  const check = (assetId: string, caps: (number | undefined)[]) => {
    if (!known.has(assetId)) throw new RiskInputError(`asset '${assetId}' is not listed`);
    for (const cap of caps)
      if (cap !== undefined && !(cap > 0 && Number.isFinite(cap))) throw new RiskInputError(`a cap of '${assetId}' must be > 0`);
  };
  const markets = (change.markets ?? []).filter((m) => m.openInterestCap !== undefined || m.accountOpenInterestCap !== undefined);
  const exposures = (change.assets ?? []).filter((a) => a.accountExposureCap !== undefined);
  markets.forEach((m) => check(m.assetId, [m.openInterestCap, m.accountOpenInterestCap]));
  exposures.forEach((a) => check(a.assetId, [a.accountExposureCap]));

  const sizes = new Map<string, AccountOverCap[]>(markets.map((m) => [m.assetId, []]));
  const exposed = new Map<string, AccountOverCap[]>(exposures.map((a) => [a.assetId, []]));
  for (const accountId of book.accountIds()) {
    if (sizes.size) {
      for (const p of book.holdings(accountId)!.positions) sizes.get(p.assetId)?.push({ accountId, value: Math.abs(p.size) });
    }
    if (exposed.size) {
      const exposure = book.result(accountId)!.exposure;
      for (const [assetId, list] of exposed) list.push({ accountId, value: Math.abs(exposure[assetId] ?? 0) });
    }
  }
  const over = (list: AccountOverCap[], cap: number | undefined) => {
    const above = cap === undefined ? [] : list.filter((a) => a.value > cap);
    above.sort((a, b) => b.value - a.value || (a.accountId < b.accountId ? -1 : 1));
    return { accountsOver: above.length, largestOver: above.slice(0, top) };
  };
  return {
    markets: markets.map((m) => {
      const list = sizes.get(m.assetId)!;
      const openInterest = book.assetOpenInterest(m.assetId);
      return {
        assetId: m.assetId,
        openInterest,
        openInterestCap: m.openInterestCap ?? null,
        openInterestOver: m.openInterestCap === undefined ? 0 : Math.max(0, openInterest - m.openInterestCap),
        accountOpenInterestCap: m.accountOpenInterestCap ?? null,
        ...over(list, m.accountOpenInterestCap),
      };
    }),
    exposure: exposures.map((a) => ({
      assetId: a.assetId,
      accountExposureCap: a.accountExposureCap!,
      ...over(exposed.get(a.assetId)!, a.accountExposureCap),
    })),
  };
}
