import { BookColumns, NO_MARKET } from './book-columns';
import { BookKernel } from './book-kernel';
import { HoldingsWriter, type BookPosition } from './holdings-writer';
import { RiskMarket, type AssetRiskTerms, type MarketConfig, type MarketParams } from './risk-market';
import { RiskInputError, type AccountRiskSummary, type RiskResult } from './risk-result';

/** Id under which `preview` evaluates holdings for a moment (never a real account: not an address). */
const PREVIEW_ACCOUNT = '\u0000preview';

export interface AccountBalance {
  eid: number;
  assetId: string;
  amount: number;
}

export interface AccountHoldings {
  balances: AccountBalance[];
  positions: BookPosition[];
  /** Signed USD cash on the trading chain; 0 when absent. */
  cash?: number;
}

/**
 * The live ledger's risk engine: the same numbers as `evaluateRisk`, kept incrementally, stored column-wise
 * (`BookColumns`: typed arrays indexed by an interned account slot). A price tick recomputes only the accounts
 * holding that asset (a scan of one bitmask per account), each in O(held assets²). Mutations validate first and
 * change nothing on bad input. Bulk loads go through `writer()`, which builds no per-account objects.
 */
export class RiskBook {
  readonly market: RiskMarket;
  private readonly columns: BookColumns;
  private readonly kernel: BookKernel;
  private readonly slots = new Map<string, number>();
  private ids: (string | undefined)[] = [];
  private readonly staging: HoldingsWriter;

  constructor(config: MarketConfig) {
    this.market = new RiskMarket(config);
    this.columns = new BookColumns(this.market.assetCount, this.market.chainEids.length);
    this.kernel = new BookKernel(this.columns, this.market);
    this.staging = new HoldingsWriter(this.market, (w) => this.applyStaged(w));
  }

  get accountCount(): number {
    return this.slots.size;
  }

  accountIds(): IterableIterator<string> {
    return this.slots.keys();
  }

  /** Sizes the columns for `accounts` accounts and `positions` positions in all (a bulk load then copies nothing). */
  reserve(accounts: number, positions = 0): void {
    this.columns.reserve(accounts, positions);
  }

  /**
   * A writer for bulk loads: `begin(id)`, then `cash`, `balance`/`balanceAt`, `position`/`positionAt` rows, then
   * `commit()` (what `setAccount` does, without building the holdings object). One writer per book, reused, and
   * shared with `setAccount`, `setPositions` and `preview`: commit or reset an account before calling those.
   */
  writer(): HoldingsWriter {
    return this.staging;
  }

  /** Replaces an account's balances, positions and cash and returns its new summary. */
  setAccount(accountId: string, holdings: AccountHoldings): AccountRiskSummary {
    const w = this.staging.begin(accountId);
    try {
      for (const b of holdings.balances) w.balance(b.eid, b.assetId, b.amount);
      for (const p of holdings.positions) w.position(p);
      w.cash(holdings.cash ?? 0);
    } catch (error) {
      w.reset();
      throw error;
    }
    w.commit();
    return this.summary(accountId)!;
  }

  /** Sets one post-state balance (an attestation) and returns the account's new summary. */
  setBalance(accountId: string, balance: AccountBalance): AccountRiskSummary {
    if (!Number.isFinite(balance.amount) || balance.amount < 0) throw new RiskInputError('balance amount must be a finite number ≥ 0');
    const s = this.market.chainIndex(balance.eid) * this.market.assetCount + this.market.assetIndex(balance.assetId);
    const slot = this.slotOf(accountId);
    const col = this.columns;
    col.balance[slot * col.slotsPerAccount + s] = balance.amount;
    col.present[slot * col.slotWords + (s >>> 5)] |= 1 << (s & 31);
    this.kernel.derive(slot);
    this.kernel.compute(slot);
    return this.kernel.summary(slot, accountId);
  }

  /** Replaces an account's positions (balances and cash unchanged) and returns its new summary. */
  setPositions(accountId: string, positions: BookPosition[]): AccountRiskSummary {
    const w = this.staging.begin(accountId, true);
    try {
      for (const p of positions) w.position(p);
    } catch (error) {
      w.reset();
      throw error;
    }
    w.commit();
    return this.summary(accountId)!;
  }

  /** Sets an account's cash (realized PnL, fees, repayments, withdrawals) and returns its new summary. */
  setCash(accountId: string, cash: number): AccountRiskSummary {
    if (!Number.isFinite(cash)) throw new RiskInputError('cash must be a finite number');
    const slot = this.slotOf(accountId);
    this.columns.cash[slot] = cash;
    this.kernel.compute(slot);
    return this.kernel.summary(slot, accountId);
  }

