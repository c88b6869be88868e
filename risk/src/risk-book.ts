import { AccountRiskState, DeriveScratch, type AccountRiskSummary } from './account-risk-state';
import { RiskMarket, type AssetRiskTerms, type MarketConfig, type MarketParams } from './risk-market';
import type { RiskPosition } from './risk-request.schema';
import { RiskInputError, type RiskResult } from './risk-result';

/** Id under which `preview` evaluates holdings for a moment (never a real account: not an address). */
const PREVIEW_ACCOUNT = '\u0000preview';

export interface AccountBalance {
  eid: number;
  assetId: string;
  amount: number;
}

export interface AccountHoldings {
  balances: AccountBalance[];
  positions: RiskPosition[];
  /** Signed USD cash on the trading chain; 0 when absent. */
  cash?: number;
}

/**
 * The live ledger's risk engine: the same numbers as `evaluateRisk`, kept incrementally.
 * Holds every account's balances and positions, an asset → accounts and a chain → accounts index,
 * and the market's stressed covariance. A price tick recomputes only the accounts exposed to that
 * asset, each in O(held assets²). Mutations validate first and change nothing on bad input.
 */
export class RiskBook {
  readonly market: RiskMarket;
  private readonly accounts = new Map<string, AccountRiskState>();
  private readonly holdersByAsset: Set<AccountRiskState>[];
  private readonly holdersByChain: Set<AccountRiskState>[];
  private readonly deriveScratch: DeriveScratch;
  private readonly balanceKeySeen: Uint8Array;

  constructor(config: MarketConfig) {
    this.market = new RiskMarket(config);
    this.holdersByAsset = this.market.assetIds.map(() => new Set());
    this.holdersByChain = this.market.chainEids.map(() => new Set());
    this.balanceKeySeen = new Uint8Array(this.market.assetCount * this.market.chainEids.length);
    this.deriveScratch = new DeriveScratch(this.market.assetCount, this.market.chainEids.length);
  }

  get accountCount(): number {
    return this.accounts.size;
  }

  accountIds(): IterableIterator<string> {
    return this.accounts.keys();
  }

  /** Replaces an account's balances and positions and returns its new summary. */
  setAccount(accountId: string, holdings: AccountHoldings): AccountRiskSummary {
    // Validate everything into fresh arrays first: on bad input nothing changes.
    const balanceCount = holdings.balances.length;
    const balanceKeys = new Array<number>(balanceCount);
    const balanceAmounts = new Array<number>(balanceCount);
    const seen = this.balanceKeySeen;
    try {
      for (let i = 0; i < balanceCount; i++) {
        const balance = holdings.balances[i];
        const key = this.balanceKey(balance);
        if (seen[key] === 1) throw new RiskInputError(`account ${accountId}: balance of '${balance.assetId}' on eid ${balance.eid} is listed twice`);
        seen[key] = 1;
        balanceKeys[i] = key;
        balanceAmounts[i] = balance.amount;
      }
    } finally {
      for (let i = 0; i < balanceCount; i++) if (balanceKeys[i] !== undefined) seen[balanceKeys[i]] = 0;
    }
    const cash = holdings.cash ?? 0;
    if (!Number.isFinite(cash)) throw new RiskInputError(`account ${accountId}: cash must be a finite number`);
    const positionCount = holdings.positions.length;
    const positionAsset = new Array<number>(positionCount);
    for (let m = 0; m < positionCount; m++) positionAsset[m] = this.positionAssetIndex(holdings.positions[m]);

    const account = this.unindexed(accountId);
    account.balanceKeys = balanceKeys;
    account.balanceAmounts = balanceAmounts;
    account.positionAsset = positionAsset;
    account.positionSize = holdings.positions.map((p) => p.size);
    account.positionEntry = holdings.positions.map((p) => p.entryPrice);
    account.positionImr = holdings.positions.map((p) => p.imr);
    account.positionMmr = holdings.positions.map((p) => p.mmr);
    account.cash = cash;
    return this.reindexAndCompute(account).summary();
  }

