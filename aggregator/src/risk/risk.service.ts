import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { getAddress } from 'ethers';
import type { Subscription } from 'rxjs';
import type { ManifestAsset } from '@tributary/protocol';
import { Clock, SerialQueue } from '@tributary/service-kit';
import { RiskBook, decayedChainWeight } from '@tributary/risk';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { LedgerChanges } from '../ledger/ledger-changes';
import { LedgerQueryRepository } from '../ledger/ledger-query.repository';
import type { CollateralRow, PositionRow } from '../ledger/ledger-state';
import { OracleService, type OraclePrice } from '../oracle/oracle.service';
import { PriceSampleRepository } from '../oracle/price-sample.repository';
import { TradingRpcRepository, type PerpMarketTerms } from '../oracle/trading-rpc.repository';
import { ChainRegistry, type RegisteredChain } from '../registry/chain-registry';
import { RiskHistoryRepository, type RiskSnapshot } from './risk-history.repository';
import { accountInputs, assetTerms, bookId, freezesOf, heldAssets, holdingsOf, marketConfig, riskParams, sampledCorrelation, type AccountInputs } from './risk-inputs';
import { RiskReader, type AccountRisk } from './risk-reader';

export interface ChainWeightState {
  chain: RegisteredChain;
  lastAttestationBlock: number | null;
  /** Unix s of the last delivered attestation's trading-chain block; null = none yet (decays from service start). */
  lastAttestationAt: number | null;
  weight: number;
}

/**
 * The live risk engine: a RiskBook over every ledger account, fed by committed ledger changes (accounts
 * reloaded), oracle ticks, EWMA σ/ρ from the price samples and decaying chain weights. Work that touches the
 * database or the chain runs on one serial queue; `refresh()` queues behind everything announced so far.
 */
