import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary';

/** One prom-client metric a service registers. */
export interface MetricDefinition {
  name: string;
  type: MetricType;
  labelNames: string[];
  /** file:line of the definition, or where the metric comes from. */
  source: string;
}

/** What a scan of the services' source found. */
export interface SourceScan {
  metrics: MetricDefinition[];
  /** Prefixes passed to `MetricsModule.forRoot(prefix)` (each service's default process/Node.js metrics). */
  defaultMetricPrefixes: string[];
  /** Definitions whose name or labels are not literals the scan can read. */
  problems: string[];
}

const PROM_CLASSES: Record<string, MetricType> = { Counter: 'counter', Gauge: 'gauge', Histogram: 'histogram', Summary: 'summary' };

/** Every `.ts` file under `dir` (recursively), tests and declaration files excluded. */
export function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return entry === 'node_modules' ? [] : sourceFiles(path);
    return /\.ts$/.test(entry) && !/\.(d|spec|test)\.ts$/.test(entry) ? [path] : [];
  });
}

/** `const` initialisers the scan can evaluate: string literals and arrays of them, by name (ambiguous names dropped). */
function literalConstants(file: ts.SourceFile): Map<string, string | string[]> {
  const found = new Map<string, string | string[] | null>();
  const visit = (node: ts.Node): void => {
    if (
      ts.isVariableDeclaration(node) &&
      ts.isIdentifier(node.name) &&
      node.initializer &&
      ts.isVariableDeclarationList(node.parent) &&
      node.parent.flags & ts.NodeFlags.Const
    ) {
      const value = evaluate(node.initializer, new Map());
      const before = found.get(node.name.text);
      if (value !== undefined) found.set(node.name.text, before === undefined || JSON.stringify(before) === JSON.stringify(value) ? value : null);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return new Map([...found].filter((entry): entry is [string, string | string[]] => entry[1] !== null));
}

/** A string or string[] from literals, templates over known constants, `+`, `as const`; undefined otherwise. */
function evaluate(node: ts.Expression, constants: Map<string, string | string[]>): string | string[] | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isAsExpression(node) || ts.isParenthesizedExpression(node) || ts.isSatisfiesExpression(node)) return evaluate(node.expression, constants);
  if (ts.isIdentifier(node)) return constants.get(node.text);
  if (ts.isTemplateExpression(node)) {
    let text = node.head.text;
    for (const span of node.templateSpans) {
      const part = evaluate(span.expression, constants);
      if (typeof part !== 'string') return undefined;
      text += part + span.literal.text;
    }
    return text;
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const [left, right] = [evaluate(node.left, constants), evaluate(node.right, constants)];
    return typeof left === 'string' && typeof right === 'string' ? left + right : undefined;
  }
  if (ts.isArrayLiteralExpression(node)) {
    const items = node.elements.map((e) => evaluate(e, constants));
    return items.every((i): i is string => typeof i === 'string') ? items : undefined;
  }
  return undefined;
}

/**
 * `const`s chosen between two literals (`const PREFIX = role === 'verifier' ? 'a_' : 'b_'`), by name: a metric
 * named over one of them exists under each choice (the relayer's pipeline metrics, also run as the verifier).
 */
function alternativeConstants(file: ts.SourceFile, constants: Map<string, string | string[]>): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer && ts.isConditionalExpression(node.initializer)) {
      const [a, b] = [evaluate(node.initializer.whenTrue, constants), evaluate(node.initializer.whenFalse, constants)];
      if (typeof a === 'string' && typeof b === 'string') found.set(node.name.text, [a, b]);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** Every name a metric's `name` expression can take: a literal, or a template over constants and alternatives. */
function metricNames(node: ts.Expression, constants: Map<string, string | string[]>, alternatives: Map<string, string[]>): string[] | undefined {
  if (ts.isTemplateExpression(node)) {
    let names = [node.head.text];
    for (const span of node.templateSpans) {
      const choices = ts.isIdentifier(span.expression) ? alternatives.get(span.expression.text) : undefined;
      const part = choices ?? evaluate(span.expression, constants);
      if (part === undefined) return undefined;
      const options = typeof part === 'string' ? [part] : choices ? part : undefined;
      if (!options) return undefined;
      names = names.flatMap((name) => options.map((option) => name + option + span.literal.text));
    }
    return names;
  }
  const value = evaluate(node, constants);
  return typeof value === 'string' ? [value] : undefined;
}

/** Local names under which the file imports prom-client's metric classes. */
function promClassNames(file: ts.SourceFile): Map<string, MetricType> {
  const names = new Map<string, MetricType>();
  for (const statement of file.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier) || statement.moduleSpecifier.text !== 'prom-client')
      continue;
    const bindings = statement.importClause?.namedBindings;
    if (!bindings || !ts.isNamedImports(bindings)) continue;
    for (const element of bindings.elements) {
      const type = PROM_CLASSES[(element.propertyName ?? element.name).text];
      if (type && !element.isTypeOnly) names.set(element.name.text, type);
    }
  }
  return names;
}

