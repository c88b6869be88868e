import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkDashboard } from '../src';
import { ROOT, serviceCatalog } from './support/catalog';

const DASHBOARD = join(ROOT, 'ops/grafana/tributary.json');

describe('ops/grafana/tributary.json', () => {
  const { catalog } = serviceCatalog();
  const text = readFileSync(DASHBOARD, 'utf8');
  const result = checkDashboard(text, catalog);

  it('is a valid dashboard whose every query parses and uses metrics and labels the services export', () => {
    expect(result.problems).toEqual([]);
    expect(result.panels).toBeGreaterThanOrEqual(30);
    expect(result.queries).toBeGreaterThanOrEqual(result.panels);
  });

  it('shows the relayer by chain and stage and every part of the aggregator', () => {
    const exprs = (JSON.parse(text) as { panels: { targets?: { expr: string }[] }[] }).panels
      .flatMap((p) => (p.targets ?? []).map((t) => t.expr))
      .join('\n');
    for (const fragment of [
      'sum by (chain, stage) (tributary_relayer_queue_length',
      'tributary_relayer_delivery_latency_seconds_bucket',
      'tributary_relayer_signer_balance_wei',
      'tributary_aggregator_events_applied_total',
      'tributary_aggregator_chain_weight',
      'tributary_aggregator_oracle_guard_state',
      'tributary_aggregator_credit_pushes_total',
      'tributary_aggregator_liquidations_total',
      'tributary_aggregator_native_balance_wei',
    ])
      expect([fragment, exprs.includes(fragment)]).toEqual([fragment, true]);
  });
});

describe('dashboard checks', () => {
  const { catalog } = serviceCatalog();
  const base = {
    title: 't',
    uid: 'u',
    schemaVersion: 39,
    time: { from: 'now-1h', to: 'now' },
    templating: { list: [{ name: 'chain', type: 'query', query: 'label_values(tributary_relayer_queue_length, chain)' }] },
  };
  const panel = (id: number, x: number, y: number, expr: string) => ({
    id,
    type: 'timeseries',
    title: `p${id}`,
    gridPos: { x, y, w: 12, h: 8 },
    targets: [{ refId: 'A', expr }],
  });
  const check = (panels: unknown[], extra: object = {}) => checkDashboard(JSON.stringify({ ...base, ...extra, panels }), catalog).problems.join('\n');

  it('accepts variables and Grafana interval macros', () => {
    expect(check([panel(1, 0, 0, 'rate(tributary_relayer_rpc_errors_total{chain=~"$chain"}[$__rate_interval])')])).toBe('');
  });

  it.each([
    ['broken PromQL', [panel(1, 0, 0, 'sum(tributary_relayer_queue_length')], /syntax error/],
    ['an unknown metric', [panel(1, 0, 0, 'tributary_relayer_queue_lenght')], /unknown metric/],
    ['an undefined variable', [panel(1, 0, 0, 'tributary_relayer_queue_length{chain=~"$chian"}')], /unknown variable \$chian/],
    [
      'overlapping panels',
      [panel(1, 0, 0, 'tributary_relayer_queue_length'), panel(2, 6, 4, 'tributary_relayer_queue_length')],
      /panels 1 and 2 overlap/,
    ],
    ['a panel off the grid', [{ ...panel(1, 18, 0, 'tributary_relayer_queue_length') }], /wider than the 24-column grid/],
    ['duplicate panel ids', [panel(1, 0, 0, 'tributary_relayer_queue_length'), panel(1, 12, 0, 'tributary_relayer_queue_length')], /duplicate id/],
    ['a panel without queries', [{ ...panel(1, 0, 0, 'x'), targets: [] }], /no queries/],
  ])('reports %s', (_what, panels, problem) => {
    expect(check(panels)).toMatch(problem);
  });

  it('reports a variable over a label its metric lacks, and a dashboard that is not JSON', () => {
    const templating = { list: [{ name: 'chain', type: 'query', query: 'label_values(tributary_relayer_queue_length, asset)' }] };
    expect(check([panel(1, 0, 0, 'tributary_relayer_queue_length')], { templating })).toMatch(
      /variable chain: tributary_relayer_queue_length has no label asset/,
    );
    expect(checkDashboard('{', catalog).problems.join('')).toMatch(/not JSON/);
  });
});
