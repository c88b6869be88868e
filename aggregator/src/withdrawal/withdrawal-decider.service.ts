import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { formatUnits } from 'ethers';
import { Counter, type Registry } from 'prom-client';
import { Clock, METRICS_REGISTRY, backoffMs, messageOf } from '@tributary/service-kit';
import { ChainRegistry } from '../chain/chain-registry';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { LeaderElection } from '../credit/leader-election';
import { TradingChain } from '../credit/trading-chain';
import type { WithdrawalRow } from '../ledger/ledger-state';
import { RiskBookSync } from '../risk/book-sync';
import { RiskReader } from '../risk/risk-reader';
import { bookId, holdingsOf } from '../risk/risk-inputs';
import { holdingsAfter, verdictOf, type Outflow, type WithdrawalVerdict } from './withdrawal-decision';
import { WithdrawalLedgerReader } from './withdrawal-ledger.reader';

/** What the decider did with one request (kept for the API and the logs). */
export interface DecisionRecord {
  eid: number;
  requestId: string;
  account: string;
  outcome: 'approved' | 'rejected' | 'expired' | 'already-decided' | 'failed';
  verdict: WithdrawalVerdict | null;
  txHash: string | null;
  error: string | null;
  at: number;
}

/** Retry delays (ms) of a decision that failed to send (RPC error, simulation revert), by consecutive failures. */
export const DECISION_BACKOFF_MS: readonly number[] = [500, 1_000, 2_000, 5_000, 15_000];
const KEEP_RECORDS = 500;

/**
 * The aggregator's key of two-key withdrawals (the leader only): every request the hub holds for a decision
 * (WithdrawalPending, from the ledger) is evaluated with the live book — the account's holdings minus this and
 * every other outstanding withdrawal — and approved or rejected on the hub (`decideWithdrawal`). A request past
 * its deadline is expired instead. Never approves by default: an error leaves the request to time out.
 */
