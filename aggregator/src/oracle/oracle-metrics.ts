import { Gauge, type Registry } from 'prom-client';
import type { PriceStatus } from './price-guard';

export interface OracleMetricSource {
  symbol: string;
  price: number | null;
  /** Feed timestamp of the accepted price (unix s). */
  updatedAt: number | null;
  status: PriceStatus;
}

const STATUSES: PriceStatus[] = ['ok', 'stale', 'deviating', 'unavailable'];

/** Oracle gauges, computed at scrape time from the guards. */
export function registerOracleMetrics(registry: Registry, sources: () => Iterable<OracleMetricSource>, nowSeconds: () => number): void {
  new Gauge({
    name: 'tributary_aggregator_oracle_price',
    help: 'Last accepted price per asset (USD)',
    labelNames: ['asset'],
    registers: [registry],
    collect() {
      for (const s of sources()) if (s.price !== null) this.set({ asset: s.symbol }, s.price);
    },
  });
  new Gauge({
    name: 'tributary_aggregator_oracle_price_age_seconds',
    help: 'Seconds since the feed timestamp of the accepted price',
    labelNames: ['asset'],
    registers: [registry],
    collect() {
      const now = nowSeconds();
      for (const s of sources()) if (s.updatedAt !== null) this.set({ asset: s.symbol }, now - s.updatedAt);
    },
  });
  new Gauge({
    name: 'tributary_aggregator_oracle_guard_state',
    help: '1 for the current guard state of each asset (ok, stale, deviating, unavailable)',
    labelNames: ['asset', 'state'],
    registers: [registry],
    collect() {
      for (const s of sources()) for (const state of STATUSES) this.set({ asset: s.symbol, state }, s.status === state ? 1 : 0);
    },
  });
}
