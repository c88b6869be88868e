import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { formatUnits, getAddress } from 'ethers';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { Clock, METRICS_REGISTRY, backoffMs, messageOf } from '@tributary/service-kit';
import { ChainRegistry } from '../chain/chain-registry';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { LeaderElection } from '../credit/leader-election';
import { TradingChain } from '../credit/trading-chain';
import { RiskBookSync } from '../risk/book-sync';
import { RiskReader } from '../risk/risk-reader';
import { KEEPER_STAGES, type KeeperRun, type KeeperStep } from './keeper-decision';
import { EthersKeeperChain } from './keeper-chain';
import { LiveKeeperRisk } from './keeper-risk-view';
import { LiquidationKeeper } from './liquidation-keeper';
import { LiquidationRateLimiter } from './liquidation-rate-limiter.service';
import { LiquidationLedgerService } from './liquidation-ledger.service';
import { LiquidationRunRepository } from './liquidation-run.repository';

/** One account on `GET /v1/liquidations`: its live risk and its latest keeper run. */
export interface LiquidationItem {
  account: string;
  health: number | null;
  collateralMaint: number;
  requirementMaint: number;
  liquidatable: boolean;
  run: number | null;
  stage: KeeperRun['stage'] | 'pending';
  outcome: KeeperRun['outcome'];
  fraction: number | null;
  liquidations: number;
  seizures: number;
  settlements: number;
  startedAt: string | null;
  liquidatedAt: string | null;
  seizedAt: string | null;
  doneAt: string | null;
  txHash: string | null;
  error: string | null;
}

/**
 * Retry delays (ms) of a keeper step that failed (simulation revert, RPC error, mined revert), by consecutive
 * failures (the last entry repeats): never spam the chain with a call that keeps failing.
 */
export const LIQUIDATION_BACKOFF_MS: readonly number[] = [2_000, 5_000, 15_000, 60_000, 300_000];

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * The liquidation keeper (docs/liquidation.md): every LIQUIDATION_INTERVAL_MS the leader drives each run
 * `plan → liquidate(f) → seize → auctions → cover / close` through `LiquidationKeeper`, persisted in
 * `liquidation_run`; every replica lists the runs. Disabled (listing only) without a PerpMarket, hub, pool and
 * insurance fund in the manifest or without the liquidator key.
 */
