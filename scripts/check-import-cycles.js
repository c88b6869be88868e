#!/usr/bin/env node
// Checks the shape of the workspace's source (run by `npm test` and `npm run lint`):
//  1. no folder-level import cycle inside a package's src/ (a file's folder is its first directory under src/;
//     files directly in src/ are the composition root ".");
//  2. no cycle between workspace packages (package.json dependencies and `@tributary/*` imports);
//  3. no source file over MAX_LINES lines in any */src.
// Every import counts: `import`, `import type`, `export … from`, `import()` and `require()`.
// Usage: check-import-cycles.js [--root <dir>] [--json]
'use strict';
const { existsSync, readFileSync, readdirSync, statSync } = require('node:fs');
const { dirname, join, relative, resolve, sep } = require('node:path');

const SELF = join(__dirname, 'check-import-cycles.js');
const MAX_LINES = 400;
const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs|sol)$/;
const RESOLVABLE = ['', '.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs', '/index.ts', '/index.js'];

/**
 * Folder imports that close a cycle today and are owned by work outside this check's branch. Cycles are looked for
 * without them; each must still exist and still close a cycle (a stale entry fails, so the list only shrinks).
 */
const KNOWN_EDGES = [
  { package: 'aggregator', from: 'database', to: 'ledger', reason: 'database/entities.ts lists every entity; ledger/ uses database/ helpers' },
  { package: 'aggregator', from: 'database', to: 'risk', reason: 'database/entities.ts lists every entity (risk snapshots)' },
  { package: 'aggregator', from: 'database', to: 'liquidation', reason: 'database/entities.ts lists every entity (keeper runs)' },
  { package: 'relayer', from: 'chain', to: 'tx', reason: 'chain/chain-registry.ts builds the TxSubmitter, which takes chain/ChainRpc' },
];

/** The code without comments (string literals kept, so a "//" or "/*" inside a string is not a comment). */
function stripComments(text) {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
      out += ' ';
    } else if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      while (j < text.length && text[j] !== c && !(c !== '`' && text[j] === '\n')) j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Specifiers a file imports (commented-out imports do not count). */
function importsOf(text) {
  const code = stripComments(text);
  const out = [];
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) for (const match of code.matchAll(pattern)) out.push(match[1]);
  return out;
}

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...walk(path));
    else if (SOURCE.test(name)) out.push(path);
  }
  return out;
}

function resolveRelative(from, specifier) {
  const base = resolve(dirname(from), specifier);
  for (const suffix of RESOLVABLE) {
    const candidate = base + suffix;
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

/** Strongly connected components with more than one node (Tarjan), each sorted; `graph`: Map<node, Set<node>>. */
function cycles(graph) {
  let index = 0;
  const indices = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const out = [];
  const visit = (node) => {
    indices.set(node, index);
    low.set(node, index);
    index++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!indices.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node), low.get(next)));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node), indices.get(next)));
      }
    }
    if (low.get(node) === indices.get(node)) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) out.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!indices.has(node)) visit(node);
  return out;
}

/** Whether `to` is reachable from `from`. */
function reaches(graph, from, to) {
  const seen = new Set([from]);
  const queue = [from];
  while (queue.length) {
    const node = queue.shift();
    if (node === to) return true;
    for (const next of graph.get(node) ?? []) {
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push(next);
    }
  }
  return false;
}

const folderOf = (srcDir, file) => {
  const parts = relative(srcDir, file).split(sep);
  return parts.length > 1 ? parts[0] : '.';
};

/** Folder graph of one package's src/: edges with the file imports that make them. */
function folderGraph(srcDir) {
  const graph = new Map();
  const evidence = new Map();
  for (const file of walk(srcDir)) {
    const from = folderOf(srcDir, file);
    if (!graph.has(from)) graph.set(from, new Set());
    for (const specifier of importsOf(readFileSync(file, 'utf8'))) {
      if (!specifier.startsWith('.')) continue;
      const target = resolveRelative(file, specifier);
      if (!target || relative(srcDir, target).startsWith('..')) continue;
      const to = folderOf(srcDir, target);
      if (to === from) continue;
      graph.get(from).add(to);
      const key = `${from} -> ${to}`;
      if (!evidence.has(key)) evidence.set(key, []);
      evidence.get(key).push(`${relative(srcDir, file)} imports ${relative(srcDir, target)}`);
    }
  }
  return { graph, evidence };
}

