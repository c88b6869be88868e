import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export type PushResult = 'pushed' | 'reverted' | 'stale_epoch' | 'failed';

/** Sources the scrape-time gauges read from (no per-tick work for per-account series). */
export interface CreditMetricSources {
  leader(): boolean;
  frozenAccounts(): number;
  deferredIncreases(): number;
  /** [account, seconds since its last push landed] for every account with credit the leader knows. */
  staleness(): Iterable<[string, number]>;
}

/** Metrics of the credit pusher (registered once per app). */
export class CreditMetrics {
  readonly pushes: Counter<'result'>;
  readonly batchAccounts: Histogram;
  readonly txEvents: Counter<'kind'>;
  readonly reaction: Histogram;

  constructor(registry: Registry, sources: CreditMetricSources) {
    this.pushes = new Counter({
      name: 'tributary_aggregator_credit_pushes_total',
      help: 'Credit push transactions by result',
      labelNames: ['result'],
      registers: [registry],
    });
    this.batchAccounts = new Histogram({
      name: 'tributary_aggregator_credit_batch_accounts',
      help: 'Accounts per landed credit push',
      buckets: [1, 5, 10, 25, 50, 100, 200, 500, 1000, 2000],
      registers: [registry],
    });
    this.reaction = new Histogram({
      name: 'tributary_aggregator_credit_reaction_seconds',
      help: 'From the indexer reading a trading-chain head whose events changed an account to the push carrying it being sent',
      buckets: [0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 2, 5, 10],
      registers: [registry],
    });
    this.txEvents = new Counter({
      name: 'tributary_aggregator_credit_tx_events_total',
      help: 'Pusher transactions sent, replaced (stuck) and re-broadcast (dropped)',
      labelNames: ['kind'],
      registers: [registry],
    });
    new Gauge({
      name: 'tributary_aggregator_credit_leader',
      help: '1 while this replica is the credit pusher',
      registers: [registry],
      collect() {
        this.set(sources.leader() ? 1 : 0);
      },
    });
    new Gauge({
      name: 'tributary_aggregator_credit_frozen_accounts',
      help: 'Accounts whose credit increases are frozen by a price guard',
      registers: [registry],
      collect() {
        this.set(sources.frozenAccounts());
      },
    });
    new Gauge({
      name: 'tributary_aggregator_credit_deferred_increases',
      help: 'Accounts with a credit increase held back (freeze or increase allowance) at the last plan',
      registers: [registry],
      collect() {
        this.set(sources.deferredIncreases());
      },
    });
    new Gauge({
      name: 'tributary_aggregator_credit_staleness_seconds',
      help: 'Seconds since the last credit push for the account landed (leader only; one series per account with credit)',
      labelNames: ['account'],
      registers: [registry],
      collect() {
        this.reset();
        for (const [account, seconds] of sources.staleness()) this.set({ account }, seconds);
      },
    });
  }
}