  /** Sets one post-state balance (an attestation) and returns the account's new summary. */
  setBalance(accountId: string, balance: AccountBalance): AccountRiskSummary {
    const key = this.balanceKey(balance);
    const amount = balance.amount;
    const account = this.unindexed(accountId);
    const i = account.balanceKeys.indexOf(key);
    if (i >= 0) account.balanceAmounts[i] = amount;
    else {
      account.balanceKeys.push(key);
      account.balanceAmounts.push(amount);
    }
    return this.reindexAndCompute(account).summary();
  }

  /** Replaces an account's positions (balances unchanged) and returns its new summary. */
  setPositions(accountId: string, positions: RiskPosition[]): AccountRiskSummary {
    const account = this.accounts.get(accountId);
    return this.setAccount(accountId, {
      balances: account ? this.balancesOf(account) : [],
      positions,
      cash: account?.cash ?? 0,
    });
  }

  /** Sets an account's cash (realized PnL, fees, repayments, withdrawals) and returns its new summary. */
  setCash(accountId: string, cash: number): AccountRiskSummary {
    if (!Number.isFinite(cash)) throw new RiskInputError('cash must be a finite number');
    const account = this.unindexed(accountId);
    account.cash = cash;
    return this.reindexAndCompute(account).summary();
  }

  /** An account's holdings as the book keeps them (what `setAccount` was given), or undefined. */
  holdings(accountId: string): AccountHoldings | undefined {
    const account = this.accounts.get(accountId);
    if (!account) return undefined;
    return {
      balances: this.balancesOf(account),
      positions: account.positionAsset.map((k, m) => ({
        assetId: this.market.assetIds[k],
        size: account.positionSize[m],
        entryPrice: account.positionEntry[m],
        imr: account.positionImr[m],
        mmr: account.positionMmr[m],
      })),
      cash: account.cash,
    };
  }

  removeAccount(accountId: string): boolean {
    const account = this.accounts.get(accountId);
    if (!account) return false;
    this.unindex(account);
    this.accounts.delete(accountId);
    return true;
  }

  /**
   * The result `holdings` would have in this book right now (same market, prices, weights and params), without
   * keeping them: what a withdrawal or a trade would do to an account. Bad input throws and changes nothing.
   */
  preview(holdings: AccountHoldings): RiskResult {
    const scratchId = PREVIEW_ACCOUNT;
    try {
      this.setAccount(scratchId, holdings);
      return this.result(scratchId)!;
    } finally {
      this.removeAccount(scratchId);
    }
  }

  summary(accountId: string): AccountRiskSummary | undefined {
    return this.accounts.get(accountId)?.summary();
  }

  /** Full result, shaped like `evaluateRisk`'s (exposure lists every market asset). */
  result(accountId: string): RiskResult | undefined {
    return this.accounts.get(accountId)?.result(this.market);
  }

  /** New price for one asset; recomputes only exposed accounts, returns those whose credit or health changed. */
  onPriceTick(assetId: string, price: number): AccountRiskSummary[] {
    const k = this.market.assetIndex(assetId);
    this.market.setPrice(k, price);
    return this.recompute(this.holdersByAsset[k], false);
  }

  /** New stable (dampened) price for one asset, or `null` for none; only the init side moves. */
  onStablePriceTick(assetId: string, stablePrice: number | null): AccountRiskSummary[] {
    const k = this.market.assetIndex(assetId);
    this.market.setStablePrice(k, stablePrice);
    return this.recompute(this.holdersByAsset[k], false);
  }

  setChainWeight(eid: number, weight: number): AccountRiskSummary[] {
    const c = this.market.chainIndex(eid);
    this.market.setChainWeight(c, weight);
    return this.recompute(this.holdersByChain[c], true);
  }

