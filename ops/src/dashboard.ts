import { z } from 'zod';
import type { MetricCatalog } from './metric-catalog';
import { checkExpr } from './promql';

const GRID_WIDTH = 24;

const gridPos = z.object({ x: z.number().int().min(0), y: z.number().int().min(0), w: z.number().int().min(1), h: z.number().int().min(1) });
const target = z.looseObject({ refId: z.string().min(1), expr: z.string().min(1), legendFormat: z.string().optional() });
const datasourceRef = z.looseObject({ type: z.string(), uid: z.string() });

interface PanelShape {
  id: number;
  type: string;
  title: string;
  gridPos: z.output<typeof gridPos>;
  datasource?: z.output<typeof datasourceRef>;
  targets?: z.output<typeof target>[];
  collapsed?: boolean;
  panels?: PanelShape[];
}

const panel: z.ZodType<PanelShape> = z.lazy(() =>
  z.looseObject({
    id: z.number().int().positive(),
    type: z.string().min(1),
    title: z.string().min(1),
    gridPos,
    datasource: datasourceRef.optional(),
    targets: z.array(target).optional(),
    collapsed: z.boolean().optional(),
    panels: z.array(panel).optional(),
  }),
);

const variable = z.looseObject({
  name: z.string().regex(/^\w+$/),
  type: z.string(),
  query: z.unknown().optional(),
  datasource: z.unknown().optional(),
});

export const dashboardSchema = z.looseObject({
  title: z.string().min(1),
  uid: z.string().regex(/^[a-zA-Z0-9_-]{1,40}$/),
  schemaVersion: z.number().int().positive(),
  time: z.object({ from: z.string(), to: z.string() }),
  templating: z.object({ list: z.array(variable) }),
  panels: z.array(panel).min(1),
});

/** Grafana's built-in interval variables, with a duration to stand in for them when parsing. */
const BUILTIN_DURATIONS: Record<string, string> = { __rate_interval: '5m', __interval: '1m', __range: '1h' };
const VARIABLE_REF = /\$\{(\w+)(?::[^}]*)?\}|\$(\w+)|\[\[(\w+)\]\]/g;

/** Replaces variable references with parseable stand-ins; unknown variables are reported. */
function substitute(expr: string, variables: ReadonlySet<string>, problems: string[], where: string): string {
  return expr.replace(VARIABLE_REF, (_all, a: string | undefined, b: string | undefined, c: string | undefined) => {
    const name = (a ?? b ?? c)!;
    if (BUILTIN_DURATIONS[name]) return BUILTIN_DURATIONS[name];
    if (!variables.has(name)) problems.push(`${where}: unknown variable $${name}`);
    return 'placeholder';
  });
}

function overlaps(a: PanelShape['gridPos'], b: PanelShape['gridPos']): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/** Every panel, rows' nested panels included. */
function flatten(panels: readonly PanelShape[]): PanelShape[] {
  return panels.flatMap((p) => [p, ...flatten(p.panels ?? [])]);
}

/**
 * Checks a Grafana dashboard JSON: the model's shape, unique panel ids, a 24-column grid without overlaps,
 * defined template variables, and every target's PromQL against the services' metrics.
 */
export function checkDashboard(text: string, catalog: MetricCatalog): { problems: string[]; queries: number; panels: number } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { problems: [`not JSON: ${(error as Error).message}`], queries: 0, panels: 0 };
  }
  const parsed = dashboardSchema.safeParse(json);
  if (!parsed.success) return { problems: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`), queries: 0, panels: 0 };
  const dashboard = parsed.data;
  const problems: string[] = [];
  const variables = new Set(dashboard.templating.list.map((v) => v.name));
  for (const v of dashboard.templating.list) {
    if (v.type !== 'query') continue;
    const query = typeof v.query === 'string' ? v.query : (v.query as { query?: string } | undefined)?.query;
    const match = query && /^label_values\(\s*(.+?)\s*,\s*(\w+)\s*\)$/.exec(query);
    if (!match) {
      problems.push(`variable ${v.name}: query must be label_values(<selector>, <label>)`);
      continue;
    }
    const { problems: exprProblems, metrics } = checkExpr(substitute(match[1], variables, problems, `variable ${v.name}`), catalog);
    for (const p of exprProblems) problems.push(`variable ${v.name}: ${p}`);
    for (const metric of metrics)
      if (catalog.get(metric) && !catalog.get(metric)!.labels.has(match[2])) problems.push(`variable ${v.name}: ${metric} has no label ${match[2]}`);
  }

  const all = flatten(dashboard.panels);
  const ids = new Set<number>();
  let queries = 0;
  for (const p of all) {
    const where = `panel ${p.id} "${p.title}"`;
    if (ids.has(p.id)) problems.push(`${where}: duplicate id`);
    ids.add(p.id);
    if (p.gridPos.x + p.gridPos.w > GRID_WIDTH) problems.push(`${where}: wider than the ${GRID_WIDTH}-column grid`);
    if (p.type === 'row') continue;
    if (p.datasource) substitute(p.datasource.uid, variables, problems, where);
    if (!p.targets?.length) problems.push(`${where}: no queries`);
    const refIds = new Set<string>();
    for (const t of p.targets ?? []) {
      if (refIds.has(t.refId)) problems.push(`${where}: duplicate refId ${t.refId}`);
      refIds.add(t.refId);
      queries += 1;
      for (const problem of checkExpr(substitute(t.expr, variables, problems, where), catalog).problems)
        problems.push(`${where} ${t.refId}: ${problem}`);
    }
  }
  const top = dashboard.panels;
  for (let i = 0; i < top.length; i++)
    for (let j = i + 1; j < top.length; j++)
      if (overlaps(top[i].gridPos, top[j].gridPos)) problems.push(`panels ${top[i].id} and ${top[j].id} overlap`);
  return { problems, queries, panels: all.filter((p) => p.type !== 'row').length };
}
