import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MetricCatalog, scanMetricSources } from '../src';

describe('metric source scan', () => {
  const root = mkdtempSync(join(tmpdir(), 'ops-scan-'));
  mkdirSync(join(root, 'svc/src/deep'), { recursive: true });
  writeFileSync(
    join(root, 'svc/src/metrics.ts'),
    `import { Counter as PromCounter, Gauge, Histogram, type Registry } from 'prom-client';
const PREFIX = 'svc_';
export function register(registry: Registry, dynamic: string) {
  const labelNames = ['chain', 'eid'] as const;
  new PromCounter({ name: \`\${PREFIX}errors_total\`, help: 'h', labelNames: ['chain'], registers: [registry] });
  new Gauge({ name: 'svc_weight', help: 'h', labelNames, registers: [registry], collect() {} });
  new Histogram({ name: PREFIX + 'latency_seconds', help: 'h', registers: [registry] });
  new Gauge({ name: dynamic, help: 'h' });
}
MetricsModule.forRoot('svc');
`,
  );
  // Not prom-client's Counter: ignored. A test file: ignored.
  writeFileSync(join(root, 'svc/src/deep/other.ts'), `class Counter { constructor(_: unknown) {} }\nnew Counter({ name: 'not_a_metric' });\n`);
  writeFileSync(join(root, 'svc/src/deep/x.test.ts'), `import { Gauge } from 'prom-client';\nnew Gauge({ name: 'test_only', help: 'h' });\n`);

  const scan = scanMetricSources(root, ['svc/src']);

  it('reads literal, template, concatenated and aliased definitions with their labels', () => {
    expect(scan.metrics.map(({ name, type, labelNames }) => ({ name, type, labelNames }))).toEqual([
      { name: 'svc_errors_total', type: 'counter', labelNames: ['chain'] },
      { name: 'svc_weight', type: 'gauge', labelNames: ['chain', 'eid'] },
      { name: 'svc_latency_seconds', type: 'histogram', labelNames: [] },
    ]);
    expect(scan.metrics[0].source).toBe('svc/src/metrics.ts:5');
    expect(scan.defaultMetricPrefixes).toEqual(['svc']);
  });

  it('reports a name it cannot read instead of guessing', () => {
    expect(scan.problems).toEqual(['svc/src/metrics.ts:8: metric name is not a literal the scan can read']);
  });

  it('expands histograms into the series Prometheus stores', () => {
    const catalog = new MetricCatalog(scan.metrics);
    expect(catalog.has('svc_latency_seconds')).toBe(false);
    expect(catalog.get('svc_latency_seconds_bucket')?.labels).toEqual(new Set(['job', 'instance', 'le']));
    expect(catalog.get('svc_latency_seconds_count')?.cumulative).toBe(true);
    expect(catalog.get('svc_weight')?.cumulative).toBe(false);
  });
});