function property(object: ts.ObjectLiteralExpression, key: string): ts.Expression | undefined {
  for (const p of object.properties) {
    if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === key) return p.initializer;
    if (ts.isShorthandPropertyAssignment(p) && p.name.text === key) return p.name;
  }
  return undefined;
}

/**
 * Reads every `new Counter|Gauge|Histogram|Summary({ name, labelNames })` (prom-client) and every
 * `MetricsModule.forRoot('prefix')` in the given source folders. Names and labels must be literals or
 * `const`s of literals in the same file; anything else is reported rather than guessed.
 */
export function scanMetricSources(root: string, folders: readonly string[]): SourceScan {
  const scan: SourceScan = { metrics: [], defaultMetricPrefixes: [], problems: [] };
  for (const folder of folders) {
    for (const path of sourceFiles(join(root, folder))) {
      const text = readFileSync(path, 'utf8');
      if (!text.includes('prom-client') && !text.includes('MetricsModule.forRoot')) continue;
      const file = ts.createSourceFile(path, text, ts.ScriptTarget.ES2022, true);
      const classes = promClassNames(file);
      const constants = literalConstants(file);
      const alternatives = alternativeConstants(file, constants);
      const where = (node: ts.Node) => `${relative(root, path)}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
      const visit = (node: ts.Node): void => {
        if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && classes.has(node.expression.text)) {
          const options = node.arguments?.[0];
          const name = options && ts.isObjectLiteralExpression(options) ? property(options, 'name') : undefined;
          const values = name && metricNames(name, constants, alternatives);
          const labelsNode = options && ts.isObjectLiteralExpression(options) ? property(options, 'labelNames') : undefined;
          const labels = labelsNode ? evaluate(labelsNode, constants) : [];
          if (!values) scan.problems.push(`${where(node)}: metric name is not a literal the scan can read`);
          else if (!Array.isArray(labels))
            scan.problems.push(`${where(node)}: labelNames of ${values.join(', ')} are not literals the scan can read`);
          else
            for (const value of values)
              scan.metrics.push({ name: value, type: classes.get(node.expression.text)!, labelNames: labels, source: where(node) });
        }
        if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'forRoot') {
          const target = node.expression.expression;
          if (ts.isIdentifier(target) && target.text === 'MetricsModule') {
            const prefix = node.arguments[0] && evaluate(node.arguments[0], constants);
            if (typeof prefix === 'string') scan.defaultMetricPrefixes.push(prefix);
            else scan.problems.push(`${where(node)}: MetricsModule.forRoot prefix is not a literal`);
          }
        }
        ts.forEachChild(node, visit);
      };
      visit(file);
    }
  }
  return scan;
}

/** One series name as Prometheus stores it, with the labels it carries. */
export interface SeriesInfo {
  metric: MetricDefinition;
  labels: ReadonlySet<string>;
  /** Counter-like: only meaningful through rate()/increase() and friends. */
  cumulative: boolean;
}

/** Labels Prometheus adds to every scraped series. */
export const TARGET_LABELS = ['job', 'instance'] as const;

/** Series names (histograms expand to _bucket/_sum/_count, summaries to _sum/_count) → what carries them. */
export class MetricCatalog {
  private readonly series = new Map<string, SeriesInfo>();

  constructor(metrics: readonly MetricDefinition[]) {
    for (const metric of metrics) {
      const base = [...metric.labelNames, ...TARGET_LABELS];
      const add = (name: string, extra: string[], cumulative: boolean) =>
        this.series.set(name, { metric, labels: new Set([...base, ...extra]), cumulative });
      if (metric.type === 'histogram') {
        add(`${metric.name}_bucket`, ['le'], true);
        add(`${metric.name}_sum`, [], true);
        add(`${metric.name}_count`, [], true);
      } else if (metric.type === 'summary') {
        add(metric.name, ['quantile'], false);
        add(`${metric.name}_sum`, [], true);
        add(`${metric.name}_count`, [], true);
      } else add(metric.name, [], metric.type === 'counter');
    }
  }

  get(series: string): SeriesInfo | undefined {
    return this.series.get(series);
  }

  has(series: string): boolean {
    return this.series.has(series);
  }

  get size(): number {
    return this.series.size;
  }
}

/** Series every Prometheus server has for each target. */
export const PROMETHEUS_SERIES: MetricDefinition[] = [{ name: 'up', type: 'gauge', labelNames: [], source: 'prometheus (per scrape target)' }];
