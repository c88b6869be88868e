import type { MetricDefinition } from './metric-catalog';

/**
 * Metrics the alert rules and the dashboard already use but no service registers yet. Each names the change
 * it lands with; once a service registers one, the catalog test fails until it is removed from here.
 */
export const PENDING_METRICS: (MetricDefinition & { landsWith: string })[] = [
  {
    name: 'tributary_auction_lots_open',
    type: 'gauge',
    labelNames: ['chain'],
    source: 'pending',
    landsWith: 'the liquidation issue ("Liquidation end to end": Dutch auctions on the collateral chains)',
  },
  {
    name: 'tributary_auction_oldest_lot_age_seconds',
    type: 'gauge',
    labelNames: ['chain'],
    source: 'pending',
    landsWith: 'the liquidation issue ("Liquidation end to end")',
  },
  {
    name: 'tributary_auction_breaker_paused',
    type: 'gauge',
    labelNames: ['chain', 'asset'],
    source: 'pending',
    landsWith: 'the liquidation issue ("Liquidation end to end": the auction breaker is an event, on the API and in metrics)',
  },
];
