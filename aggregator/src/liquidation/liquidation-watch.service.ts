import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { getAddress } from 'ethers';
import { Counter, Gauge, type Registry } from 'prom-client';
import { Clock, METRICS_REGISTRY, backoffMs, messageOf } from '@tributary/service-kit';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { LeaderElection } from '../credit/leader-election';
import { TradingChain } from '../credit/trading-chain';
import { RiskReader, type AccountRisk } from '../risk/risk-reader';
import { attemptDue, onMarkRead, type LiquidationRecord } from './liquidation-state';

export interface LiquidationItem {
  account: string;
  health: number | null;
  collateralMaint: number;
  requirementMaint: number;
  /** CreditManager.isLiquidatable at the last watch tick (null = not read yet). */
  markedOnChain: boolean | null;
  lastAttempt: string | null;
  txHash: string | null;
  error: string | null;
}

/**
 * Retry delays (ms) of a liquidate() that failed for an account (simulation revert, RPC error, mined revert) by
 * consecutive failures (1-based; the last entry repeats): long enough never to spam the market with a call that keeps failing.
 */
export const LIQUIDATION_BACKOFF_MS: readonly number[] = [2_000, 5_000, 15_000, 60_000, 300_000];

const byHealth = (a: AccountRisk, b: AccountRisk) =>
  (a.result.health ?? Infinity) - (b.result.health ?? Infinity) || (a.account < b.account ? -1 : 1);

/**
 * Watches accounts with health < 1 (the risk engine's `liquidatable`): lists them (API, gauge), reads the
 * pusher's mark on chain, and once the mark landed calls PerpMarket.liquidate(account) — the leader only,
 * once per account per mark (a new mark = the chain showed the account unmarked in between), retried after a
 * failure on LIQUIDATION_BACKOFF_MS, and only while the PerpMarket holds a position of the account to close.
 */
@Injectable()
export class LiquidationWatchService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(LiquidationWatchService.name);
  private readonly records = new Map<string, LiquidationRecord>();
  private readonly results: Counter<'result'>;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly risk: RiskReader,
    private readonly chain: TradingChain,
    private readonly leader: LeaderElection,
    private readonly scheduler: SchedulerRegistry,
    private readonly clock: Clock,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    const reader = risk;
    new Gauge({
      name: 'tributary_aggregator_liquidatable_accounts',
      help: 'Accounts with health < 1',
      registers: [registry],
      collect() {
        this.set(reader.all().filter((a) => a.result.liquidatable).length);
      },
    });
    this.results = new Counter({
      name: 'tributary_aggregator_liquidations_total',
      help: 'PerpMarket.liquidate calls by result',
      labelNames: ['result'],
      registers: [registry],
    });
  }

  onApplicationBootstrap(): void {
    if (!this.chain.creditManager) return;
    if (!this.chain.perpMarket || !this.chain.liquidator)
      this.logger.warn('liquidation calls disabled (no PerpMarket in the manifest or no pusher key); accounts are still listed');
    if (this.config.LIQUIDATION_INTERVAL_MS > 0) {
      this.scheduler.addInterval(
        'liquidation-watch',
        setInterval(() => void this.tick(), this.config.LIQUIDATION_INTERVAL_MS),
      );
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.chain.stopSenders();
    await this.running;
  }

  /** One round (a round already running is awaited instead of starting another). */
  tick(): Promise<void> {
    this.running ??= this.round()
      .catch((error: unknown) => this.logger.error(`liquidation watch failed: ${messageOf(error)}`))
      .finally(() => (this.running = null));
    return this.running;
  }

  private async round(): Promise<void> {
    if (!this.chain.creditManager || this.stopped) return;
    const liquidatable = this.risk.all().filter((a) => a.result.liquidatable);
    const current = new Set(liquidatable.map((a) => a.account));
    for (const account of this.records.keys()) if (!current.has(account)) this.records.delete(account);
    for (const a of liquidatable) {
      const marked = await this.chain.isLiquidatable(a.account);
      this.records.set(a.account, onMarkRead(this.records.get(a.account), marked));
    }
    if (!this.chain.perpMarket || !this.chain.liquidator || !this.leader.isLeader) return;
    for (const a of liquidatable) {
      const record = this.records.get(a.account)!;
      if (this.stopped || !attemptDue(record, this.clock.now())) continue;
      if (!(await this.chain.openPositions(a.account)).length) continue;
      await this.attempt(a, record);
    }
  }

  private async attempt(a: AccountRisk, record: LiquidationRecord): Promise<void> {
    const now = this.clock.now();
    record.lastAttempt = now;
    record.attempts += 1;
    try {
      const request = await this.chain.liquidateRequest(a.account);
      const sent = await this.chain.liquidator!.sendAndWait(request, this.chain.journal);
      record.txHash = sent.hash;
      if (sent.reverted) throw new Error(`liquidate(${a.account}) reverted in tx ${sent.hash}`);
      record.done = true;
      record.error = null;
      this.results.inc({ result: 'liquidated' });
      this.logger.log(`liquidated ${a.account} (health ${a.result.health}) in tx ${sent.hash}`);
    } catch (error) {
      record.failures += 1;
      record.error = messageOf(error);
      record.nextAttemptAt = now + backoffMs(record.failures, LIQUIDATION_BACKOFF_MS);
      this.results.inc({ result: 'failed' });
      this.logger.warn(`liquidation of ${a.account} failed (attempt ${record.attempts}): ${record.error}`);
    }
  }

  list(limit: number, offset: number): { items: LiquidationItem[]; total: number } {
    const all = this.risk
      .all()
      .filter((a) => a.result.liquidatable)
      .sort(byHealth);
    const items = all.slice(offset, offset + limit).map((a): LiquidationItem => {
      const r = this.records.get(a.account);
      return {
        account: getAddress(a.account),
        health: a.result.health,
        collateralMaint: a.result.collateralMaint,
        requirementMaint: a.result.requirementMaint,
        markedOnChain: r?.marked ?? null,
        lastAttempt: r?.lastAttempt ? new Date(r.lastAttempt).toISOString() : null,
        txHash: r?.txHash ?? null,
        error: r?.error ?? null,
      };
    });
    return { items, total: all.length };
  }
}