@Injectable()
export class LiquidationKeeperService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(LiquidationKeeperService.name);
  private readonly keeper: LiquidationKeeper | null = null;
  readonly disabledReason: string | null;
  private penalty = 0.02;
  private readonly liquidations: Counter<'result'>;
  private readonly steps: Counter<'step' | 'result'>;
  private readonly latency: Histogram<'phase'>;
  private stageCounts = new Map<string, number>();
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    registry: ChainRegistry,
    private readonly risk: RiskReader,
    book: RiskBookSync,
    private readonly chain: TradingChain,
    private readonly leader: LeaderElection,
    private readonly runs: LiquidationRunRepository,
    private readonly ledger: LiquidationLedgerService,
    private readonly scheduler: SchedulerRegistry,
    private readonly clock: Clock,
    @Inject(METRICS_REGISTRY) metrics: Registry,
    private readonly limiter: LiquidationRateLimiter,
  ) {
    const reader = risk;
    new Gauge({
      name: 'tributary_aggregator_liquidatable_accounts',
      help: 'Accounts with health < 1',
      registers: [metrics],
      collect() {
        this.set(reader.all().filter((a) => a.result.liquidatable).length);
      },
    });
    const counts = () => this.stageCounts;
    new Gauge({
      name: 'tributary_aggregator_liquidation_runs',
      help: 'Latest keeper run of each account, by stage (done included)',
      labelNames: ['stage'],
      registers: [metrics],
      collect() {
        for (const stage of KEEPER_STAGES) this.set({ stage }, counts().get(stage) ?? 0);
      },
    });
    this.liquidations = new Counter({
      name: 'tributary_aggregator_liquidations_total',
      help: 'PerpMarket.liquidate calls by result (liquidated, failed)',
      labelNames: ['result'],
      registers: [metrics],
    });
    this.steps = new Counter({
      name: 'tributary_aggregator_liquidation_steps_total',
      help: 'Keeper steps (liquidate, open, seize, settle, close) by result (sent, failed, landed)',
      labelNames: ['step', 'result'],
      registers: [metrics],
    });
    this.latency = new Histogram({
      name: 'tributary_aggregator_liquidation_latency_seconds',
      help: 'From the keeper seeing health < 1 to the first liquidation, first seizure and the end of the run',
      labelNames: ['phase'],
      buckets: [1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1800],
      registers: [metrics],
    });
    const t = registry.tradingChain?.manifest.contracts as Record<string, string | undefined> | undefined;
    const missing = ['perpMarket', 'hub', 'liquidationRegistry', 'settlementPool', 'insuranceFund', 'creditManager'].filter((k) => !t?.[k]);
    this.disabledReason = chain.disabledReason ?? (missing.length ? `no ${missing.join(', ')} in the manifest` : null);
    if (this.disabledReason || !chain.liquidator || !chain.provider) return;
    const keeperChain = new EthersKeeperChain(
      chain.provider,
      {
        creditManager: t!.creditManager!,
        perpMarket: t!.perpMarket!,
        hub: t!.hub!,
        liquidationRegistry: t!.liquidationRegistry!,
        settlementPool: t!.settlementPool!,
        insuranceFund: t!.insuranceFund!,
      },
      chain.liquidator,
    );
    this.keeperChain = keeperChain;
    this.keeper = new LiquidationKeeper(
      runs,
      keeperChain,
      new LiveKeeperRisk(risk, book, config.LIQUIDATION_TARGET_HEALTH, () => this.penalty),
      () => this.clock.now(),
      (failures) => backoffMs(failures, LIQUIDATION_BACKOFF_MS),
      { step: (run, step, result, detail) => this.onStep(run, step, result, detail), landed: (before, after) => this.onLanded(before, after) },
      (accounts) => limiter.admitAccounts(accounts),
    );
  }

  private readonly keeperChain: EthersKeeperChain | null = null;

  onApplicationBootstrap(): void {
    if (this.disabledReason) this.logger.warn(`liquidation keeper disabled (${this.disabledReason}); accounts are still listed`);
    if (this.config.LIQUIDATION_INTERVAL_MS > 0)
      this.scheduler.addInterval(
        'liquidation-keeper',
        setInterval(() => void this.tick(), this.config.LIQUIDATION_INTERVAL_MS),
      );
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.chain.stopSenders();
    await this.running;
  }

  /** One round (a round already running is awaited instead of starting another). */
  tick(): Promise<void> {
    this.running ??= this.round()
      .catch((error: unknown) => this.logger.error(`liquidation keeper round failed: ${messageOf(error)}`))
      .finally(() => (this.running = null));
    return this.running;
  }

  private async round(): Promise<void> {
    if (this.keeper && this.keeperChain && this.leader.isLeader && !this.stopped) {
      this.penalty = Number(formatUnits(await this.keeperChain.liquidationPenalty(), 18));
      this.limiter.usePenalty(this.penalty);
      await this.keeper.round(() => this.stopped || !this.leader.isLeader);
    }
    await this.ledger.refreshMetrics(); // the fund, lot and bad-debt gauges read the last refresh
    const latest = await this.runs.latest();
    this.stageCounts = new Map();
    for (const r of latest) this.stageCounts.set(r.stage, (this.stageCounts.get(r.stage) ?? 0) + 1);
  }

  private onStep(run: KeeperRun, step: KeeperStep, result: 'sent' | 'failed', detail: string): void {
    this.steps.inc({ step, result });
    if (step === 'liquidate') this.liquidations.inc({ result: result === 'sent' ? 'liquidated' : 'failed' });
    const log = `${step} of ${run.account} (run ${run.run}, stage ${run.stage}) ${result}: ${detail}`;
    if (result === 'failed') this.logger.warn(log);
    else this.logger.log(log);
  }

  private onLanded(before: KeeperRun, after: KeeperRun): void {
    const seconds = (at: number) => Math.max(0, (at - after.startedAt) / 1000);
    if (!before.liquidatedAt && after.liquidatedAt) this.latency.observe({ phase: 'liquidated' }, seconds(after.liquidatedAt));
    if (!before.seizedAt && after.seizedAt) this.latency.observe({ phase: 'seized' }, seconds(after.seizedAt));
    for (const step of ['liquidate', 'seize', 'settle'] as const) {
      const key = step === 'liquidate' ? 'liquidations' : step === 'seize' ? 'seizures' : 'settlements';
      if (after[key] > before[key]) this.steps.inc({ step, result: 'landed' });
    }
  }

  /** Accounts below health 1 and every account's latest run: open runs and liquidatable accounts first (lowest health), then finished runs (latest first). */
  async list(limit: number, offset: number): Promise<{ items: LiquidationItem[]; total: number }> {
    const runs = new Map((await this.runs.latest()).map((r) => [r.account, r]));
    const open = new Set(
      this.risk
        .all()
        .filter((a) => a.result.liquidatable)
        .map((a) => a.account),
    );
    for (const r of runs.values()) if (r.stage !== 'done') open.add(r.account);
    const health = (account: string) => this.risk.get(account)?.result.health ?? Infinity;
    const openRows = [...open].sort((a, b) => health(a) - health(b) || (a < b ? -1 : 1));
    const done = [...runs.values()].filter((r) => !open.has(r.account)).sort((a, b) => (b.doneAt ?? 0) - (a.doneAt ?? 0));
    const rows = [...openRows, ...done.map((r) => r.account)];
    const items = rows.slice(offset, offset + limit).map((account) => this.item(account, runs.get(account) ?? null));
    return { items, total: rows.length };
  }

  private item(account: string, run: KeeperRun | null): LiquidationItem {
    const risk = this.risk.get(account);
    return {
      account: getAddress(account),
      health: risk?.result.health ?? null,
      collateralMaint: risk?.result.collateralMaint ?? 0,
      requirementMaint: risk?.result.requirementMaint ?? 0,
      liquidatable: risk?.result.liquidatable ?? false,
      run: run?.run ?? null,
      stage: run?.stage ?? 'pending',
      outcome: run?.outcome ?? null,
      fraction: run?.fraction ?? null,
      liquidations: run?.liquidations ?? 0,
      seizures: run?.seizures ?? 0,
      settlements: run?.settlements ?? 0,
      startedAt: iso(run?.startedAt ?? null),
      liquidatedAt: iso(run?.liquidatedAt ?? null),
      seizedAt: iso(run?.seizedAt ?? null),
      doneAt: iso(run?.doneAt ?? null),
      txHash: run?.lastTxHash ?? null,
      error: run?.error ?? null,
    };
  }
}
