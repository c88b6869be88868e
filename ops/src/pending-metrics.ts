import type { MetricDefinition } from './metric-catalog';

/**
 * Metrics the alert rules and the dashboard already use but no service registers yet. Each names the change
 * it lands with; once a service registers one, the catalog test fails until it is removed from here.
 */
export const PENDING_METRICS: (MetricDefinition & { landsWith: string })[] = [
  {
    name: 'tributary_auction_breaker_paused',
    type: 'gauge',
    labelNames: ['chain', 'asset'],
    source: 'pending',
    landsWith: 'the liquidation issue ("Liquidation end to end": the auction breaker is an event, on the API and in metrics)',
  },
];
