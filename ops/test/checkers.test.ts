import { MetricCatalog, checkExpr, checkRuleFile, headingSlug, markdownAnchors, parseDuration, parsePromQL } from '../src';

const catalog = new MetricCatalog([
  { name: 'app_packets', type: 'gauge', labelNames: ['chain', 'status'], source: 'test' },
  { name: 'app_errors_total', type: 'counter', labelNames: ['chain'], source: 'test' },
  { name: 'app_latency_seconds', type: 'histogram', labelNames: ['chain'], source: 'test' },
  { name: 'up', type: 'gauge', labelNames: [], source: 'test' },
]);

describe('PromQL checks (lezer-promql)', () => {
  it('accepts valid expressions and reads their selectors', () => {
    const parsed = parsePromQL('sum by (chain) (rate(app_errors_total{chain="a"}[5m])) > 1 and on (chain) app_packets{status=~"parked|x"}');
    expect(parsed.problems).toEqual([]);
    expect(parsed.selectors).toEqual([
      { metric: 'app_errors_total', labels: ['chain'], func: 'rate' },
      { metric: 'app_packets', labels: ['status'], func: null },
    ]);
    expect(parsed.groupingLabels).toEqual(['chain', 'chain']);
    expect(parsePromQL('{__name__="app_packets", chain="a"}').selectors).toEqual([{ metric: 'app_packets', labels: ['chain'], func: null }]);
    for (const ok of [
      'histogram_quantile(0.99, sum by (le) (rate(app_latency_seconds_bucket[10m])))',
      '(sum(up) or vector(0)) < 1',
      'predict_linear(app_packets[6h], 24 * 3600) < 0',
      'max_over_time(rate(app_errors_total[1m])[1h:])',
    ])
      expect([ok, checkExpr(ok, catalog).problems]).toEqual([ok, []]);
  });

  it.each([
    ['sum(app_packets', /syntax error/],
    ['rat(app_errors_total[5m])', /syntax error/],
    ['abs(app_packets[5m])', /range vector .* abs\(\) expects an instant vector/],
    ['app_packets[5m] > 1', /range vector .* PromQL expects an instant vector/],
    ['rate(app_errors_total)', /rate\(\) needs a range vector/],
    ['app_packetz > 0', /unknown metric app_packetz/],
    ['app_packets{chian="a"} > 0', /app_packets has no label chian/],
    ['app_errors_total > 0', /cumulative: use it through rate\(\)/],
    ['sum(app_latency_seconds_count)', /cumulative/],
    ['rate(app_packets[5m])', /rate\(\) over app_packets, which is not a counter/],
    ['', /empty expression/],
  ])('reports %j', (expr, problem) => {
    expect(checkExpr(expr, catalog).problems.join('\n')).toMatch(problem);
  });
});

describe('durations', () => {
  it('parses Prometheus durations and nothing else', () => {
    expect(parseDuration('0')).toBe(0);
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('1w2d')).toBe(9 * 86_400_000);
    expect(parseDuration('250ms')).toBe(250);
    for (const bad of ['', '5', '5 m', '30m1h', '1.5h', '-1m', '5M']) expect([bad, parseDuration(bad)]).toEqual([bad, null]);
  });
});

describe('runbook anchors', () => {
  it('slugs headings as GitHub does', () => {
    expect(headingSlug('RelayerPacketsParked')).toBe('relayerpacketsparked');
    expect(headingSlug('Where to look (endpoints)')).toBe('where-to-look-endpoints');
    expect([...markdownAnchors('# A\n```\n# not a heading\n```\n## A\n### B c #\n')]).toEqual(['a', 'a-1', 'b-c']);
  });
});

