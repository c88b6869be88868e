#!/usr/bin/env node
// `npm test`: the repository checks, every package's build, then three lanes at once — the devnet end-to-end suite in
// two groups (mostly waiting on 1 s blocks) beside every other package's lint and tests (mostly CPU). The e2e suite uses ports
// 19800–20120 (its verifiers listen at relayer + 200), the package suites 18600–18990: the lanes never share a port. With TEST_DATABASE_URL set (CI),
// each lane then repeats its database-backed part on PostgreSQL: the crash test after the e2e suite, the aggregator
// and relayer suites after the packages.
'use strict';
const { spawn } = require('node:child_process');
const { readdirSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const pgUrl = process.env.TEST_DATABASE_URL;
const env = { ...process.env, NX_DAEMON: 'false' };
const withPg = pgUrl ? { ...env, DATABASE_URL: pgUrl } : undefined;

/**
 * What a failed step said about its failures, short enough to sit at the end of a CI log: jest's FAIL lines, each
 * failing test's title (●) with the first lines after it, and the totals.
 */
function failureDigest(lines, limit = 40) {
  // Nx prefixes each line of a package's output with its project name.
  const text = lines.map((l) => l.replace(/^@tributary\/[\w-]+: /, ''));
  const isTitle = (l) => /^\s*● /.test(l) && !/● Console$/.test(l);
  const digest = [];
  for (let i = 0; i < text.length && digest.length < limit; i++) {
    if (isTitle(text[i])) {
      digest.push(lines[i]);
      const next = text.slice(i + 1, i + 16);
      const end = next.findIndex((l) => /^\s*● /.test(l));
      const body = (end < 0 ? next : next.slice(0, end)).filter((l) => l.trim() && !/^\s+at /.test(l));
      body.slice(0, 8).forEach((l) => digest.push(`    ${l.trim()}`));
    } else if (/^(FAIL |Tests:|Test Suites:)|NX\s+Running target .* failed|Failed tasks:|^\s*- @tributary\//.test(text[i])) digest.push(lines[i]);
  }
  return digest.slice(0, limit);
}

/** One command, its output prefixed line by line; resolves with its exit code, seconds taken and failure digest. */
function run(lane, name, command, args, stepEnv = env) {
  const started = Date.now();
  const kept = [];
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, env: stepEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    const prefix = `${lane}│ `;
    for (const stream of [child.stdout, child.stderr]) {
      let pending = '';
      stream.on('data', (chunk) => {
        pending += chunk.toString();
        const lines = pending.split('\n');
        pending = lines.pop();
        for (const line of lines) {
          process.stdout.write(prefix + line + '\n');
          kept.push(line.replace(/\x1b\[[0-9;]*m/g, ''));
        }
        if (kept.length > 20_000) kept.splice(0, kept.length - 20_000);
      });
      stream.on('end', () => pending && process.stdout.write(prefix + pending + '\n'));
    }
    child.on('close', (code, signal) => {
      const exit = code ?? (signal ? 1 : 0);
      resolve({ lane, name, code: exit, seconds: (Date.now() - started) / 1000, digest: exit === 0 ? [] : failureDigest(kept) });
    });
  });
}

/** Runs steps in order; stops the lane at its first failure. */
async function lane(name, steps) {
  const results = [];
  for (const step of steps) {
    const result = await run(name, step.name, step.command, step.args, step.env);
    results.push(result);
    if (result.code !== 0) break;
  }
  return results;
}

const npx = (...args) => ({ command: 'npx', args });
// The lanes never build: a build (or Nx restoring one from its cache) rewrites dist/ and typechain-types/ under the
// other lane's running tests.
const afterBuild = ['--excludeTaskDependencies', '--outputStyle=stream'];
const npm = (...args) => ({ command: 'npm', args });

/**
 * The e2e files in two groups of about equal time, each a devnet of its own at a time (their ports do not overlap:
 * see PORTS in each file). SECOND is named; every other file, including a new one, runs in the first group.
 */
const SECOND_E2E_GROUP = ['crash-recovery', 'trader', 'money', 'soak'];
function e2eGroups() {
  const files = readdirSync(join(root, 'test', 'e2e'))
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => f.replace(/\.test\.ts$/, ''));
  const missing = SECOND_E2E_GROUP.filter((name) => !files.includes(name));
  if (missing.length) throw new Error(`run-tests: no e2e file ${missing.join(', ')}`);
  const pattern = (name) => `e2e/${name}\\.test\\.ts$`;
  return [files.filter((f) => !SECOND_E2E_GROUP.includes(f)).map(pattern), SECOND_E2E_GROUP.map(pattern)];
}

async function main() {
  const started = Date.now();
  const checks = [
    { name: 'doc links', command: 'node', args: ['scripts/check-doc-links.js'] },
    { name: 'installed', command: 'node', args: ['scripts/ensure-installed.js'] },
    { name: 'imports', ...npm('run', 'check:imports') },
    { name: 'format', ...npm('run', 'format:check') },
    { name: 'build', ...npx('nx', 'run-many', '-t', 'build', '--outputStyle=stream') },
  ];
  const prepared = await lane('prep', checks);
  const lanes = [prepared];
  if (prepared.every((r) => r.code === 0)) {
    const [first, second] = e2eGroups();
    const e2eFirst = [{ name: `e2e ${first.length} files (SQLite)`, ...npm('test', '-w', '@tributary/e2e', '--', ...first) }];
    const e2eSecond = [{ name: `e2e ${second.length} files (SQLite)`, ...npm('test', '-w', '@tributary/e2e', '--', ...second) }];
    if (withPg) e2eFirst.push({ name: 'crash test (PostgreSQL)', ...npm('test', '-w', '@tributary/e2e', '--', 'e2e/crash-recovery'), env: withPg });
    const packages = [{ name: 'lint + package tests', ...npx('nx', 'run-many', '-t', 'lint', 'test', '--exclude=@tributary/e2e', ...afterBuild) }];
    packages.push({ name: 'e2e lint', ...npx('nx', 'run', '@tributary/e2e:lint', ...afterBuild) });
    if (withPg) {
      const projects = '--projects=@tributary/aggregator,@tributary/relayer';
      packages.push({
        name: 'database suites (PostgreSQL)',
        ...npx('nx', 'run-many', '-t', 'test', projects, '--skip-nx-cache', ...afterBuild),
        env: withPg,
      });
    }
    lanes.push(...(await Promise.all([lane('e2e1', e2eFirst), lane('e2e2', e2eSecond), lane('pkg', packages)])));
  }
  const results = lanes.flat();
  console.log('\n== npm test summary');
  for (const r of results)
    console.log(`${r.code === 0 ? 'ok  ' : 'FAIL'} ${r.lane.padEnd(5)} ${r.name.padEnd(32)} ${r.seconds.toFixed(0).padStart(5)} s`);
  const failed = results.some((r) => r.code !== 0);
  for (const r of results.filter((r) => r.code !== 0)) {
    console.log(`\n== ${r.lane} ${r.name}: what failed`);
    for (const line of r.digest.length ? r.digest : ['(no jest failure lines: see the lane output above)']) console.log(line);
  }
  console.log(`${failed ? 'FAILED' : 'passed'} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  process.exit(failed ? 1 : 0);
}

if (require.main === module) main();
module.exports = { failureDigest };