  /** An account's holdings as the book keeps them (balances in chain, then asset order), or undefined. */
  holdings(accountId: string): AccountHoldings | undefined {
    const slot = this.slots.get(accountId);
    if (slot === undefined) return undefined;
    const col = this.columns;
    const { assetIds, chainEids, assetCount: n } = this.market;
    const balances: AccountBalance[] = [];
    for (let s = 0; s < col.slotsPerAccount; s++) {
      if (col.isPresent(slot, s))
        balances.push({ eid: chainEids[Math.floor(s / n)], assetId: assetIds[s % n], amount: col.balance[slot * col.slotsPerAccount + s] });
    }
    const positions: BookPosition[] = [];
    const start = col.positionStart[slot];
    for (let m = start; m < start + col.positionCount[slot]; m++) {
      const marketId = col.positionMarket[m];
      positions.push({
        assetId: assetIds[col.positionAsset[m]],
        size: col.positionSize[m],
        entryPrice: col.positionEntry[m],
        imr: col.positionImr[m],
        mmr: col.positionMmr[m],
        ...(marketId === NO_MARKET ? {} : { marketId }),
      });
    }
    return { balances, positions, cash: col.cash[slot] };
  }

  removeAccount(accountId: string): boolean {
    const slot = this.slots.get(accountId);
    if (slot === undefined) return false;
    this.columns.release(slot);
    this.slots.delete(accountId);
    this.ids[slot] = undefined;
    return true;
  }

  /**
   * The result `holdings` would have in this book right now (same market, prices, weights and params), without
   * keeping them: what a withdrawal or a trade would do to an account. Bad input throws and changes nothing.
   */
  preview(holdings: AccountHoldings): RiskResult {
    try {
      this.setAccount(PREVIEW_ACCOUNT, holdings);
      return this.result(PREVIEW_ACCOUNT)!;
    } finally {
      this.removeAccount(PREVIEW_ACCOUNT);
    }
  }

  summary(accountId: string): AccountRiskSummary | undefined {
    const slot = this.slots.get(accountId);
    return slot === undefined ? undefined : this.kernel.summary(slot, accountId);
  }

  /** Full result, shaped like `evaluateRisk`'s (exposure lists every market asset). */
  result(accountId: string): RiskResult | undefined {
    const slot = this.slots.get(accountId);
    return slot === undefined ? undefined : this.kernel.result(slot);
  }

  /** New price for one asset; recomputes only exposed accounts, returns those whose credit or health changed. */
  onPriceTick(assetId: string, price: number): AccountRiskSummary[] {
    const k = this.market.assetIndex(assetId);
    this.market.setPrice(k, price);
    return this.recompute(k, -1, -1, false);
  }

  /** New stable (dampened) price for one asset, or `null` for none; only the init side moves. */
  onStablePriceTick(assetId: string, stablePrice: number | null): AccountRiskSummary[] {
    const k = this.market.assetIndex(assetId);
    this.market.setStablePrice(k, stablePrice);
    return this.recompute(k, -1, -1, false);
  }

  setChainWeight(eid: number, weight: number): AccountRiskSummary[] {
    const c = this.market.chainIndex(eid);
    this.market.setChainWeight(c, weight);
    return this.recompute(-1, -1, c, true);
  }

  /** New base weights / imf / volatility for an asset (e.g. volatility-scaled weights). */
  setAssetRiskTerms(assetId: string, terms: AssetRiskTerms): AccountRiskSummary[] {
    const k = this.market.assetIndex(assetId);
    this.market.setAssetRiskTerms(k, terms);
    return this.recompute(k, -1, -1, true);
  }

  setCorrelation(a: string, b: string, rho: number): AccountRiskSummary[] {
    const ka = this.market.assetIndex(a);
    const kb = this.market.assetIndex(b);
    this.market.setCorrelation(ka, kb, rho);
    return this.recompute(ka, kb, -1, false);
  }

  setParams(params: MarketParams): void {
    this.market.setParams(params);
    this.recomputeAll();
  }

  /** Rebuilds every account's derived terms and recomputes it: one pass over the columns. */
  recomputeAll(): void {
    const { live, highWater } = this.columns;
    const kernel = this.kernel;
    for (let slot = 0; slot < highWater; slot++) {
      if (live[slot] === 0) continue;
      kernel.derive(slot);
      kernel.compute(slot);
    }
  }

