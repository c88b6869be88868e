import { Gauge, type Registry } from 'prom-client';
import type { StressView } from './oracle.service';

/** Dampener and auction-breaker gauges, computed at scrape time from the oracle's stress state. */
export function registerStressMetrics(registry: Registry, views: () => Iterable<StressView>): void {
  new Gauge({
    name: 'tributary_aggregator_stable_price',
    help: 'Stable (dampened) price per asset (USD): what the init side of the risk model uses against the oracle price',
    labelNames: ['asset'],
    registers: [registry],
    collect() {
      for (const v of views()) if (v.stablePrice !== null) this.set({ asset: v.symbol }, v.stablePrice);
    },
  });
  new Gauge({
    name: 'tributary_aggregator_stable_price_gap_ratio',
    help: 'Stable price / oracle price − 1 per asset (negative after a rise the stable price has not caught up with)',
    labelNames: ['asset'],
    registers: [registry],
    collect() {
      for (const v of views()) if (v.stablePrice !== null && v.price) this.set({ asset: v.symbol }, v.stablePrice / v.price - 1);
    },
  });
  new Gauge({
    name: 'tributary_aggregator_auction_breaker_paused',
    help: '1 while the auction breaker of an asset is tripped (price fell more than β within the window), else 0',
    labelNames: ['asset'],
    registers: [registry],
    collect() {
      for (const v of views()) this.set({ asset: v.symbol }, v.breaker.paused ? 1 : 0);
    },
  });
  new Gauge({
    name: 'tributary_aggregator_auction_breaker_drop_ratio',
    help: 'Largest fall of the asset price within one breaker window over the kept history (fraction)',
    labelNames: ['asset'],
    registers: [registry],
    collect() {
      for (const v of views()) this.set({ asset: v.symbol }, v.breaker.largestDrop);
    },
  });
}
