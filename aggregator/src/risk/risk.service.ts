import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import { Clock, SerialQueue } from '@tributary/service-kit';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { LedgerChanges, type LedgerChange } from '../ledger/ledger-changes';
import { OracleService, type OraclePrice } from '../oracle/oracle.service';
import { RiskBookSync } from './book-sync';
import { ChainWeights } from './chain-weights';
import { LiveRiskParams } from './live-params';
import { RiskEstimator } from './risk-estimator';
import { freezesOf, heldAssets } from './risk-inputs';
import { RiskReader, sameRisk, type AccountRisk } from './risk-reader';
import { RiskSnapshotRecorder } from './snapshot-recorder';

/**
 * The live risk engine: a RiskBook over every ledger account (RiskBookSync), fed by committed ledger changes
 * (accounts reloaded), oracle ticks, EWMA σ/ρ from the price samples (RiskEstimator) and decaying chain weights
 * (ChainWeights); changed risks go to subscribers and the history (RiskSnapshotRecorder). Work that touches the
 * database or the chain runs on one serial queue; `refresh()` queues behind everything announced so far.
 */
@Injectable()
export class RiskService extends RiskReader implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RiskService.name);
  private readonly risks = new Map<string, AccountRisk>();
  private readonly listeners = new Set<(changed: AccountRisk[]) => void>();
  private readonly queue = new SerialQueue();
  private syncQueued = false;
  private timer: NodeJS.Timeout | null = null;
  private subscriptions: (Subscription | (() => void))[] = [];
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly book: RiskBookSync,
    private readonly weights: ChainWeights,
    private readonly estimator: RiskEstimator,
    private readonly snapshots: RiskSnapshotRecorder,
    private readonly changes: LedgerChanges,
    private readonly oracle: OracleService,
    private readonly clock: Clock,
    private readonly params: LiveRiskParams,
  ) {
    super();
  }

  get enabled(): boolean {
    return this.book.book !== null;
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) {
      this.logger.warn('no manifest assets on a trading chain: risk engine idle');
      return;
    }
    this.subscriptions.push(this.changes.changes.subscribe((change) => this.onLedgerChange(change)));
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
    if (!this.enabled) return Promise.resolve();
    return this.queue.run(() => this.sync());
  }

  /** A heartbeat changes no account but moves its chain's liveness: the chain weights re-read it either way. */
  private onLedgerChange({ accounts }: LedgerChange): void {
    this.book.markChanged(accounts);
    this.weights.markAttestationsChanged();
    this.scheduleSync();
  }

  /** Applied at once (the book is in memory); freezes follow the guard status. */
  private onPrices(changed: readonly OraclePrice[]): void {
    const touched = this.applyPrices(changed);
    if (touched.size) this.publish(touched);
    if (this.snapshots.pending) void this.queue.run(() => this.snapshots.flush());
  }

  /** Prices into the book; touched: accounts whose risk moved or who hold an asset whose guard status changed. */
  private applyPrices(prices: readonly OraclePrice[]): Set<string> {
    const { moved: touched, statusChanged } = this.book.applyPrices(prices);
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

  /** Everything announced so far: governed parameters, ledger accounts, attestation times, chain weights, EWMA terms, prices, snapshots. */
  private async sync(): Promise<void> {
    this.syncQueued = false;
    const book = this.book.book!;
    const touched = new Set<string>();
    const changes = await this.params.update();
    if (changes.some((c) => c.kind === 'imr' || c.kind === 'mmr')) this.book.applyMarketRatios(this.params.current);
    if (changes.some((c) => c.kind === 'stableMaxStep' || c.kind === 'stableInterval'))
      this.oracle.stress.setStableParams(this.params.current.stable);
    await this.book.syncAccounts(touched);
    await this.weights.update(book, touched);
    await this.estimator.update(book, this.oracle.sampleVersion, touched);
    for (const id of this.applyPrices(this.oracle.prices())) touched.add(id);
    this.publish(touched);
    this.snapshots.takeDue((account) => this.risks.get(account));
    await this.snapshots.flush();
  }

  /** Rebuilds the AccountRisk of these accounts and tells listeners about the ones that changed. */
  private publish(accounts: Iterable<string>): void {
    const changed: AccountRisk[] = [];
    const computedAt = this.clock.now();
    for (const account of accounts) {
      const result = this.book.result(account);
      const inputs = this.book.inputsOf(account);
      if (!result || !inputs) continue;
      const assets = heldAssets(inputs);
      const frozen = freezesOf(
        assets,
        (id) => this.oracle.price(id),
        (id) => this.book.assets.get(id)?.symbol ?? String(id),
      );
      const risk: AccountRisk = { account, result, cash: inputs.cashWad, assets, frozen, computedAt };
      const before = this.risks.get(account);
      this.risks.set(account, risk);
      if (before && sameRisk(before, risk)) continue;
      changed.push(risk);
      this.snapshots.note(risk, before);
    }
    if (changed.length) for (const listener of this.listeners) listener(changed);
  }
}
