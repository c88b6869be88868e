import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, type Registry } from 'prom-client';
import { Clock, METRICS_REGISTRY } from '@tributary/service-kit';
import {
  DEFAULT_LIQUIDATION_PENALTY,
  EMPTY_RATE_LIMIT_STATE,
  admitLiquidations,
  windowState,
  type AdmitResult,
  type LiquidationCandidate,
  type LiquidationRateLimitParams,
  type RateLimitState,
} from '@tributary/risk';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { OracleService } from '../oracle/oracle.service';
import { RiskBookSync } from '../risk/book-sync';
import { RiskReader } from '../risk/risk-reader';
import { planOnBook } from './keeper-risk-view';

/** The window's state and the queue as the API shows them. */
export interface RateLimitStatus {
  limit: number;
  used: number;
  openInterest: number;
  /** The trailing high of the open interest that L_max is a share of. */
  referenceOpenInterest: number;
  windowSeconds: number;
  maxFractionOfOpenInterest: number;
  /** unix s */
  nextReleaseAt: number | null;
  window: { account: string; at: number; cost: number }[];
  /** Liquidatable accounts an admission now would let through, then the ones that would wait (lowest health first). */
  admittable: LiquidationCandidate[];
  queued: LiquidationCandidate[];
}

/**
 * The book-wide liquidation rate limit (risk library `admitLiquidations`) as a service: it keeps the window's
 * admissions, measures the open interest on the live book, and builds candidates from the risk engine. The
 * liquidation keeper calls `admit(candidates, now)` and liquidates exactly the returned accounts, in order.
 */