function workspacePackages(root) {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  return (manifest.workspaces ?? [])
    .map((dir) => ({ dir, path: join(root, dir) }))
    .filter(({ path }) => existsSync(join(path, 'package.json')))
    .map(({ dir, path }) => {
      const json = JSON.parse(readFileSync(join(path, 'package.json'), 'utf8'));
      return { dir, path, name: json.name, json };
    });
}

function packageGraph(packages) {
  const names = new Set(packages.map((p) => p.name));
  const graph = new Map(packages.map((p) => [p.name, new Set()]));
  for (const p of packages) {
    for (const field of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
      for (const dep of Object.keys(p.json[field] ?? {})) if (names.has(dep) && dep !== p.name) graph.get(p.name).add(dep);
    }
    const src = join(p.path, 'src');
    if (!existsSync(src)) continue;
    for (const file of walk(src)) {
      for (const specifier of importsOf(readFileSync(file, 'utf8'))) {
        const dep = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
        if (names.has(dep) && dep !== p.name) graph.get(p.name).add(dep);
      }
    }
  }
  return graph;
}

function check(root) {
  const problems = [];
  const report = { folders: {}, packages: {}, longFiles: [] };
  const packages = workspacePackages(root);
  for (const p of packages) {
    const src = join(p.path, 'src');
    if (!existsSync(src)) continue;
    for (const file of walk(src)) {
      const text = readFileSync(file, 'utf8');
      const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
      if (lines > MAX_LINES) {
        report.longFiles.push({ file: relative(root, file), lines });
        problems.push(`${relative(root, file)} has ${lines} lines (max ${MAX_LINES}): split it by concern`);
      }
    }
    const { graph, evidence } = folderGraph(src);
    report.folders[p.dir] = Object.fromEntries([...graph].sort().map(([from, to]) => [from, [...to].sort()]));
    const known = KNOWN_EDGES.filter((k) => k.package === p.dir);
    for (const k of known) {
      if (!graph.get(k.from)?.has(k.to))
        problems.push(`known edge ${k.package}/src ${k.from} -> ${k.to} is gone: delete it from KNOWN_EDGES in ${relative(root, SELF)}`);
      else if (!reaches(graph, k.to, k.from))
        problems.push(
          `known edge ${k.package}/src ${k.from} -> ${k.to} closes no cycle any more: delete it from KNOWN_EDGES in ${relative(root, SELF)}`,
        );
    }
    const checked = new Map(
      [...graph].map(([from, to]) => [from, new Set([...to].filter((t) => !known.some((k) => k.from === from && k.to === t)))]),
    );
    for (const component of cycles(checked)) {
      const edges = [...evidence].filter(([key]) => component.includes(key.split(' -> ')[0]) && component.includes(key.split(' -> ')[1]));
      problems.push(
        [
          `${p.dir}/src: folders ${component.join(', ')} import each other in a cycle:`,
          ...edges.map(([key, files]) => `  ${key}: ${files.slice(0, 3).join('; ')}${files.length > 3 ? ` (+${files.length - 3})` : ''}`),
        ].join('\n'),
      );
    }
  }
  const pkgGraph = packageGraph(packages);
  report.packages = Object.fromEntries([...pkgGraph].map(([from, to]) => [from, [...to].sort()]));
  for (const component of cycles(pkgGraph)) problems.push(`packages ${component.join(', ')} depend on each other in a cycle`);
  return { problems, report };
}

module.exports = { check, cycles, importsOf, KNOWN_EDGES, MAX_LINES };

if (require.main === module) {
  const args = process.argv.slice(2);
  const rootArg = args.indexOf('--root');
  const root = rootArg >= 0 ? resolve(args[rootArg + 1]) : resolve(__dirname, '..');
  const { problems, report } = check(root);
  if (args.includes('--json')) console.log(JSON.stringify(report, null, 2));
  if (problems.length) {
    console.error(`import check failed:\n${problems.join('\n')}`);
    process.exit(1);
  }
  if (!args.includes('--json')) console.log(`import check: no folder or package cycles, no source file over ${MAX_LINES} lines`);
}
