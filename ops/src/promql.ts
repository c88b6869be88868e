import { parser } from '@prometheus-io/lezer-promql';
import type { MetricCatalog } from './metric-catalog';

type SyntaxNode = ReturnType<typeof parser.parse>['topNode'];

/** A series selector in an expression: the metric name (null for `{__name__=…}` forms) and the labels it matches on. */
export interface Selector {
  metric: string | null;
  labels: string[];
  /** The innermost function the selector (or its range) is an argument of, if any. */
  func: string | null;
}

export interface ParsedExpr {
  selectors: Selector[];
  /** Labels named in by/without/on/ignoring/group_left/group_right clauses. */
  groupingLabels: string[];
  problems: string[];
}

/** Functions whose argument is a range vector (`x[5m]` or a subquery). */
const RANGE_FUNCTIONS = new Set([
  'rate',
  'irate',
  'increase',
  'delta',
  'idelta',
  'deriv',
  'predict_linear',
  'resets',
  'changes',
  'holt_winters',
  'double_exponential_smoothing',
]);
const isRangeFunction = (name: string) => RANGE_FUNCTIONS.has(name) || name.endsWith('_over_time');
/** Functions that only make sense over counters (and histogram buckets/sums/counts). */
const COUNTER_FUNCTIONS = new Set(['rate', 'irate', 'increase', 'resets']);
/** What a counter may appear under: a counter function, or a presence check. */
const COUNTER_SAFE = new Set([...COUNTER_FUNCTIONS, 'absent', 'absent_over_time', 'present_over_time', 'changes']);

function children(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) out.push(child);
  return out;
}

function unquote(literal: string): string {
  return literal.length >= 2 ? literal.slice(1, -1) : literal;
}

/** Name of the function whose call body directly holds `node`, or null. */
function enclosingFunction(node: SyntaxNode, text: string): string | null {
  const body = node.parent;
  if (body?.name !== 'FunctionCallBody') return null;
  const identifier = body.parent?.getChild('FunctionIdentifier');
  return identifier ? text.slice(identifier.from, identifier.to) : null;
}

/** Parses with Prometheus' own grammar (lezer-promql) and reads selectors and grouping labels; problems name the offset. */
export function parsePromQL(expr: string): ParsedExpr {
  const result: ParsedExpr = { selectors: [], groupingLabels: [], problems: [] };
  if (!expr.trim()) return { ...result, problems: ['empty expression'] };
  const tree = parser.parse(expr);
  const snippet = (from: number) => JSON.stringify(expr.slice(Math.max(0, from - 15), from + 15));
  const visit = (node: SyntaxNode): void => {
    if (node.type.isError) result.problems.push(`syntax error at offset ${node.from} near ${snippet(node.from)}`);
    if (node.name === 'VectorSelector') {
      const identifier = node.getChild('Identifier');
      let metric = identifier ? expr.slice(identifier.from, identifier.to) : null;
      const labels: string[] = [];
      for (const matcher of node.getChild('LabelMatchers') ? children(node.getChild('LabelMatchers')!) : []) {
        const nameNode = matcher.getChild('LabelName') ?? matcher.getChild('QuotedLabelName');
        if (!nameNode) continue;
        const name = nameNode.name === 'QuotedLabelName' ? unquote(expr.slice(nameNode.from, nameNode.to)) : expr.slice(nameNode.from, nameNode.to);
        const value = matcher.getChild('StringLiteral');
        if (name === '__name__' && value && matcher.getChild('MatchOp')?.getChild('EqlSingle')) metric = unquote(expr.slice(value.from, value.to));
        else labels.push(name);
      }
      const range = node.parent && (node.parent.name === 'MatrixSelector' || node.parent.name === 'SubqueryExpr') ? node.parent : null;
      result.selectors.push({ metric, labels, func: enclosingFunction(range ?? node, expr) });
    }
    if (node.name === 'MatrixSelector' || node.name === 'SubqueryExpr') {
      const func = enclosingFunction(node, expr);
      if (!func || !isRangeFunction(func))
        result.problems.push(
          `range vector ${JSON.stringify(expr.slice(node.from, node.to))} where ${func ? `${func}() expects` : 'PromQL expects'} an instant vector`,
        );
    }
    if (node.name === 'FunctionCall') {
      const identifier = node.getChild('FunctionIdentifier');
      const func = identifier ? expr.slice(identifier.from, identifier.to) : '';
      const args = node.getChild('FunctionCallBody') ? children(node.getChild('FunctionCallBody')!) : [];
      if (isRangeFunction(func) && !args.some((a) => a.name === 'MatrixSelector' || a.name === 'SubqueryExpr'))
        result.problems.push(`${func}() needs a range vector argument`);
    }
    if (node.name === 'GroupingLabels') {
      for (const label of children(node)) if (label.name === 'LabelName') result.groupingLabels.push(expr.slice(label.from, label.to));
    }
    for (const child of children(node)) visit(child);
  };
  visit(tree.topNode);
  return result;
}

/**
 * Checks an expression against what the services export: it parses, every selected series exists, every
 * label it matches on exists on that series, counters only go through rate()/increase() and only counters do.
 */
export function checkExpr(expr: string, catalog: MetricCatalog): { problems: string[]; metrics: string[] } {
  const parsed = parsePromQL(expr);
  const problems = [...parsed.problems];
  const metrics: string[] = [];
  for (const selector of parsed.selectors) {
    if (!selector.metric) {
      problems.push('selector without a metric name');
      continue;
    }
    metrics.push(selector.metric);
    const series = catalog.get(selector.metric);
    if (!series) {
      problems.push(`unknown metric ${selector.metric} (no service registers it)`);
      continue;
    }
    for (const label of selector.labels)
      if (!series.labels.has(label)) problems.push(`${selector.metric} has no label ${label} (it has ${[...series.labels].join(', ')})`);
    if (series.cumulative && !(selector.func && COUNTER_SAFE.has(selector.func)))
      problems.push(`${selector.metric} is cumulative: use it through rate() or increase()`);
    if (!series.cumulative && selector.func && COUNTER_FUNCTIONS.has(selector.func))
      problems.push(`${selector.func}() over ${selector.metric}, which is not a counter (use deriv() or delta())`);
  }
  return { problems, metrics };
}
