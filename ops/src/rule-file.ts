import { parseDocument } from 'yaml';
import { z } from 'zod';
import type { MetricCatalog } from './metric-catalog';
import { checkExpr, parsePromQL } from './promql';

/** Prometheus durations (model.ParseDuration): units in descending order, each at most once, e.g. 1h30m, 90s, 0. */
const DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const UNIT_MS = [365 * 86_400_000, 7 * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1];

/** Milliseconds of a Prometheus duration; null if it does not parse. */
export function parseDuration(text: string): number | null {
  if (text === '0') return 0;
  const match = DURATION.exec(text);
  if (!text || !match) return null;
  return match.slice(1).reduce((ms, n, i) => ms + (n === undefined ? 0 : Number(n) * UNIT_MS[i]), 0);
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const duration = z.string().refine((d) => parseDuration(d) !== null, 'not a Prometheus duration (e.g. 5m, 1h30m)');
const labelMap = z.record(
  z
    .string()
    .regex(LABEL_NAME, 'invalid label name')
    .refine((k) => k !== '__name__', 'reserved label name'),
  z.string(),
);

/** A rule as Prometheus' rulefmt reads it: unknown fields are errors, as in `promtool check rules`. */
export const ruleSchema = z
  .strictObject({
    record: z.string().optional(),
    alert: z.string().optional(),
    expr: z.string().min(1, "field 'expr' must be set in rule"),
    for: duration.optional(),
    keep_firing_for: duration.optional(),
    labels: labelMap.optional(),
    annotations: z.record(z.string().regex(LABEL_NAME, 'invalid annotation name'), z.string()).optional(),
  })
  .superRefine((rule, ctx) => {
    if (rule.record !== undefined && rule.alert !== undefined)
      ctx.addIssue({ code: 'custom', message: "only one of 'record' and 'alert' must be set" });
    if (rule.record === undefined && rule.alert === undefined) ctx.addIssue({ code: 'custom', message: "one of 'record' or 'alert' must be set" });
    if (rule.alert !== undefined && !rule.alert) ctx.addIssue({ code: 'custom', message: 'alert name must not be empty' });
    if (rule.record !== undefined) {
      if (!METRIC_NAME.test(rule.record)) ctx.addIssue({ code: 'custom', message: `invalid recording rule name ${rule.record}` });
      for (const field of ['for', 'keep_firing_for', 'annotations'] as const)
        if (rule[field] !== undefined) ctx.addIssue({ code: 'custom', message: `invalid field '${field}' in recording rule` });
    }
  });

export const ruleGroupSchema = z.strictObject({
  name: z.string().min(1, 'group name must not be empty'),
  interval: duration.optional(),
  query_offset: duration.optional(),
  limit: z.number().int().min(0).optional(),
  labels: labelMap.optional(),
  rules: z.array(ruleSchema),
});

export const ruleFileSchema = z.strictObject({ groups: z.array(ruleGroupSchema) }).superRefine((file, ctx) => {
  const seen = new Set<string>();
  for (const group of file.groups) {
    if (seen.has(group.name)) ctx.addIssue({ code: 'custom', message: `group name "${group.name}" is repeated in the same file` });
    seen.add(group.name);
  }
});

export type RuleFile = z.output<typeof ruleFileSchema>;
export type Rule = z.output<typeof ruleSchema>;

/** Parses YAML (duplicate keys are errors) into the rulefmt shape; problems list every issue with its path. */
export function parseRuleFile(text: string): { file: RuleFile | null; problems: string[] } {
  const document = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  if (document.errors.length) return { file: null, problems: document.errors.map((e) => `YAML: ${e.message}`) };
  const parsed = ruleFileSchema.safeParse(document.toJS());
  if (!parsed.success) return { file: null, problems: parsed.error.issues.map((i) => `${i.path.join('.') || 'file'}: ${i.message}`) };
  return { file: parsed.data, problems: [] };
}

/** Go-template references in annotations: {{ $labels.x }}, {{ $value }}, {{ $externalLabels.x }}. */
function templateProblems(text: string, labels: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const opens = text.split('{{').length - 1;
  if (opens !== text.split('}}').length - 1) problems.push(`unbalanced {{ }} in ${JSON.stringify(text)}`);
  for (const action of text.matchAll(/\{\{-?\s*([^}]*?)\s*-?\}\}/g)) {
    for (const ref of action[1].matchAll(/\$labels\.([a-zA-Z_][a-zA-Z0-9_]*)/g)) {
      if (!labels.has(ref[1])) problems.push(`$labels.${ref[1]} is not a label of the alert's series (${[...labels].join(', ')})`);
    }
    for (const variable of action[1].matchAll(/\$([a-zA-Z_]\w*)/g)) {
      if (!['labels', 'value', 'externalLabels', 'externalURL'].includes(variable[1])) problems.push(`unknown template variable $${variable[1]}`);
    }
  }
  return problems;
}

/** House conventions on top of rulefmt: every alert pages someone who can act on it. */
export interface AlertConventions {
  severities: readonly string[];
  /** Anchors of docs/runbook.md (GitHub slugs of its headings). */
  runbookAnchors: ReadonlySet<string>;
}

/** Labels an alert's series may carry: its selectors' and grouping labels (a superset: catches typos, not every dropped label). */
function alertLabels(expr: string, catalog: MetricCatalog): Set<string> {
  const parsed = parsePromQL(expr);
  const labels = new Set<string>(parsed.groupingLabels);
  for (const s of parsed.selectors) for (const label of (s.metric && catalog.get(s.metric)?.labels) || []) labels.add(label);
  return labels;
}

/** Every problem of one rule file: rulefmt, PromQL against the catalog, alert conventions. Empty = good. */
export function checkRuleFile(
  text: string,
  catalog: MetricCatalog,
  conventions: AlertConventions,
): { problems: string[]; file: RuleFile | null; anchorsUsed: Set<string> } {
  const { file, problems } = parseRuleFile(text);
  const anchorsUsed = new Set<string>();
  if (!file) return { problems, file, anchorsUsed };
  file.groups.forEach((group) =>
    group.rules.forEach((rule, i) => {
      const where = `${group.name}/${rule.alert ?? rule.record ?? `rule ${i}`}`;
      for (const problem of checkExpr(rule.expr, catalog).problems) problems.push(`${where}: expr: ${problem}`);
      if (rule.alert === undefined) return;
      if (rule.for === undefined) problems.push(`${where}: no 'for' (an alert should survive one scrape before it fires)`);
      const severity = rule.labels?.severity;
      if (!severity || !conventions.severities.includes(severity))
        problems.push(`${where}: labels.severity must be one of ${conventions.severities.join(', ')}`);
      for (const key of ['summary', 'description', 'runbook_url']) if (!rule.annotations?.[key]) problems.push(`${where}: annotation ${key} missing`);
      const url = rule.annotations?.runbook_url;
      const anchor = url && /(?:^|\/)docs\/runbook\.md#([a-z0-9_-]+)$/.exec(url)?.[1];
      if (url && !anchor) problems.push(`${where}: runbook_url must point at docs/runbook.md#<anchor>`);
      if (anchor) {
        anchorsUsed.add(anchor);
        if (!conventions.runbookAnchors.has(anchor)) problems.push(`${where}: docs/runbook.md has no section #${anchor}`);
      }
      const labels = alertLabels(rule.expr, catalog);
      for (const value of Object.values(rule.annotations ?? {}))
        for (const problem of templateProblems(value, labels)) problems.push(`${where}: ${problem}`);
    }),
  );
  return { problems, file, anchorsUsed };
}
