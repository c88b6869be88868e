import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { Registry } from 'prom-client';
import { Clock, METRICS_REGISTRY, SerialQueue, backoffMs, messageOf } from '@tributary/service-kit';
import { toFixed18 } from '@tributary/risk';
import type { Subscription } from 'rxjs';
import { ChainRegistry } from '../chain/chain-registry';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { LedgerChanges } from '../ledger/ledger-changes';
import { RiskReader, type AccountRisk } from '../risk/risk-reader';
import { CreditLedgerReader } from './credit-ledger.reader';
import { CreditMetrics } from './credit-metrics';
import { partnerFill, planCreditBatch, type DeferredChange, type PlanAccount, type PlannedEntry } from './credit-plan';
import { CreditView } from './credit-view';
import { LeaderElection } from './leader-election';
import { TradingChain, type CreditChainState } from './trading-chain';

export type PushOutcome =
  | { kind: 'disabled' | 'not-leader' | 'idle' }
  | { kind: 'pushed'; epoch: bigint; txHash: string; entries: PlannedEntry[]; deferred: DeferredChange[] }
  | { kind: 'failed'; error: string };

export interface CreditStatus {
  enabled: boolean;
  disabledReason: string | null;
  leader: boolean;
  lastEpoch: string | null;
  lastPushAt: string | null;
  lastTxHash: string | null;
  pendingAccounts: number;
  deferredIncreases: number;
  lastError: string | null;
}

class StaleEpochError extends Error {}

/** Retry delays (ms) of a failed push (RPC error, revert other than StaleEpoch, dropped nonce) by consecutive failures (1-based; the last entry repeats). */
export const PUSH_BACKOFF_MS: readonly number[] = [500, 1_000, 2_000, 5_000, 10_000, 30_000, 60_000];
/** StaleEpoch (another pusher landed an epoch first) is retried at once with the re-read epoch, this many times. */
export const STALE_EPOCH_RETRIES = 3;

/**
 * Floor of the signed limit in 1e18 USD (negative while a debt exceeds the collateral, so a repayment counts only
 * for what it really adds); a non-finite limit (bad input upstream) pushes nothing above zero.
 */
export function targetLimit(risk: Pick<AccountRisk, 'result'>): bigint {
  const x = risk.result.creditLimitSigned;
  try {
    return x >= 0 ? toFixed18(x) : -toFixed18(-x) - 1n;
  } catch {
    return 0n;
  }
}

/**
 * Pushes the risk engine's credit limits and liquidation marks to the CreditManager (the leader only): on a
 * schedule (CREDIT_PUSH_INTERVAL_MS) and soon after risk changes (coalesced for CREDIT_PUSH_DEBOUNCE_MS), in
 * batches planned by `planCreditBatch`, one transaction at a time with epoch = lastEpoch() + 1.
 */
