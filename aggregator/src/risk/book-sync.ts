import { Inject, Injectable, Logger } from '@nestjs/common';
import { getAddress } from 'ethers';
import type { ManifestAsset } from '@tributary/protocol';
import { RiskBook, type RiskResult } from '@tributary/risk';
import { ChainRegistry, type RegisteredChain } from '../chain/chain-registry';
import { TradingRpcRepository, type PerpMarketTerms } from '../chain/trading-rpc.repository';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { LedgerQueryRepository } from '../ledger/ledger-query.repository';
import type { CollateralRow, PositionRow } from '../ledger/ledger-state';
import type { OraclePrice } from '../oracle/oracle.service';
import type { GovernedParams } from './governed-params';
import { LiveRiskParams } from './live-params';
import { accountInputs, bookId, holdingsOf, marketConfig, riskParams, type AccountInputs } from './risk-inputs';

/**
 * The live RiskBook and what the ledger and the oracle put into it: every ledger account's holdings (all of them
 * on the first sync, then the accounts the ledger announced), the PerpMarket terms of traded markets, and the
 * guarded prices. Null book (engine idle) without a manifest with assets on a trading chain.
 */
@Injectable()
export class RiskBookSync {
  private readonly logger = new Logger(RiskBookSync.name);
  readonly book: RiskBook | null = null;
  readonly assets = new Map<number, ManifestAsset>();
  private readonly collateralChains = new Map<number, RegisteredChain>();
  private readonly markets = new Map<number, PerpMarketTerms>();
  private readonly inputs = new Map<string, AccountInputs>();
  /** Accounts announced by the ledger since the last sync (and failed loads, retried). */
  private pending = new Set<string>();
  /** Guard status per asset as last applied (a change re-evaluates the freezes of its holders). */
  private readonly statuses = new Map<number, string>();
  private loaded = false;

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

  /** The ledger inputs behind an account's risk, in model units. */
  inputsOf(account: string): AccountInputs | undefined {
    return this.inputs.get(account.toLowerCase());
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
    let total = 0;
    for (const inputs of this.inputs.values()) for (const p of inputs.positions) total += Math.abs(p.size) * this.bookPrice(p.assetId);
    return total;
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

  /** Every ledger account at start, from one snapshot of the ledger (a few queries, not two per account). */
  private async loadAll(touched: Set<string>): Promise<void> {
    const snapshot = await this.ledger.snapshot();
    const group = <T extends { account: string }>(rows: T[]) => {
      const out = new Map<string, T[]>();
      for (const row of rows) {
        const id = row.account.toLowerCase();
        const rows = out.get(id);
        if (rows) rows.push(row);
        else out.set(id, [row]);
      }
      return out;
    };
    const collateral = group(snapshot.collateral);
    const positions = group(snapshot.positions);
    const cash = new Map(snapshot.cash.map((row) => [row.account.toLowerCase(), row.cash]));
    for (const account of snapshot.accounts) {
      const id = account.toLowerCase();
      await this.load(id, collateral.get(id) ?? [], positions.get(id) ?? [], cash.get(id) ?? 0n, touched);
    }
    this.loaded = true;
  }

  private async reload(account: string, touched: Set<string>): Promise<void> {
    let rows: [CollateralRow[], PositionRow[], bigint];
    try {
      const address = getAddress(account);
      rows = await Promise.all([this.ledger.collateralOf(address), this.ledger.positionsOf(address), this.ledger.cashOf(address)]);
    } catch (error) {
      this.pending.add(account);
      this.logger.error(`reading ${account} from the ledger failed: ${(error as Error).message}`);
      return;
    }
    await this.load(account, ...rows, touched);
  }

  private async load(account: string, collateral: CollateralRow[], positions: PositionRow[], cash: bigint, touched: Set<string>): Promise<void> {
    try {
      for (const p of positions) {
        if (p.size !== 0n && !this.markets.has(p.marketId))
          this.markets.set(p.marketId, this.governed(await this.rpc.market(p.marketId), p.marketId));
      }
      const inputs = accountInputs(collateral, positions, this.markets, this.collateralChains, this.assets, cash);
      if (inputs.skipped.length) this.logger.warn(`${account}: left out ${inputs.skipped.join('; ')}`);
      this.book!.setAccount(account, holdingsOf(inputs));
      this.inputs.set(account, inputs);
      touched.add(account);
    } catch (error) {
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
      for (const [account, inputs] of this.inputs) if (inputs.positions.some((p) => p.marketId === marketId)) this.pending.add(account);
    }
  }

  private governed(terms: PerpMarketTerms, marketId: number, params: GovernedParams = this.params.current): PerpMarketTerms {
    const ratios = params.markets.get(marketId);
    return ratios ? { ...terms, imr: ratios.imr, mmr: ratios.mmr } : terms;
  }
}