describe('rule files', () => {
  const conventions = { severities: ['critical', 'warning'], runbookAnchors: new Set(['parked']) };
  const alert = (fields: string) => `groups:\n  - name: g\n    rules:\n      - alert: Parked\n${fields}`;
  const good = [
    '        expr: sum by (chain) (app_packets{status="parked"}) > 0',
    '        for: 1m',
    '        labels: { severity: critical }',
    '        annotations:',
    '          summary: "{{ $value }} parked on {{ $labels.chain }}"',
    '          description: "d"',
    '          runbook_url: docs/runbook.md#parked',
  ];
  const check = (lines: string[]) => checkRuleFile(alert(lines.join('\n') + '\n'), catalog, conventions);

  it('accepts a complete alert and reports the anchor it uses', () => {
    const result = check(good);
    expect(result.problems).toEqual([]);
    expect(result.anchorsUsed).toEqual(new Set(['parked']));
    expect(
      checkRuleFile(
        'groups:\n  - name: r\n    rules:\n      - record: chain:app_packets:sum\n        expr: sum by (chain) (app_packets)\n',
        catalog,
        conventions,
      ).problems,
    ).toEqual([]);
  });

  it.each([
    ['an unknown field (rulefmt is strict)', [...good, '        severity: critical'], /Unrecognized key: "severity"/],
    ['a bad duration', good.map((l) => l.replace('for: 1m', 'for: 1 minute')), /for: not a Prometheus duration/],
    ['no for', good.filter((l) => !l.includes('for:')), /no 'for'/],
    ['a bad severity', good.map((l) => l.replace('critical', 'page')), /labels.severity must be one of/],
    ['no summary', good.filter((l) => !l.includes('summary')), /annotation summary missing/],
    [
      'a runbook link elsewhere',
      good.map((l) => l.replace('docs/runbook.md#parked', 'https://wiki/x')),
      /runbook_url must point at docs\/runbook.md/,
    ],
    ['a missing runbook section', good.map((l) => l.replace('#parked', '#nowhere')), /no section #nowhere/],
    ['a label the series lacks', good.map((l) => l.replace('$labels.chain', '$labels.instnce')), /\$labels.instnce is not a label/],
    ['an unbalanced template', good.map((l) => l.replace('{{ $value }}', '{{ $value }')), /unbalanced/],
    ['an unknown metric', good.map((l) => l.replace('app_packets', 'app_packet')), /unknown metric app_packet/],
    ['a duplicate key', [...good, '        for: 2m'], /YAML: .*[Dd]uplicate|Map keys must be unique/],
    [
      'an invalid label name',
      good.map((l) => l.replace('{ severity: critical }', '{ severity: critical, "team-a": x }')),
      /labels\.team-a: Invalid key/,
    ],
  ])('reports %s', (_what, lines, problem) => {
    expect(check(lines).problems.join('\n')).toMatch(problem);
  });

  it('reports rulefmt errors: both record and alert, recording rules with for, repeated groups, empty names', () => {
    const both = checkRuleFile(
      'groups:\n  - name: g\n    rules:\n      - alert: A\n        record: b\n        expr: up\n',
      catalog,
      conventions,
    ).problems;
    expect(both.join('\n')).toMatch(/only one of 'record' and 'alert'/);
    const recordFor = checkRuleFile(
      'groups:\n  - name: g\n    rules:\n      - record: a:b\n        for: 5m\n        expr: up\n',
      catalog,
      conventions,
    ).problems;
    expect(recordFor.join('\n')).toMatch(/invalid field 'for' in recording rule/);
    const repeated = checkRuleFile('groups:\n  - name: g\n    rules: []\n  - name: g\n    rules: []\n', catalog, conventions).problems;
    expect(repeated.join('\n')).toMatch(/group name "g" is repeated/);
    expect(checkRuleFile('groups:\n  - name: ""\n    rules: []\n', catalog, conventions).problems.join('\n')).toMatch(/group name must not be empty/);
    expect(checkRuleFile('groups: [', catalog, conventions).problems.join('\n')).toMatch(/YAML/);
  });
});