@Injectable()
export class CreditPusherService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(CreditPusherService.name);
  private readonly view = new CreditView();
  /** Accounts whose risk changed since they were last planned. */
  private readonly dirty = new Set<string>();
  /** Accounts left over by the last plan (batch full, allowance short, frozen): planned again next time. */
  private readonly carried = new Map<string, DeferredChange>();
  private readonly metrics: CreditMetrics;
  /** Cycles running or waiting (a tick adds none while one waits: ticks during a slow push do not pile up). */
  private readonly queue = new SerialQueue();
  private lastFullScan = Number.NEGATIVE_INFINITY;
  private failures = 0;
  private nextAttemptAt = 0;
  private debounce: NodeJS.Timeout | null = null;
  private stopped = false;
  private unsubscribe: (() => void) | null = null;
  private reorgs: Subscription | null = null;
  /** A trading-chain reorg was rolled back: the view (advanced by our own receipts) is reloaded from the chain. */
  private reloadView = false;
  /** Account → when the indexer read the newest trading-chain head whose events changed its ledger rows (ms). */
  private readonly ledgerHeadAt = new Map<string, number>();
  /** Account → that head, once its risk changed (the next push carrying it is a reaction sample). */
  private readonly changedAt = new Map<string, number>();
  private chainClock: { chainNow: number; wallMs: number } | null = null;
  private last = { epoch: null as bigint | null, pushAt: null as number | null, txHash: null as string | null, error: null as string | null };

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly risk: RiskReader,
    private readonly chain: TradingChain,
    private readonly ledger: CreditLedgerReader,
    private readonly leader: LeaderElection,
    private readonly scheduler: SchedulerRegistry,
    private readonly clock: Clock,
    @Inject(METRICS_REGISTRY) registry: Registry,
    private readonly changes: LedgerChanges,
    private readonly chains: ChainRegistry,
  ) {
    this.metrics = new CreditMetrics(registry, {
      leader: () => this.leader.isLeader,
      frozenAccounts: () => this.risk.all().filter((a) => a.frozen.length > 0).length,
      deferredIncreases: () => this.deferredIncreases(),
      staleness: () => this.staleness(),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.chain.enabled) {
      this.logger.warn(`credit pusher disabled: ${this.chain.disabledReason}`);
      return;
    }
    this.logger.log(`credit pusher enabled: signer ${this.chain.pusher!.address}, CreditManager ${this.chain.creditManager}`);
    this.chain.pusher!.onEvent((e) => this.metrics.txEvents.inc({ kind: e.kind }));
    this.unsubscribe = this.risk.subscribe((changed) => this.onRiskChanged(changed));
    const tradingEid = this.chains.tradingChain?.eid;
    this.reorgs = this.changes.changes.subscribe(({ eid, reorg, accounts, headSeenAt }) => {
      if (eid !== tradingEid) return;
      if (reorg) this.onTradingReorg();
      else if (headSeenAt !== undefined && this.leader.isLeader)
        for (const account of accounts) this.ledgerHeadAt.set(account.toLowerCase(), headSeenAt);
    });
    this.leader.onChange((isLeader) => {
      if (isLeader) {
        this.view.invalidate();
        this.lastFullScan = Number.NEGATIVE_INFINITY;
      }
    });
    await this.leader.start(this.chain.creditManager!);
    if (this.config.CREDIT_PUSH_INTERVAL_MS > 0) {
      this.scheduler.addInterval(
        'credit-push',
        setInterval(() => this.tick(), this.config.CREDIT_PUSH_INTERVAL_MS),
      );
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    this.reorgs?.unsubscribe();
    if (this.debounce) clearTimeout(this.debounce);
    this.chain.stopSenders(); // a push waiting for a stuck transaction gives up instead of holding shutdown
    await this.queue.idle();
  }

  /** Scheduled/event-driven entry: respects the retry backoff. */
  tick(): void {
    if (this.stopped || this.queue.size >= 2 || this.clock.now() < this.nextAttemptAt) return;
    void this.pushNow();
  }

  /** Plans and sends one batch now (after any running one); StaleEpoch is retried with the re-read epoch. */
  pushNow(): Promise<PushOutcome> {
    return this.queue.run(() => this.cycleWithRetry());
  }

  /** Accounts in `changed` are planned at the next push; with a schedule, that push comes after the debounce. */
  private onRiskChanged(changed: readonly AccountRisk[]): void {
    // A follower keeps nothing: when it becomes the leader it reloads the chain and plans every account.
    if (!this.leader.isLeader) return;
    for (const a of changed) {
      this.dirty.add(a.account);
      // Only a ledger change that moved the risk starts a sample (our own CreditLimitSet rows move none).
      const at = this.ledgerHeadAt.get(a.account);
      if (at === undefined) continue;
      this.ledgerHeadAt.delete(a.account);
      if (!this.changedAt.has(a.account)) this.changedAt.set(a.account, at);
    }
    if (this.config.CREDIT_PUSH_INTERVAL_MS === 0 || this.debounce || this.stopped) return;
    this.debounce = setTimeout(() => {
      this.debounce = null;
      this.tick();
    }, this.config.CREDIT_PUSH_DEBOUNCE_MS);
  }

  /**
   * The trading chain lost blocks our receipts may have been in (a push can vanish, or be mined again elsewhere):
   * what is on chain is read again before the next plan, and every account is planned against it.
   */
  private onTradingReorg(): void {
    this.reloadView = true;
    this.lastFullScan = Number.NEGATIVE_INFINITY;
    if (this.leader.isLeader && this.config.CREDIT_PUSH_INTERVAL_MS > 0) this.tick();
  }

  private async cycleWithRetry(): Promise<PushOutcome> {
    for (let attempt = 1; ; attempt++) {
      try {
        const outcome = await this.cycle();
        if (outcome.kind === 'pushed' || outcome.kind === 'idle') this.failures = 0;
        return outcome;
      } catch (error) {
        if (error instanceof StaleEpochError && attempt <= STALE_EPOCH_RETRIES) {
          this.logger.warn(`${error.message}; re-reading and retrying`);
          continue;
        }
        const message = messageOf(error);
        this.failures += 1;
        this.nextAttemptAt = this.clock.now() + backoffMs(this.failures, PUSH_BACKOFF_MS);
        this.last.error = message;
        this.metrics.pushes.inc({ result: 'failed' });
        this.logger.error(`credit push failed (${this.failures} in a row, next try in ${backoffMs(this.failures, PUSH_BACKOFF_MS)} ms): ${message}`);
        return { kind: 'failed', error: message };
      }
    }
  }

  private async cycle(): Promise<PushOutcome> {
    if (!this.chain.enabled || this.stopped) return { kind: 'disabled' };
    if (!this.leader.isLeader) return { kind: 'not-leader' };
    const state = await this.chain.state();
    this.chainClock = { chainNow: state.now, wallMs: this.clock.now() };
    if (this.reloadView || this.view.knownEpoch === null || state.lastEpoch !== this.view.knownEpoch) {
      this.reloadView = false;
      await this.sync(state.lastEpoch);
    }

    const taken = this.takeCandidates(state);
    try {
      return await this.planAndPush(taken, state);
    } catch (error) {
      for (const account of taken) this.dirty.add(account);
      throw error;
    }
  }

  /** Reloads the view from CreditManager.account() of every account anyone might hold credit for. */
  private async sync(seenEpoch: bigint): Promise<void> {
    const accounts = new Set<string>([...this.view.accounts(), ...this.risk.all().map((a) => a.account), ...(await this.ledger.accounts())]);
    let epoch = seenEpoch;
    for (let round = 0; round < 3; round++) {
      const rows = await this.chain.accounts([...accounts]);
      const after = await this.chain.lastEpoch();
      this.view.load(rows, after);
      if (after === epoch) break;
      epoch = after;
    }
    this.lastFullScan = Number.NEGATIVE_INFINITY;
    this.logger.log(`credit view loaded from the chain: ${this.view.size} accounts with credit at epoch ${this.view.knownEpoch}`);
  }

  /** Every account on a rescan; otherwise the changed, carried-over and refresh-due ones. */
  private takeCandidates(state: CreditChainState): string[] {
    const nowMs = this.clock.now();
    const out = new Set<string>([...this.dirty, ...this.carried.keys(), ...this.view.due(state.staleAfter, state.now)]);
    if (nowMs - this.lastFullScan >= this.config.CREDIT_RESCAN_MS) {
      this.lastFullScan = nowMs;
      for (const a of this.risk.all()) out.add(a.account);
      for (const a of this.view.accounts()) out.add(a);
    }
    this.dirty.clear();
    return [...out];
  }

  private async planAndPush(candidates: string[], state: CreditChainState): Promise<PushOutcome> {
    const ledger = await this.ledger.credit(candidates);
    const accounts: PlanAccount[] = [];
    for (const account of candidates) {
      const risk = this.risk.get(account);
      const onChain = this.view.get(account);
      // Unknown to the risk engine: nothing to compute a target from; a limit it once had is left to go stale.
      if (!risk) continue;
      accounts.push({
        account,
        targetLimit: targetLimit(risk),
        cash: risk.cash,
        targetLiquidatable: risk.result.liquidatable,
        frozen: risk.frozen.length > 0,
        onChain,
        committed: ledger.get(account)?.committed ?? 0n,
      });
    }
    const planSettings = {
      hysteresis: { relative: this.config.CREDIT_HYSTERESIS_RELATIVE, absolute: toFixed18(this.config.CREDIT_HYSTERESIS_ABSOLUTE_USD) },
      maxBatch: this.config.CREDIT_PUSH_BATCH,
      staleAfter: state.staleAfter,
      now: state.now,
      increaseAllowance: state.increaseAllowance,
    };
    const plan = planCreditBatch(accounts, planSettings);
    const carried = new Map(plan.deferred.map((d) => [d.account, d]));
    for (const frozen of plan.deferred.filter((d) => d.reason === 'frozen')) {
      if (!this.carried.has(frozen.account)) this.logger.log(`credit increase of ${frozen.account} held back: ${this.freezeReason(frozen.account)}`);
    }
    if (!plan.entries.length) {
      this.replaceCarried(carried);
      return { kind: 'idle' };
    }
    if (!this.leader.isLeader || this.stopped) {
      for (const account of candidates) this.dirty.add(account);
      return { kind: 'not-leader' };
    }
    const epoch = state.lastEpoch + 1n;
    this.observeReaction(plan.entries);
    const settings = { ...planSettings, increaseAllowance: 0n };
    const untouchable = new Set([...plan.entries.map((e) => e.account.toLowerCase()), ...plan.deferred.map((d) => d.account.toLowerCase())]);
    const fills = new Map<string, PlannedEntry>();
    const built = await this.chain.pushRequest(epoch, plan.entries, (partner) => {
      const key = partner.toLowerCase();
      const risk = this.risk.get(key) ?? this.risk.get(partner);
      if (untouchable.has(key) || !risk) return null;
      const fill = partnerFill(
        {
          account: partner,
          targetLimit: targetLimit(risk),
          cash: risk.cash,
          targetLiquidatable: risk.result.liquidatable,
          frozen: risk.frozen.length > 0,
          onChain: this.view.get(key),
          committed: 0n,
        },
        settings,
      );
      if (fill) fills.set(key, fill);
      return fill;
    });
    const sent = await this.chain.pusher!.sendAndWait(built.request, this.chain.journal);
    if (sent.reverted) {
      const lastEpoch = await this.chain.lastEpoch();
      if (lastEpoch >= epoch) {
        this.view.invalidate();
        this.metrics.pushes.inc({ result: 'stale_epoch' });
        throw new StaleEpochError(`push of epoch ${epoch} reverted: another pusher landed epoch ${lastEpoch} (tx ${sent.hash})`);
      }
      this.metrics.pushes.inc({ result: 'reverted' });
      throw new Error(`push of epoch ${epoch} (${plan.entries.length} accounts) reverted in tx ${sent.hash}`);
    }
    const pushed = [...plan.entries, ...fills.values()];
    this.view.applyPush(pushed, epoch, sent.blockTimestamp);
    this.replaceCarried(carried);
    this.last = { epoch, pushAt: sent.blockTimestamp, txHash: sent.hash, error: null };
    this.metrics.pushes.inc({ result: 'pushed' });
    this.metrics.batchAccounts.observe(pushed.length);
    this.logger.log(
      `pushed epoch ${epoch}: ${plan.entries.length} accounts + ${fills.size} slot partners in ${built.slots} slots (+${plan.totalIncrease} increase), ${plan.deferred.length} deferred, tx ${sent.hash}`,
    );
    if (plan.deferred.some((d) => d.reason === 'batch-full') && this.config.CREDIT_PUSH_INTERVAL_MS > 0 && !this.stopped)
      setImmediate(() => this.tick());
    return { kind: 'pushed', epoch, txHash: sent.hash, entries: pushed, deferred: plan.deferred };
  }

  /** One sample per push: the oldest head read among the accounts it carries (changes older than 60 s are dropped). */
  private observeReaction(entries: readonly PlannedEntry[]): void {
    const now = Date.now();
    let oldest = Number.POSITIVE_INFINITY;
    for (const e of entries) {
      const at = this.changedAt.get(e.account.toLowerCase());
      if (at === undefined) continue;
      oldest = Math.min(oldest, at);
      this.changedAt.delete(e.account.toLowerCase());
    }
    if (oldest !== Number.POSITIVE_INFINITY) this.metrics.reaction.observe((now - oldest) / 1000);
    for (const map of [this.changedAt, this.ledgerHeadAt]) for (const [account, at] of map) if (now - at > 60_000) map.delete(account);
  }

  private replaceCarried(next: Map<string, DeferredChange>): void {
    this.carried.clear();
    for (const [k, v] of next) this.carried.set(k, v);
  }

  private freezeReason(account: string): string {
    return (this.risk.get(account)?.frozen ?? []).map((f) => `${f.symbol} ${f.reason} (${f.detail})`).join('; ');
  }

  private deferredIncreases(): number {
    let n = 0;
    for (const d of this.carried.values()) if (d.reason !== 'batch-full' || d.target > d.current) n++;
    return n;
  }

  private *staleness(): Iterable<[string, number]> {
    if (!this.leader.isLeader || !this.chainClock) return;
    const now = this.chainClock.chainNow + (this.clock.now() - this.chainClock.wallMs) / 1000;
    for (const [account, row] of this.view.entries()) {
      if (row.pushedAt > 0 && (row.limit !== 0n || row.liquidatable)) yield [account, Math.max(0, now - row.pushedAt)];
    }
  }

  async status(): Promise<CreditStatus> {
    const lastEpoch = this.view.knownEpoch ?? this.last.epoch ?? (await this.ledger.latestEpoch());
    return {
      enabled: this.chain.enabled,
      disabledReason: this.chain.disabledReason,
      leader: this.leader.isLeader,
      lastEpoch: lastEpoch === null ? null : lastEpoch.toString(),
      lastPushAt: this.last.pushAt === null ? null : new Date(this.last.pushAt * 1000).toISOString(),
      lastTxHash: this.last.txHash,
      pendingAccounts: new Set([...this.dirty, ...this.carried.keys()]).size,
      deferredIncreases: this.deferredIncreases(),
      lastError: this.last.error,
    };
  }
}
