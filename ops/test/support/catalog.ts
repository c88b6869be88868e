import { join } from 'node:path';
import type { Registry } from 'prom-client';
import { METRICS_REGISTRY, MetricsModule } from '@tributary/service-kit';
import {
  MetricCatalog,
  PENDING_METRICS,
  PROMETHEUS_SERIES,
  scanMetricSources,
  type MetricDefinition,
  type MetricType,
  type SourceScan,
} from '../../src';

export const ROOT = join(__dirname, '..', '..', '..');
/** Where the services define their metrics (the Nx test target lists the same folders as inputs). */
export const SERVICE_SOURCES = ['relayer/src', 'aggregator/src', 'service-kit/src'];

/** The process/Node.js metrics service-kit's MetricsModule registers for a service prefix, read from its registry. */
export function defaultMetrics(prefix: string): MetricDefinition[] {
  const module = MetricsModule.forRoot(prefix);
  const provider = (module.providers ?? []).find((p) => typeof p === 'object' && 'provide' in p && p.provide === METRICS_REGISTRY) as {
    useValue: Registry;
  };
  return provider.useValue.getMetricsAsArray().map((m) => ({
    name: m.name,
    type: (m as unknown as { type: MetricType }).type,
    labelNames: [...((m as unknown as { labelNames?: string[] }).labelNames ?? [])],
    source: `MetricsModule.forRoot('${prefix}')`,
  }));
}

let cached: { scan: SourceScan; registered: MetricDefinition[]; catalog: MetricCatalog } | null = null;

/** Everything the services register (scanned once per test file), plus Prometheus' own series and the pending ones. */
export function serviceCatalog() {
  if (!cached) {
    const scan = scanMetricSources(ROOT, SERVICE_SOURCES);
    const registered = [...scan.metrics, ...scan.defaultMetricPrefixes.flatMap(defaultMetrics)];
    cached = { scan, registered, catalog: new MetricCatalog([...registered, ...PROMETHEUS_SERIES, ...PENDING_METRICS]) };
  }
  return cached;
}