@Injectable()
export class RiskService extends RiskReader implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RiskService.name);
  private readonly book: RiskBook | null = null;
  private readonly assets = new Map<number, ManifestAsset>();
  private readonly chains = new Map<number, ChainWeightState>();
  private readonly collateralChains = new Map<number, RegisteredChain>();
  private readonly risks = new Map<string, AccountRisk>();
  private readonly inputs = new Map<string, AccountInputs>();
  private readonly listeners = new Set<(changed: AccountRisk[]) => void>();
  private readonly markets = new Map<number, PerpMarketTerms>();
  /** Manifest correlations: used until the samples give an EWMA estimate. */
  private readonly priors: readonly { a: number; b: number; rho: number }[];
  private pending = new Set<string>();
  /** Guard status per asset as last applied (a change re-evaluates the freezes of its holders). */
  private readonly statuses = new Map<number, string>();
  private loaded = false;
  private attestationsDirty = true;
  private ewmaVersion = -1;
  private readonly startedAt: number;
  private readonly queue = new SerialQueue();
  private syncQueued = false;
  private timer: NodeJS.Timeout | null = null;
  private subscriptions: (Subscription | (() => void))[] = [];
  private readonly snapshots = new Map<string, { at: number; dirty: boolean }>();
  private snapshotBuffer: RiskSnapshot[] = [];
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    registry: ChainRegistry,
    private readonly ledger: LedgerQueryRepository,
    private readonly changes: LedgerChanges,
    private readonly oracle: OracleService,
    private readonly samples: PriceSampleRepository,
    private readonly rpc: TradingRpcRepository,
    private readonly history: RiskHistoryRepository,
    private readonly clock: Clock,
  ) {
    super();
    this.startedAt = this.nowSeconds();
    this.priors = registry.manifest?.correlations ?? [];
    for (const asset of registry.assets) this.assets.set(asset.assetId, asset);
    const collateral = registry.chains.filter((c) => c.role === 'collateral');
    for (const chain of collateral) {
      this.collateralChains.set(chain.eid, chain);
      this.chains.set(chain.eid, { chain, lastAttestationBlock: null, lastAttestationAt: null, weight: chain.manifest.weight });
    }
    if (registry.enabled && registry.tradingChain && registry.assets.length > 0) {
      this.book = new RiskBook(marketConfig(registry.assets, registry.manifest?.correlations ?? [], collateral, riskParams(config)));
    }
  }

  get enabled(): boolean {
    return this.book !== null;
  }

  onApplicationBootstrap(): void {
    if (!this.book) {
      this.logger.warn('no manifest assets on a trading chain: risk engine idle');
      return;
    }
    this.subscriptions.push(this.changes.changes.subscribe(({ accounts }) => this.onLedgerChange(accounts)));
    this.subscriptions.push(this.oracle.subscribe((changed) => this.onPrices(changed)));
    this.scheduleSync();
    if (this.config.RISK_TICK_MS > 0) {
      this.timer = setInterval(() => this.scheduleSync(), this.config.RISK_TICK_MS);
      this.timer.unref();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    for (const s of this.subscriptions) {
      if (typeof s === 'function') s();
      else s.unsubscribe();
    }
    await this.queue.idle();
  }

  get(account: string): AccountRisk | undefined {
    return this.risks.get(account.toLowerCase());
  }

  all(): AccountRisk[] {
    return [...this.risks.values()];
  }

  subscribe(listener: (changed: AccountRisk[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  refresh(): Promise<void> {
    if (!this.book) return Promise.resolve();
    return this.queue.run(() => this.sync());
  }

  /** The ledger inputs behind an account's risk, in model units. */
  inputsOf(account: string): AccountInputs | undefined {
    return this.inputs.get(account.toLowerCase());
  }

  chainWeights(): ChainWeightState[] {
    return [...this.chains.values()];
  }

  /** The price the book uses for an asset (0 until one was accepted). */
  bookPrice(assetId: number): number {
    return this.book ? this.book.market.price[this.book.market.assetIndex(bookId(assetId))] : 0;
  }

  private onLedgerChange(accounts: ReadonlySet<string>): void {
    for (const account of accounts) this.pending.add(account.toLowerCase());
    this.attestationsDirty = true;
    this.scheduleSync();
  }

  /** Applied at once (the book is in memory); freezes follow the guard status. */
  private onPrices(changed: readonly OraclePrice[]): void {
    const touched = this.applyPrices(changed);
    if (touched.size) this.publish(touched);
    if (this.snapshotBuffer.length) void this.queue.run(() => this.flushSnapshots());
  }

  private applyPrices(prices: readonly OraclePrice[]): Set<string> {
    const book = this.book!;
    const touched = new Set<string>();
    const statusChanged = new Set<number>();
    for (const p of prices) {
      if (!this.assets.has(p.assetId)) continue;
      const price = p.price ?? 0;
      if (this.bookPrice(p.assetId) !== price) for (const s of book.onPriceTick(bookId(p.assetId), price)) touched.add(s.accountId);
      if (this.statuses.get(p.assetId) !== p.status) {
        this.statuses.set(p.assetId, p.status);
        statusChanged.add(p.assetId);
      }
    }
    if (statusChanged.size) {
      for (const risk of this.risks.values()) if (risk.assets.some((a) => statusChanged.has(a))) touched.add(risk.account);
    }
    return touched;
  }

  private scheduleSync(): void {
    if (this.syncQueued || this.stopped) return;
    this.syncQueued = true;
    void this.queue.run(() => this.sync()).catch((error: Error) => this.logger.error(`risk sync failed: ${error.message}`));
  }

  /** Everything announced so far: ledger accounts, attestation times, chain weights, EWMA terms, prices, snapshots. */
  private async sync(): Promise<void> {
    this.syncQueued = false;
    const book = this.book!;
    const touched = new Set<string>();
    if (!this.loaded) await this.loadAll(touched);
    const accounts = [...this.pending];
    this.pending = new Set();
    for (let i = 0; i < accounts.length; i += 16) {
      await Promise.all(accounts.slice(i, i + 16).map((account) => this.reload(account, touched)));
    }
    if (this.attestationsDirty) await this.loadAttestationTimes();
    const now = this.nowSeconds();
    for (const state of this.chains.values()) {
      const m = state.chain.manifest;
      const weight = decayedChainWeight({
        configuredWeight: m.weight,
        heartbeatSeconds: m.heartbeatSeconds,
        decayWindowSeconds: m.decayWindowSeconds,
        lastAttestationAt: state.lastAttestationAt ?? undefined,
        since: this.startedAt,
        now,
      });
      if (weight !== state.weight) {
        state.weight = weight;
        for (const s of book.setChainWeight(state.chain.eid, weight)) touched.add(s.accountId);
      }
    }
    if (this.oracle.sampleVersion !== this.ewmaVersion) await this.updateEwmaTerms(touched);
    for (const id of this.applyPrices(this.oracle.prices())) touched.add(id);
    this.publish(touched);
    this.dueSnapshots();
    await this.flushSnapshots();
  }

  /** Every ledger account at start, from one snapshot of the ledger (a few queries, not two per account). */
  private async loadAll(touched: Set<string>): Promise<void> {
    const snapshot = await this.ledger.snapshot();
    const group = <T extends { account: string }>(rows: T[]) => {
      const out = new Map<string, T[]>();
      for (const row of rows) {
        const id = row.account.toLowerCase();
        out.set(id, [...(out.get(id) ?? []), row]);
      }
      return out;
    };
    const collateral = group(snapshot.collateral);
    const positions = group(snapshot.positions);
    for (const account of snapshot.accounts) {
      const id = account.toLowerCase();
      await this.load(id, collateral.get(id) ?? [], positions.get(id) ?? [], touched);
    }
    this.loaded = true;
  }

  private async reload(account: string, touched: Set<string>): Promise<void> {
    let rows: [CollateralRow[], PositionRow[]];
    try {
      const address = getAddress(account);
      rows = await Promise.all([this.ledger.collateralOf(address), this.ledger.positionsOf(address)]);
    } catch (error) {
      this.pending.add(account);
      this.logger.error(`reading ${account} from the ledger failed: ${(error as Error).message}`);
      return;
    }
    await this.load(account, ...rows, touched);
  }

  private async load(account: string, collateral: CollateralRow[], positions: PositionRow[], touched: Set<string>): Promise<void> {
    try {
      for (const p of positions) {
        if (p.size !== 0n && !this.markets.has(p.marketId)) this.markets.set(p.marketId, await this.rpc.market(p.marketId));
      }
      const inputs = accountInputs(collateral, positions, this.markets, this.collateralChains, this.assets);
      if (inputs.skipped.length) this.logger.warn(`${account}: left out ${inputs.skipped.join('; ')}`);
      this.book!.setAccount(account, holdingsOf(inputs));
      this.inputs.set(account, inputs);
      touched.add(account);
    } catch (error) {
      this.pending.add(account); // retried on the next sync
      this.logger.error(`loading ${account} failed: ${(error as Error).message}`);
    }
  }

  private async loadAttestationTimes(): Promise<void> {
    try {
      const blocks = await this.ledger.lastAttestationBlocks();
      for (const [eid, block] of blocks) {
        const state = this.chains.get(eid);
        if (!state || state.lastAttestationBlock === block) continue;
        state.lastAttestationAt = await this.rpc.blockTimestamp(block);
        state.lastAttestationBlock = block;
      }
      this.attestationsDirty = false;
    } catch (error) {
      this.logger.error(`reading the last attestation times failed: ${(error as Error).message}`);
    }
  }

  private async updateEwmaTerms(touched: Set<string>): Promise<void> {
    const book = this.book!;
    const version = this.oracle.sampleVersion;
    const interval = this.config.ORACLE_SAMPLE_INTERVAL_S;
    const min = this.config.RISK_MIN_SAMPLES;
    const history = new Map<number, Awaited<ReturnType<PriceSampleRepository['recent']>>>();
    for (const asset of this.assets.values()) {
      const samples = await this.samples.recent(asset.assetId, this.config.ORACLE_SAMPLE_KEEP);
      history.set(asset.assetId, samples);
      for (const s of book.setAssetRiskTerms(bookId(asset.assetId), assetTerms(asset, samples, min, interval))) touched.add(s.accountId);
    }
    const priors = new Map(this.priors.map((c) => [`${c.a}:${c.b}`, c.rho]));
    const ids = [...this.assets.keys()];
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < ids.length; j++) {
        const [a, b] = [ids[i], ids[j]];
        const rho = sampledCorrelation(history.get(a)!, history.get(b)!, min, interval) ?? priors.get(`${a}:${b}`) ?? priors.get(`${b}:${a}`) ?? 0;
        for (const s of book.setCorrelation(bookId(a), bookId(b), rho)) touched.add(s.accountId);
      }
    }
    this.ewmaVersion = version;
  }

  /** Rebuilds the AccountRisk of these accounts and tells listeners about the ones that changed. */
  private publish(accounts: Iterable<string>): void {
    const changed: AccountRisk[] = [];
    const computedAt = this.clock.now();
    for (const account of accounts) {
      const result = this.book!.result(account);
      const inputs = this.inputs.get(account);
      if (!result || !inputs) continue;
      const assets = heldAssets(inputs);
      const frozen = freezesOf(assets, (id) => this.oracle.price(id), (id) => this.assets.get(id)?.symbol ?? String(id));
      const risk: AccountRisk = { account, result, assets, frozen, computedAt };
      const before = this.risks.get(account);
      this.risks.set(account, risk);
      if (before && sameRisk(before, risk)) continue;
      changed.push(risk);
      this.noteSnapshot(risk, before);
    }
    if (changed.length) for (const listener of this.listeners) listener(changed);
  }

  private noteSnapshot(risk: AccountRisk, before: AccountRisk | undefined): void {
    const last = this.snapshots.get(risk.account);
    const flipped = before !== undefined && before.result.liquidatable !== risk.result.liquidatable;
    if (!last || flipped || risk.computedAt - last.at >= this.config.RISK_SNAPSHOT_INTERVAL_MS) {
      this.snapshotBuffer.push(snapshotOf(risk));
      this.snapshots.set(risk.account, { at: risk.computedAt, dirty: false });
    } else last.dirty = true;
  }

  /** Throttled changes whose interval has passed are written with the account's current risk. */
  private dueSnapshots(): void {
    const now = this.clock.now();
    for (const [account, last] of this.snapshots) {
      if (!last.dirty || now - last.at < this.config.RISK_SNAPSHOT_INTERVAL_MS) continue;
      const risk = this.risks.get(account);
      if (!risk) continue;
      this.snapshotBuffer.push(snapshotOf({ ...risk, computedAt: now }));
      this.snapshots.set(account, { at: now, dirty: false });
    }
  }

  private async flushSnapshots(): Promise<void> {
    if (!this.snapshotBuffer.length) return;
    const rows = this.snapshotBuffer;
    this.snapshotBuffer = [];
    try {
      await this.history.insert(rows);
    } catch (error) {
      this.logger.error(`saving ${rows.length} risk snapshots failed: ${(error as Error).message}`);
    }
  }

  private nowSeconds(): number {
    return Math.floor(this.clock.now() / 1000);
  }
}

function sameRisk(a: AccountRisk, b: AccountRisk): boolean {
  return (
    Object.is(a.result.creditLimit, b.result.creditLimit) &&
    Object.is(a.result.health, b.result.health) &&
    a.result.liquidatable === b.result.liquidatable &&
    freezeKey(a) === freezeKey(b)
  );
}

const freezeKey = (risk: AccountRisk): string => risk.frozen.map((f) => `${f.assetId}:${f.reason}`).join(',');

function snapshotOf(risk: AccountRisk): RiskSnapshot {
  const r = risk.result;
  return {
    account: risk.account,
    computedAt: risk.computedAt,
    health: r.health,
    creditLimit: r.creditLimit,
    collateralInit: r.collateralInit,
    collateralMaint: r.collateralMaint,
    requirementInit: r.requirementInit,
    requirementMaint: r.requirementMaint,
    unrealizedPnl: r.unrealizedPnl,
    liquidatable: r.liquidatable,
  };
}
