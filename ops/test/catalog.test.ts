import { PENDING_METRICS } from '../src';
import { serviceCatalog } from './support/catalog';

describe('metric catalog (what the services register)', () => {
  const { scan, registered, catalog } = serviceCatalog();

  it('reads every metric definition of the services', () => {
    expect(scan.problems).toEqual([]);
    expect(scan.defaultMetricPrefixes.sort()).toEqual(['tributary_aggregator', 'tributary_relayer', 'tributary_verifier']);
    const names = registered.map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
    // One of each way a name is written: template over a const, plain literal, defined in a collect()-gauge, new files.
    expect(catalog.get('tributary_relayer_delivery_latency_seconds_bucket')?.labels).toEqual(
      new Set(['src_chain', 'dst_chain', 'job', 'instance', 'le']),
    );
    expect(catalog.get('tributary_aggregator_indexer_lag_blocks')?.metric.labelNames).toEqual(['eid']);
    // The relayer's pipeline metrics, registered under the verifier's prefix when it runs as the second DVN.
    expect(catalog.get('tributary_verifier_scanned_block')?.metric.labelNames).toEqual(['chain', 'stage']);
    expect(catalog.get('tributary_verifier_forged_verifications_total')?.metric.labelNames).toEqual(['chain', 'dvn']);
    expect(catalog.get('tributary_aggregator_oracle_guard_state')?.metric.labelNames).toEqual(['asset', 'state']);
    expect(catalog.get('tributary_relayer_signer_balance_wei')?.metric.labelNames).toEqual(['chain']);
    expect(catalog.get('tributary_aggregator_chain_weight')?.metric.labelNames).toEqual(['chain', 'eid']);
    expect(catalog.get('tributary_relayer_packets_parked_total')?.cumulative).toBe(true);
    expect(catalog.get('tributary_relayer_process_cpu_seconds_total')?.metric.source).toMatch(/MetricsModule/);
  });

  it('lists as pending only metrics that no service registers yet', () => {
    for (const pending of PENDING_METRICS) {
      const now = registered.find((m) => m.name === pending.name);
      expect([pending.name, now?.source]).toEqual([pending.name, undefined]);
    }
  });
});
