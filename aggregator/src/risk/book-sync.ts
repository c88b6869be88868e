import { Inject, Injectable, Logger } from '@nestjs/common';
import { getAddress } from 'ethers';
import type { ManifestAsset } from '@tributary/protocol';
import { RiskBook, type RiskResult } from '@tributary/risk';
import { ChainRegistry, type RegisteredChain } from '../chain/chain-registry';
import { TradingRpcRepository, type PerpMarketTerms } from '../chain/trading-rpc.repository';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { LedgerQueryRepository, type RiskRowsPage } from '../ledger/ledger-query.repository';
import type { OraclePrice } from '../oracle/oracle.service';
import type { GovernedParams } from './governed-params';
import { LedgerBookWriter, type LedgerBalance, type LedgerPosition } from './ledger-book-writer';
import { LiveRiskParams } from './live-params';
import { bookId, marketConfig, riskParams, type AccountInputs } from './risk-inputs';

/** Accounts per page of the start-up load (one keyset read of accounts, then one range read per table). */
export const LOAD_PAGE_ACCOUNTS = 5_000;

/**
 * The live RiskBook and what the ledger and the oracle put into it: every ledger account's holdings (all of them
 * on the first sync, paged by account straight from the rows into the book's columns; then the accounts the
 * ledger announced), the PerpMarket terms of traded markets, and the guarded prices. The book is the one copy of
 * the holdings: `inputsOf` reads an account back from it. Null book (engine idle) without a manifest with assets
 * on a trading chain.
 */
