// node --test scripts/check-import-cycles.test.js: the import check on small fixture workspaces (and on this repository).
'use strict';
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const { mkdirSync, mkdtempSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { dirname, join } = require('node:path');
const { test } = require('node:test');

const script = join(__dirname, 'check-import-cycles.js');

/** A workspace from { 'path': 'content' } with package `app` (and `lib` when given). */
function workspace(files) {
  const root = mkdtempSync(join(tmpdir(), 'import-check-'));
  const all = {
    'package.json': JSON.stringify({ workspaces: ['app', 'lib', 'relayer'] }),
    'app/package.json': JSON.stringify({ name: '@x/app' }),
    ...files,
  };
  for (const [path, content] of Object.entries(all)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

function run(root) {
  try {
    return { code: 0, output: execFileSync(process.execPath, [script, '--root', root], { encoding: 'utf8', stdio: 'pipe' }) };
  } catch (error) {
    return { code: error.status, output: `${error.stdout}${error.stderr}` };
  }
}

test('passes a layered package', () => {
  const root = workspace({
    'app/src/main.ts': "import { a } from './api/a';\n",
    'app/src/api/a.ts': "import { b } from '../core/b';\nexport const a = b;\n",
    'app/src/core/b.ts': 'export const b = 1;\n',
  });
  assert.deepEqual(run(root), { code: 0, output: 'import check: no folder or package cycles, no source file over 400 lines\n' });
});

test('fails on a folder cycle and names the files that make it (type-only and re-exports count)', () => {
  const root = workspace({
    'app/src/api/a.ts': "import type { B } from '../core/b';\nexport type A = B;\n",
    'app/src/core/b.ts': "export { a } from '../api/a';\nexport type B = number;\n",
  });
  const { code, output } = run(root);
  assert.equal(code, 1);
  assert.match(output, /app\/src: folders api, core import each other in a cycle/);
  assert.match(output, /api -> core: api\/a\.ts imports core\/b\.ts/);
  assert.match(output, /core -> api: core\/b\.ts imports api\/a\.ts/);
});

test('ignores imports in comments and imports inside one folder', () => {
  const root = workspace({
    'app/src/api/a.ts': "// import { b } from '../core/b';\n/* import { c } from '../core/b'; */\nimport { x } from './x';\nexport const a = x;\n",
    'app/src/api/x.ts': 'export const x = 1;\n',
    'app/src/core/b.ts': "import { a } from '../api/a';\nexport const b = a;\n",
  });
  assert.equal(run(root).code, 0);
});

test('a "/*" or "//" inside a string hides no import', () => {
  const root = workspace({
    'app/src/api/a.ts': "const glob = 'src/**/x'; const url = 'http://h';\nimport { b } from '../core/b';\nexport const a = [glob, url, b];\n",
    'app/src/core/b.ts': "import { a } from '../api/a';\nexport const b = a; // */\n",
  });
  const { code, output } = run(root);
  assert.equal(code, 1);
  assert.match(output, /api -> core: api\/a\.ts imports core\/b\.ts/);
});

test('fails on a source file over 400 lines', () => {
  const root = workspace({ 'app/src/long.ts': 'export const x = 1;\n'.repeat(401), 'app/src/ok.ts': 'export const y = 1;\n'.repeat(400) });
  const { code, output } = run(root);
  assert.equal(code, 1);
  assert.match(output, /app\/src\/long\.ts has 401 lines/);
  assert.doesNotMatch(output, /ok\.ts/);
});

test('fails on a package cycle (dependencies or imports)', () => {
  const root = workspace({
    'app/package.json': JSON.stringify({ name: '@x/app', dependencies: { '@x/lib': '1' } }),
    'lib/package.json': JSON.stringify({ name: '@x/lib' }),
    'lib/src/index.ts': "import { app } from '@x/app/dist/thing';\nexport const lib = app;\n",
  });
  const { code, output } = run(root);
  assert.equal(code, 1);
  assert.match(output, /packages @x\/app, @x\/lib depend on each other in a cycle/);
});

test('a known edge lets its cycle pass until the cycle is gone', () => {
  const files = {
    'relayer/package.json': JSON.stringify({ name: '@x/relayer' }),
    'relayer/src/chain/registry.ts': "import { Submitter } from '../tx/submitter';\nexport const r = Submitter;\n",
    'relayer/src/tx/submitter.ts': "import type { Rpc } from '../chain/rpc';\nexport class Submitter { rpc?: Rpc; }\n",
    'relayer/src/chain/rpc.ts': 'export interface Rpc { url: string }\n',
  };
  assert.equal(run(workspace(files)).code, 0);
  const fixed = run(workspace({ ...files, 'relayer/src/tx/submitter.ts': 'export class Submitter {}\n' }));
  assert.equal(fixed.code, 1);
  assert.match(fixed.output, /known edge relayer\/src chain -> tx closes no cycle any more: delete it from KNOWN_EDGES/);
});

test('this repository passes', () => {
  assert.equal(run(join(__dirname, '..')).code, 0);
});