@Injectable()
export class WithdrawalDeciderService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(WithdrawalDeciderService.name);
  private readonly decisions: Counter<'outcome'>;
  private readonly records = new Map<string, DecisionRecord>();
  private readonly failures = new Map<string, { count: number; retryAt: number }>();
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: ChainRegistry,
    private readonly risk: RiskReader,
    private readonly book: RiskBookSync,
    private readonly ledger: WithdrawalLedgerReader,
    private readonly chain: TradingChain,
    private readonly leader: LeaderElection,
    private readonly scheduler: SchedulerRegistry,
    private readonly clock: Clock,
    @Inject(METRICS_REGISTRY) metrics: Registry,
  ) {
    this.decisions = new Counter({
      name: 'tributary_aggregator_withdrawal_decisions_total',
      help: 'Withdrawal decisions sent to the hub, by outcome (approved, rejected, expired, failed)',
      labelNames: ['outcome'],
      registers: [metrics],
    });
  }

  get enabled(): boolean {
    return this.chain.enabled && this.chain.hub !== null && this.book.book !== null;
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) {
      this.logger.warn(`withdrawal decider disabled: ${this.chain.disabledReason ?? 'no MarginHub or risk book'}`);
      return;
    }
    if (this.config.WITHDRAWAL_DECIDER_INTERVAL_MS > 0)
      this.scheduler.addInterval(
        'withdrawal-decider',
        setInterval(() => void this.tick(), this.config.WITHDRAWAL_DECIDER_INTERVAL_MS),
      );
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  /** One pass over the pending requests (a pass already running is joined, not doubled). */
  tick(): Promise<void> {
    if (!this.running)
      this.running = this.pass().finally(() => {
        this.running = null;
      });
    return this.running;
  }

  recent(): DecisionRecord[] {
    return [...this.records.values()].sort((a, b) => b.at - a.at);
  }

  private async pass(): Promise<void> {
    if (!this.enabled || this.stopped || !this.leader.isLeader) return;
    const pending = await this.ledger.pending();
    // An approval cannot be taken back: it waits until the account's trading-chain events are final (the ledger
    // follows the chain's latest block, docs/architecture.md "Reorgs"); the next pass takes it up.
    const trading = this.registry.tradingChain;
    const unsettled = trading ? await this.ledger.unsettledAccounts(trading.eid, trading.finality) : new Set<string>();
    const due = pending.filter((w) => (this.failures.get(keyOf(w))?.retryAt ?? 0) <= this.clock.now() && !unsettled.has(w.account.toLowerCase()));
    if (!due.length) return;
    await this.risk.refresh(); // the book reflects every ledger row the pending list was read after
    for (const request of due) {
      if (this.stopped || !this.leader.isLeader) return;
      await this.decide(request);
    }
  }

  private async decide(request: WithdrawalRow): Promise<void> {
    const key = keyOf(request);
    try {
      const onChain = await this.chain.pendingWithdrawal(request.eid, request.requestId);
      if (!onChain.account || onChain.approved) return this.record(request, 'already-decided', null, null, null);
      const expired = (await this.chain.chainNow()) > onChain.deadline;
      const verdict = expired ? null : await this.evaluate(request);
      const tx = await this.chain.withdrawalDecisionRequest(request.eid, request.requestId, verdict ? verdict.approve : null, verdict?.reason);
      const sent = await this.chain.pusher!.sendAndWait(tx, this.chain.journal);
      if (sent.reverted) throw new Error(`decision for ${key} reverted in tx ${sent.hash}`);
      const outcome = !verdict ? 'expired' : verdict.approve ? 'approved' : 'rejected';
      this.failures.delete(key);
      this.record(request, outcome, verdict, sent.hash, null);
      this.logger.log(
        `withdrawal ${key} of ${request.account}: ${outcome}${verdict && !verdict.approve ? ` (reason ${verdict.reason})` : ''}, tx ${sent.hash}`,
      );
    } catch (error) {
      const count = (this.failures.get(key)?.count ?? 0) + 1;
      this.failures.set(key, { count, retryAt: this.clock.now() + backoffMs(count, DECISION_BACKOFF_MS) });
      this.record(request, 'failed', null, null, messageOf(error));
      this.logger.error(`deciding withdrawal ${key} failed (${count} in a row): ${messageOf(error)}`);
    }
  }

  /** The post-withdrawal risk: this request and every other outstanding one leave the account's balances. */
  async evaluate(request: WithdrawalRow): Promise<WithdrawalVerdict> {
    const inputs = this.book.inputsOf(request.account);
    if (!inputs) throw new Error(`account ${request.account} is not in the risk book yet`);
    const outstanding = await this.ledger.outstanding(request.account);
    const leaving = [request, ...outstanding.filter((w) => keyOf(w) !== keyOf(request))];
    return verdictOf(
      this.book.book!.preview(
        holdingsAfter(
          holdingsOf(inputs),
          leaving.map((w) => this.outflow(w)),
        ),
      ),
    );
  }

  private outflow(w: WithdrawalRow): Outflow {
    const decimals = this.registry.chain(w.eid)?.assets.find((a) => a.assetId === w.assetId)?.decimals;
    if (decimals === undefined) throw new Error(`asset ${w.assetId} on eid ${w.eid} is not in the manifest`);
    return { eid: w.eid, assetId: bookId(w.assetId), amount: Number(formatUnits(w.amount, decimals)) };
  }

  private record(
    request: WithdrawalRow,
    outcome: DecisionRecord['outcome'],
    verdict: WithdrawalVerdict | null,
    txHash: string | null,
    error: string | null,
  ): void {
    if (outcome !== 'already-decided') this.decisions.inc({ outcome });
    const key = keyOf(request);
    this.records.delete(key);
    this.records.set(key, {
      eid: request.eid,
      requestId: request.requestId.toString(),
      account: request.account,
      outcome,
      verdict,
      txHash,
      error,
      at: this.clock.now(),
    });
    if (this.records.size > KEEP_RECORDS) this.records.delete(this.records.keys().next().value!);
  }
}

const keyOf = (w: Pick<WithdrawalRow, 'eid' | 'requestId'>): string => `${w.eid}/${w.requestId}`;
