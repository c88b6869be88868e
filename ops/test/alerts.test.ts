import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseDocument } from 'yaml';
import { checkRuleFile, markdownAnchors, PENDING_METRICS } from '../src';
import { ROOT, serviceCatalog } from './support/catalog';

const RULES = join(ROOT, 'ops/prometheus/alerts.yml');
const RUNBOOK = join(ROOT, 'docs/runbook.md');
const SEVERITIES = ['critical', 'warning', 'info'];

/** The shipped rules checked the way promtool would, against the metrics the services really register. */
describe('ops/prometheus/alerts.yml', () => {
  const { catalog } = serviceCatalog();
  const runbook = readFileSync(RUNBOOK, 'utf8');
  const anchors = markdownAnchors(runbook);
  const result = checkRuleFile(readFileSync(RULES, 'utf8'), catalog, { severities: SEVERITIES, runbookAnchors: anchors });
  const alerts = result.file!.groups.flatMap((g) => g.rules.filter((r) => r.alert !== undefined));

  it('passes every check: rulefmt, PromQL, known metrics and labels, severity, summary, runbook link', () => {
    expect(result.problems).toEqual([]);
    expect(alerts.length).toBeGreaterThanOrEqual(20);
  });

  it('covers what an operator of this system must hear about', () => {
    const exprs = alerts.map((a) => `${a.alert}: ${a.expr}`).join('\n');
    for (const metric of [
      'tributary_relayer_packets{status="parked"}',
      'tributary_relayer_signer_balance_wei',
      'tributary_aggregator_native_balance_wei{role="hub"}',
      'tributary_aggregator_native_balance_wei{role="vault"}',
      'tributary_aggregator_chain_weight',
      'tributary_aggregator_oracle_guard_state{state=~"stale|unavailable"}',
      'tributary_aggregator_oracle_guard_state{state="deviating"}',
      'tributary_aggregator_credit_staleness_seconds',
      'tributary_aggregator_liquidatable_accounts',
      'tributary_auction_lots_open',
      'tributary_aggregator_credit_leader',
    ]) {
      expect([metric, exprs.includes(metric)]).toEqual([metric, true]);
    }
  });

  it('documents every alert in docs/runbook.md, and every alert section there belongs to an alert', () => {
    for (const alert of alerts) expect([alert.alert, runbook.includes(alert.alert!)]).toEqual([alert.alert, true]);
    const fromAlerts = runbook.slice(runbook.indexOf('## Alerts'));
    const nextChapter = fromAlerts.indexOf('\n## ', 1);
    const alertSection = nextChapter === -1 ? fromAlerts : fromAlerts.slice(0, nextChapter);
    const sectionAnchors = [...markdownAnchors(alertSection)].filter((a) => a !== 'alerts');
    expect(sectionAnchors.filter((a) => !result.anchorsUsed.has(a))).toEqual([]);
  });

  it('names in the runbook only metrics that exist (or are pending)', () => {
    const named = new Set([...runbook.matchAll(/\btributary_[a-z0-9_]+/g)].map((m) => m[0]).filter((n) => !n.endsWith('_')));
    expect([...named].filter((n) => !catalog.has(n))).toEqual([]);
  });

  it('uses the pending auction metrics only in rules that say so', () => {
    const text = readFileSync(RULES, 'utf8');
    for (const pending of PENDING_METRICS) expect(text).toMatch(new RegExp(`with the liquidation issue[\\s\\S]*${pending.name}`));
  });

  it('is loaded by the example Prometheus config, which scrapes every service under the jobs the rules expect', () => {
    const configPath = join(ROOT, 'ops/prometheus/prometheus.yml');
    const config = parseDocument(readFileSync(configPath, 'utf8'), { uniqueKeys: true });
    expect(config.errors).toEqual([]);
    const { rule_files: ruleFiles, scrape_configs: scrapes } = config.toJS() as {
      rule_files: string[];
      scrape_configs: { job_name: string; metrics_path: string }[];
    };
    for (const file of ruleFiles) expect(existsSync(join(dirname(configPath), file))).toBe(true);
    expect(ruleFiles).toContain('alerts.yml');
    expect(scrapes.map((s) => s.job_name).sort()).toEqual(['tributary-aggregator', 'tributary-relayer', 'tributary-verifier']);
    expect(new Set(scrapes.map((s) => s.metrics_path))).toEqual(new Set(['/metrics']));
  });
});