  /** New base weights / imf / volatility for an asset (e.g. volatility-scaled weights). */
  setAssetRiskTerms(assetId: string, terms: AssetRiskTerms): AccountRiskSummary[] {
    const k = this.market.assetIndex(assetId);
    this.market.setAssetRiskTerms(k, terms);
    return this.recompute(this.holdersByAsset[k], true);
  }

  setCorrelation(a: string, b: string, rho: number): AccountRiskSummary[] {
    const ka = this.market.assetIndex(a);
    const kb = this.market.assetIndex(b);
    this.market.setCorrelation(ka, kb, rho);
    const [small, large] = [this.holdersByAsset[ka], this.holdersByAsset[kb]].sort((x, y) => x.size - y.size);
    return this.recompute(
      [...small].filter((account) => large.has(account)),
      false,
    );
  }

  setParams(params: MarketParams): void {
    this.market.setParams(params);
    this.recomputeAll();
  }

  /** Rebuilds every account's derived terms and recomputes it. */
  recomputeAll(): void {
    for (const account of this.accounts.values()) {
      account.derive(this.market, this.deriveScratch);
      account.compute(this.market);
    }
  }

  *summaries(): IterableIterator<AccountRiskSummary> {
    for (const account of this.accounts.values()) yield account.summary();
  }

  private recompute(accounts: Iterable<AccountRiskState>, rederive: boolean): AccountRiskSummary[] {
    const changed: AccountRiskSummary[] = [];
    for (const account of accounts) {
      const { creditLimit, healthOrNaN } = account;
      if (rederive) account.derive(this.market, this.deriveScratch);
      account.compute(this.market);
      if (!Object.is(account.creditLimit, creditLimit) || !Object.is(account.healthOrNaN, healthOrNaN)) changed.push(account.summary());
    }
    return changed;
  }

  /** Validates a balance and returns its key `chainIndex * assetCount + assetIndex`. */
  private balanceKey(balance: AccountBalance): number {
    if (!Number.isFinite(balance.amount) || balance.amount < 0) throw new RiskInputError('balance amount must be a finite number ≥ 0');
    return this.market.chainIndex(balance.eid) * this.market.assetCount + this.market.assetIndex(balance.assetId);
  }

  /** Validates a position and returns its asset index. */
  private positionAssetIndex(position: RiskPosition): number {
    const asset = this.market.assetIndex(position.assetId);
    if (!Number.isFinite(position.size)) throw new RiskInputError('position size must be a finite number');
    if (!Number.isFinite(position.entryPrice) || position.entryPrice < 0) throw new RiskInputError('entryPrice must be a finite number ≥ 0');
    for (const field of ['imr', 'mmr'] as const) {
      if (!(position[field] >= 0 && position[field] <= 1)) throw new RiskInputError(`${field} must be in [0, 1]`);
    }
    return asset;
  }

  private balancesOf(account: AccountRiskState): AccountBalance[] {
    const n = this.market.assetCount;
    return account.balanceKeys.map((key, i) => ({
      eid: this.market.chainEids[Math.floor(key / n)],
      assetId: this.market.assetIds[key % n],
      amount: account.balanceAmounts[i],
    }));
  }

  /** The account (created if new), taken out of the indexes so its holdings can change. */
  private unindexed(accountId: string): AccountRiskState {
    let account = this.accounts.get(accountId);
    if (!account) {
      account = new AccountRiskState(accountId);
      this.accounts.set(accountId, account);
    } else this.unindex(account);
    return account;
  }

  private unindex(account: AccountRiskState): void {
    for (const k of account.heldAssets) this.holdersByAsset[k].delete(account);
    for (const c of account.heldChains) this.holdersByChain[c].delete(account);
  }

  private reindexAndCompute(account: AccountRiskState): AccountRiskState {
    account.derive(this.market, this.deriveScratch);
    for (const k of account.heldAssets) this.holdersByAsset[k].add(account);
    for (const c of account.heldChains) this.holdersByChain[c].add(account);
    account.compute(this.market);
    return account;
  }
}