@Injectable()
export class LiquidationRateLimiter {
  private state: RateLimitState = EMPTY_RATE_LIMIT_STATE;
  /** Open interest seen, at most one sample per minute, over the reference period (newest last). */
  private oiSamples: { at: number; oi: number }[] = [];
  private lastQueue: LiquidationCandidate[] = [];
  private readonly params: LiquidationRateLimitParams;
  private readonly referenceSeconds: number;
  private readonly targetHealth: number;
  private penalty = DEFAULT_LIQUIDATION_PENALTY;
  private readonly admittedTotal: Counter;
  private readonly admittedUsd: Counter;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly risk: RiskReader,
    private readonly book: RiskBookSync,
    private readonly clock: Clock,
    private readonly oracle: OracleService,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.params = { maxFractionOfOpenInterest: config.LIQUIDATION_LIMIT_FRACTION, windowSeconds: config.LIQUIDATION_WINDOW_S };
    this.referenceSeconds = config.LIQUIDATION_OI_REFERENCE_S;
    this.targetHealth = config.LIQUIDATION_TARGET_HEALTH;
    const limit = () => this.referenceOpenInterest() * this.params.maxFractionOfOpenInterest;
    const used = () => windowState(this.state, this.nowSeconds(), this.params).admissions.reduce((s, a) => s + a.cost, 0);
    const queueLength = () => this.lastQueue.length;
    new Gauge({
      name: 'tributary_aggregator_liquidation_limit_usd',
      help: 'L_max: USD of notional closed plus collateral seized the window allows (share of the trailing-high open interest)',
      registers: [registry],
      collect() {
        this.set(limit());
      },
    });
    new Gauge({
      name: 'tributary_aggregator_liquidation_window_used_usd',
      help: 'USD of notional closed plus collateral seized admitted within the current window',
      registers: [registry],
      collect() {
        this.set(used());
      },
    });
    new Gauge({
      name: 'tributary_aggregator_liquidation_queue_length',
      help: 'Liquidatable accounts left waiting by the last admission (rate limit reached)',
      registers: [registry],
      collect() {
        this.set(queueLength());
      },
    });
    this.admittedTotal = new Counter({
      name: 'tributary_aggregator_liquidations_admitted_total',
      help: 'Liquidations the rate limit let through',
      registers: [registry],
    });
    this.admittedUsd = new Counter({
      name: 'tributary_aggregator_liquidations_admitted_usd_total',
      help: 'USD (notional closed plus collateral seized) of the liquidations the rate limit let through',
      registers: [registry],
    });
  }

  /** The candidates to liquidate now, in order (lowest health first); the rest wait for the window to free up. */
  admit(candidates: readonly LiquidationCandidate[], now = this.nowSeconds()): LiquidationCandidate[] {
    const result = this.run(candidates, now);
    this.state = result.state;
    this.lastQueue = result.queued;
    this.admittedTotal.inc(result.admitted.length);
    for (const c of result.admitted) this.admittedUsd.inc(Math.max(0, c.notional) + Math.max(0, c.seized));
    return result.admitted;
  }

  /**
   * The keeper's gate for new runs: of `accounts` (liquidatable, no run open), those already admitted in this
   * window and those the limit admits now (lowest health first); the rest wait in the queue.
   */
  admitAccounts(accounts: readonly string[], now = this.nowSeconds()): string[] {
    const wanted = new Set(accounts.map((a) => a.toLowerCase()));
    const already = windowState(this.state, now, this.params)
      .admissions.map((a) => a.account.toLowerCase())
      .filter((a) => wanted.has(a));
    const fresh = this.admit(
      this.candidates().filter((c) => wanted.has(c.account.toLowerCase())),
      now,
    ).map((c) => c.account.toLowerCase());
    return [...new Set([...already, ...fresh])];
  }

  /** The liquidation penalty the chain charges (the keeper reads it from LiquidationRegistry and passes it on). */
  usePenalty(penalty: number): void {
    this.penalty = penalty;
  }

  /**
   * Every account the risk engine finds liquidatable, as candidates: the notional the DESIGN plan closes (its
   * fraction of Σ|q|·p) and the collateral a debt left after it would seize (debt × (1 + π), at most what is held).
   */
  candidates(): LiquidationCandidate[] {
    const out: LiquidationCandidate[] = [];
    for (const risk of this.risk.all()) {
      if (!risk.result.liquidatable) continue;
      const inputs = this.book.inputsOf(risk.account);
      const plan = planOnBook(this.book, risk.account, this.targetHealth, this.penalty);
      const open = (inputs?.positions ?? []).length > 0;
      const debtAfter = Math.max(0, -(plan && open ? plan.cashAfter : (inputs?.cash ?? 0)));
      // Debt is seized only once no position is left (a partial plan leaves the account at its target health).
      const seizes = !open || !plan || plan.fraction === 1;
      const collateral = (inputs?.balances ?? []).reduce((s, b) => s + b.amount * this.book.bookPrice(b.assetId), 0);
      out.push({
        account: risk.account,
        health: risk.result.health,
        notional: open ? (plan?.closedNotional ?? this.notionalOf(risk.account)) : 0,
        seized: seizes ? Math.min(collateral, debtAfter * (1 + this.penalty)) : 0,
      });
    }
    return out;
  }

  private notionalOf(account: string): number {
    return (this.book.inputsOf(account)?.positions ?? []).reduce((s, p) => s + Math.abs(p.size) * this.book.bookPrice(p.assetId), 0);
  }

  /** The window and the queue now, for the API (a dry run: nothing is admitted). */
  status(now = this.nowSeconds()): RateLimitStatus {
    const dry = this.run(this.candidates(), now);
    const window = windowState(this.state, now, this.params).admissions;
    return {
      limit: dry.limit,
      used: window.reduce((s, a) => s + a.cost, 0),
      openInterest: this.openInterest(),
      referenceOpenInterest: this.referenceOpenInterest(now),
      windowSeconds: this.params.windowSeconds,
      maxFractionOfOpenInterest: this.params.maxFractionOfOpenInterest,
      nextReleaseAt: window.length ? window[0].at + this.params.windowSeconds : null,
      window: window.map((a) => ({ ...a })),
      admittable: dry.admitted,
      queued: dry.queued,
    };
  }

  private run(candidates: readonly LiquidationCandidate[], now: number): AdmitResult {
    return admitLiquidations(this.state, candidates, now, this.referenceOpenInterest(now), this.params);
  }

  /**
   * The open interest L_max is a share of: the highest seen over the last LIQUIDATION_OI_REFERENCE_S. Liquidations
   * shrink the live figure; measured live, the limit would shrink with every window and a crash would clear
   * geometrically slowly. With the trailing high, a crash inside the reference period clears linearly.
   */
  private referenceOpenInterest(now = this.nowSeconds()): number {
    const oi = this.openInterest();
    const last = this.oiSamples[this.oiSamples.length - 1];
    if (last && now >= last.at && now - last.at < 60) last.oi = Math.max(last.oi, oi);
    else this.oiSamples.push({ at: now, oi });
    while (this.oiSamples.length > 0 && this.oiSamples[0].at < now - this.referenceSeconds) this.oiSamples.shift();
    return this.oiSamples.reduce((max, s) => Math.max(max, s.oi), oi);
  }

  private openInterest(): number {
    return this.book.book ? this.book.openInterest() : 0;
  }

  /** The trading chain's time as the oracle last read it (the breakers' clock), else the aggregator's clock. */
  private nowSeconds(): number {
    return this.oracle.stress.lastChainTime ?? Math.floor(this.clock.now() / 1000);
  }
}