  *summaries(): IterableIterator<AccountRiskSummary> {
    for (const [accountId, slot] of this.slots) yield this.kernel.summary(slot, accountId);
  }

  /** Book-wide open interest (USD): Σ |size| · price over every position of every account, at the book's prices. */
  openInterest(): number {
    const col = this.columns;
    const price = this.market.price;
    let total = 0;
    for (let slot = 0; slot < col.highWater; slot++) {
      const start = col.positionStart[slot];
      const end = start + col.positionCount[slot];
      for (let m = start; m < end; m++) total += Math.abs(col.positionSize[m]) * price[col.positionAsset[m]];
    }
    return total;
  }

  /** Open interest of one asset in units: Σ |size| over every position on it (the PerpMarket's caps count this). */
  assetOpenInterest(assetId: string): number {
    const k = this.market.assetIds.indexOf(assetId);
    const col = this.columns;
    let total = 0;
    for (let slot = 0; slot < col.highWater; slot++) {
      const start = col.positionStart[slot];
      const end = start + col.positionCount[slot];
      for (let m = start; m < end; m++) if (col.positionAsset[m] === k) total += Math.abs(col.positionSize[m]);
    }
    return total;
  }

  /** The accounts with a position tagged with this market id. */
  accountsInMarket(marketId: number): string[] {
    const col = this.columns;
    const out: string[] = [];
    for (let slot = 0; slot < col.highWater; slot++) {
      const start = col.positionStart[slot];
      const end = start + col.positionCount[slot];
      for (let m = start; m < end; m++) {
        if (col.positionMarket[m] === marketId) {
          out.push(this.ids[slot]!);
          break;
        }
      }
    }
    return out;
  }

  /**
   * Recomputes the live accounts holding asset `k` (and `k2` too, if ≥ 0), or with a balance on chain `c` when
   * `k` < 0; returns those whose credit limit or health changed.
   */
  private recompute(k: number, k2: number, c: number, rederive: boolean): AccountRiskSummary[] {
    const col = this.columns;
    const kernel = this.kernel;
    const { creditLimitSigned, health } = col.result;
    const changed: AccountRiskSummary[] = [];
    for (let slot = 0; slot < col.highWater; slot++) {
      if (col.live[slot] === 0) continue;
      if (k >= 0 ? !col.holdsAsset(slot, k) || (k2 >= 0 && !col.holdsAsset(slot, k2)) : !col.holdsChain(slot, c)) continue;
      const creditBefore = Math.max(0, creditLimitSigned[slot]);
      const healthBefore = health[slot];
      if (rederive) kernel.derive(slot);
      kernel.compute(slot);
      if (!Object.is(Math.max(0, creditLimitSigned[slot]), creditBefore) || !Object.is(health[slot], healthBefore))
        changed.push(kernel.summary(slot, this.ids[slot]!));
    }
    return changed;
  }

  /** The slot of an account, a new zeroed one if it is not in the book. */
  private slotOf(accountId: string): number {
    let slot = this.slots.get(accountId);
    if (slot === undefined) {
      slot = this.columns.allocate();
      this.slots.set(accountId, slot);
      this.ids[slot] = accountId;
    }
    return slot;
  }

  /** Writes a writer's staged (already validated) holdings into the columns and recomputes the account. */
  private applyStaged(w: HoldingsWriter): void {
    const slot = this.slotOf(w.accountId!);
    const col = this.columns;
    if (!w.positionsOnly) {
      // Every slot is written (unlisted ones are 0 in the staging): one copy loop, no clearing pass.
      const { balance, present, slotsPerAccount, slotWords } = col;
      const base = slot * slotsPerAccount;
      for (let s = 0; s < slotsPerAccount; s++) balance[base + s] = w.amounts[s];
      for (let i = 0; i < slotWords; i++) present[slot * slotWords + i] = w.listedWords[i];
      col.cash[slot] = w.cashUsd;
    }
    const count = w.positionCount;
    const start = col.positionRange(slot, count);
    for (let m = 0; m < count; m++) {
      col.positionAsset[start + m] = w.positionAsset[m];
      col.positionMarket[start + m] = w.positionMarket[m];
      col.positionSize[start + m] = w.positionSize[m];
      col.positionEntry[start + m] = w.positionEntry[m];
      col.positionImr[start + m] = w.positionImr[m];
      col.positionMmr[start + m] = w.positionMmr[m];
    }
    this.kernel.derive(slot);
    this.kernel.compute(slot);
  }
}