@Injectable()
export class RiskBookSync {
  private readonly logger = new Logger(RiskBookSync.name);
  readonly book: RiskBook | null = null;
  readonly assets = new Map<number, ManifestAsset>();
  private readonly collateralChains = new Map<number, RegisteredChain>();
  private readonly markets = new Map<number, PerpMarketTerms>();
  private readonly rows: LedgerBookWriter | null = null;
  /** Exact cash (1e18 USD) of the accounts whose cash is not 0. */
  private readonly cashWad = new Map<string, bigint>();
  /** Accounts announced by the ledger since the last sync (and failed loads, retried). */
  private pending = new Set<string>();
  /** Guard status per asset as last applied (a change re-evaluates the freezes of its holders). */
  private readonly statuses = new Map<number, string>();
  private loaded = false;
  /** Accounts per page of the start-up load. */
  pageAccounts = LOAD_PAGE_ACCOUNTS;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    registry: ChainRegistry,
    private readonly ledger: LedgerQueryRepository,
    private readonly rpc: TradingRpcRepository,
    private readonly params: LiveRiskParams,
  ) {
    for (const asset of registry.assets) this.assets.set(asset.assetId, asset);
    const collateral = registry.chains.filter((c) => c.role === 'collateral');
    for (const chain of collateral) this.collateralChains.set(chain.eid, chain);
    if (registry.enabled && registry.tradingChain && registry.assets.length > 0) {
      this.book = new RiskBook(marketConfig(registry.assets, registry.manifest?.correlations ?? [], collateral, riskParams(config)));
      this.rows = new LedgerBookWriter(this.book, this.collateralChains, this.assets, this.markets);
    }
  }

  /** Accounts whose ledger rows changed: reloaded by the next `syncAccounts`. */
  markChanged(accounts: Iterable<string>): void {
    for (const account of accounts) this.pending.add(account.toLowerCase());
  }

  /** Every ledger account on the first call, then the ones marked since; the (re)loaded ones go to `touched`. */
  async syncAccounts(touched: Set<string>): Promise<void> {
    if (!this.loaded) await this.loadAll(touched);
    const accounts = [...this.pending];
    this.pending = new Set();
    for (let i = 0; i < accounts.length; i += 16) {
      await Promise.all(accounts.slice(i, i + 16).map((account) => this.reload(account, touched)));
    }
  }

  /** The ledger inputs behind an account's risk, in model units (read back from the book; balances by chain, then asset). */
  inputsOf(account: string): AccountInputs | undefined {
    const id = account.toLowerCase();
    const holdings = this.book?.holdings(id);
    if (!holdings) return undefined;
    const balances = holdings.balances.map((b) => {
      const assetId = Number(b.assetId);
      return { eid: b.eid, assetId, symbol: this.assets.get(assetId)?.symbol ?? b.assetId, amount: b.amount };
    });
    balances.sort((a, b) => a.eid - b.eid || a.assetId - b.assetId);
    const positions = holdings.positions.map((p) => ({
      marketId: p.marketId!,
      assetId: Number(p.assetId),
      size: p.size,
      entryPrice: p.entryPrice,
      imr: p.imr,
      mmr: p.mmr,
    }));
    return { balances, positions, cash: holdings.cash ?? 0, cashWad: this.cashWad.get(id) ?? 0n };
  }

  result(account: string): RiskResult | undefined {
    return this.book?.result(account);
  }

  /** The price the book uses for an asset (0 until one was accepted). */
  bookPrice(assetId: number): number {
    return this.book ? this.book.market.price[this.book.market.assetIndex(bookId(assetId))] : 0;
  }

  /** Book-wide open interest (USD): Σ |size| · price over every position of every account, at the book's prices. */
  openInterest(): number {
    return this.book?.openInterest() ?? 0;
  }

  /** The stable price the book's init side uses for an asset (null: none, the oracle price). */
  bookStablePrice(assetId: number): number | null {
    if (!this.book) return null;
    const s = this.book.market.stablePrice[this.book.market.assetIndex(bookId(assetId))];
    return Number.isNaN(s) ? null : s;
  }

  /** Guarded prices (and their stable prices) into the book: the accounts whose risk moved, and the assets whose guard status changed. */
  applyPrices(prices: readonly OraclePrice[]): { moved: Set<string>; statusChanged: Set<number> } {
    const book = this.book!;
    const moved = new Set<string>();
    const statusChanged = new Set<number>();
    for (const p of prices) {
      if (!this.assets.has(p.assetId)) continue;
      const price = p.price ?? 0;
      if (this.bookPrice(p.assetId) !== price) for (const s of book.onPriceTick(bookId(p.assetId), price)) moved.add(s.accountId);
      const stable = p.stablePrice ?? null;
      if (this.bookStablePrice(p.assetId) !== stable) for (const s of book.onStablePriceTick(bookId(p.assetId), stable)) moved.add(s.accountId);
      if (this.statuses.get(p.assetId) !== p.status) {
        this.statuses.set(p.assetId, p.status);
        statusChanged.add(p.assetId);
      }
    }
    return { moved, statusChanged };
  }

  /**
   * Every ledger account at start: pages of accounts in address order, each page's collateral, positions and cash
   * read as plain rows and written into the book's columns by a merge over the account order (no entities, no
   * per-account objects). An account that fails is retried by the next sync, like a failed reload.
   */
  private async loadAll(touched: Set<string>): Promise<void> {
    this.book!.reserve(await this.ledger.accountCount());
    let after: string | null = null;
    for (;;) {
      const page: RiskRowsPage = await this.ledger.riskRowsPage(after, this.pageAccounts);
      if (page.accounts.length === 0) break;
      try {
        await this.fetchMarkets(page.positions);
      } catch (error) {
        // Accounts trading a market whose terms could not be read wait for the next sync (below); the rest load.
        this.logger.error(`reading PerpMarket terms failed: ${(error as Error).message}`);
      }
      const inPage = new Set(page.accounts);
      let c = 0;
      let p = 0;
      let k = 0;
      for (const account of page.accounts) {
        // Rows come in the database's order of `account`, as the accounts do; a row of an account outside the
        // page (no ledger_account row) is passed over.
        while (c < page.collateral.length && page.collateral[c].account !== account && !inPage.has(page.collateral[c].account)) c++;
        while (p < page.positions.length && page.positions[p].account !== account && !inPage.has(page.positions[p].account)) p++;
        while (k < page.cash.length && page.cash[k].account !== account && !inPage.has(page.cash[k].account)) k++;
        const c0 = c;
        const p0 = p;
        while (c < page.collateral.length && page.collateral[c].account === account) c++;
        while (p < page.positions.length && page.positions[p].account === account) p++;
        const cash = k < page.cash.length && page.cash[k].account === account ? page.cash[k++].cash : '0';
        if (this.marketsKnown(page.positions, p0, p)) this.write(account.toLowerCase(), cash, page.collateral, c0, c, page.positions, p0, p, touched);
        else this.pending.add(account.toLowerCase());
      }
      after = page.accounts[page.accounts.length - 1];
    }
    this.loaded = true;
  }

  private async reload(account: string, touched: Set<string>): Promise<void> {
    try {
      const address = getAddress(account);
      const [collateral, positions, cash] = await Promise.all([
        this.ledger.collateralOf(address),
        this.ledger.positionsOf(address),
        this.ledger.cashOf(address),
      ]);
      await this.fetchMarkets(positions);
      this.write(account, cash, collateral, 0, collateral.length, positions, 0, positions.length, touched);
    } catch (error) {
      this.pending.add(account);
      this.logger.error(`reading ${account} from the ledger failed: ${(error as Error).message}`);
    }
  }

  /** The PerpMarket terms of the markets these rows trade that are not cached yet (read once per market). */
  private async fetchMarkets(positions: readonly LedgerPosition[]): Promise<void> {
    for (const p of positions) {
      if (p.size !== 0n && p.size !== '0' && !this.markets.has(p.marketId))
        this.markets.set(p.marketId, this.governed(await this.rpc.market(p.marketId), p.marketId));
    }
  }

  private marketsKnown(positions: readonly LedgerPosition[], from: number, to: number): boolean {
    for (let i = from; i < to; i++) if (!this.markets.has(positions[i].marketId)) return false;
    return true;
  }

  /** One account's rows (`collateral[c0, c1)`, `positions[p0, p1)`) into the book, replacing its holdings. */
  private write(
    account: string,
    cash: bigint | string,
    collateral: readonly LedgerBalance[],
    c0: number,
    c1: number,
    positions: readonly LedgerPosition[],
    p0: number,
    p1: number,
    touched: Set<string>,
  ): void {
    const rows = this.rows!;
    try {
      rows.begin(account, cash);
      for (let i = c0; i < c1; i++) rows.balance(collateral[i]);
      for (let i = p0; i < p1; i++) rows.position(positions[i]);
      const skipped = rows.commit();
      if (skipped.length) this.logger.warn(`${account}: left out ${skipped.join('; ')}`);
      if (cash === 0n || cash === '0') this.cashWad.delete(account);
      else this.cashWad.set(account, BigInt(cash));
      touched.add(account);
    } catch (error) {
      rows.reset();
      this.pending.add(account); // retried on the next sync
      this.logger.error(`loading ${account} failed: ${(error as Error).message}`);
    }
  }

  /** Margin ratios changed on chain: the cached markets take them and the accounts trading them are reloaded. */
  applyMarketRatios(params: GovernedParams): void {
    for (const [marketId, terms] of this.markets) {
      const next = this.governed(terms, marketId, params);
      if (next.imr === terms.imr && next.mmr === terms.mmr) continue;
      this.markets.set(marketId, next);
      for (const account of this.book?.accountsInMarket(marketId) ?? []) this.pending.add(account);
    }
  }

  private governed(terms: PerpMarketTerms, marketId: number, params: GovernedParams = this.params.current): PerpMarketTerms {
    const ratios = params.markets.get(marketId);
    return ratios ? { ...terms, imr: ratios.imr, mmr: ratios.mmr } : terms;
  }
}
