#!/usr/bin/env node
// Keeps the documentation self-contained; runs first in `npm test` (plain Node, no dependencies).
// Fails when
//  - any file of the repository cites a document outside it (the forbidden strings below);
//  - a relative markdown link in docs/ or a README points to a missing file or heading;
//  - a `docs/<page>.md#<heading>` citation anywhere (code comments included) names a missing page or heading;
//  - a repository path written as code in docs/ (`risk/src/ewma.ts`) does not exist.
'use strict';
const { execFileSync } = require('node:child_process');
const { existsSync, readdirSync, readFileSync } = require('node:fs');
const { dirname, join, relative, resolve } = require('node:path');

const root = resolve(__dirname, '..');
// Assembled from parts so that this file does not match itself.
const FORBIDDEN = [
  { text: '../' + 'shared', ignoreCase: false },
  { text: 'design' + '.md', ignoreCase: true },
];
const SKIPPED_DIRS = new Set(['node_modules', '.git', 'dist', '.nx', 'coverage', 'artifacts', 'cache', 'typechain-types', '.devnet']);
const PACKAGE_DIRS = ['aggregator', 'contracts', 'deploy', 'docs', 'protocol', 'relayer', 'risk', 'scripts', 'service-kit', 'test'];

/** Tracked files; a directory walk when git is not available. */
function repositoryFiles() {
  try {
    const out = execFileSync('git', ['ls-files', '-z', '--cached'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return out.split('\0').filter((file) => file && !file.split('/').some((part) => SKIPPED_DIRS.has(part)) && existsSync(join(root, file)));
  } catch {
    const files = [];
    const walk = (dir) => {
      for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
        if (SKIPPED_DIRS.has(entry.name)) continue;
        const path = dir ? `${dir}/${entry.name}` : entry.name;
        if (entry.isDirectory()) walk(path);
        else if (entry.isFile()) files.push(path);
      }
    };
    walk('');
    return files;
  }
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function headingAnchors(markdown) {
  const anchors = new Set();
  const seen = new Map();
  for (const line of stripFences(markdown).split('\n')) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const text = heading[1].replace(/`/g, '').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
    const base = text
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count ? `${base}-${count}` : base);
  }
  return anchors;
}

/** Blanks fenced code blocks (keeping line numbers), so examples inside them are not checked. */
function stripFences(markdown) {
  let inFence = false;
  return markdown
    .split('\n')
    .map((line) => {
      if (/^\s*(```|~~~)/.test(line)) {
        inFence = !inFence;
        return '';
      }
      return inFence ? '' : line;
    })
    .join('\n');
}

const anchorCache = new Map();
function anchorsOf(file) {
  if (!anchorCache.has(file)) anchorCache.set(file, headingAnchors(readFileSync(file, 'utf8')));
  return anchorCache.get(file);
}

/** Problem text when `target` (an absolute path, maybe a markdown file) or its heading is missing. */
function missing(target, anchor) {
  if (!existsSync(target)) return `${relative(root, target)} does not exist`;
  if (anchor && target.endsWith('.md') && !anchorsOf(target).has(decodeURIComponent(anchor).toLowerCase())) {
    return `${relative(root, target)} has no heading #${anchor}`;
  }
  return null;
}

const problems = [];
const report = (file, index, text, message) => problems.push(`${file}:${text.slice(0, index).split('\n').length}: ${message}`);
let checkedLinks = 0;

const files = repositoryFiles();
for (const file of files) {
  const path = join(root, file);
  const buffer = readFileSync(path);
  if (buffer.includes(0)) continue; // binary
  const text = buffer.toString('utf8');
  const lower = text.toLowerCase();

  for (const { text: needle, ignoreCase } of FORBIDDEN) {
    const index = ignoreCase ? lower.indexOf(needle.toLowerCase()) : text.indexOf(needle);
    if (index >= 0)
      report(file, index, text, `cites "${text.slice(index, index + needle.length)}", a document outside the repository; cite docs/… instead`);
  }

  const isDoc = file.startsWith('docs/') && file.endsWith('.md');
  const isReadme = /(^|\/)README\.md$/.test(file);
  const prose = isDoc || isReadme ? stripFences(text) : text;

  // docs/<page>.md[#heading] citations, resolved from the repository root (also `../docs/…` in READMEs). Test
  // fixtures may cite made-up headings on purpose (the ops rule checker's own tests), so tests are not checked.
  const isTest = /(^|\/)test\//.test(file);
  for (const match of isTest ? [] : prose.matchAll(/(?<![\w/.-])(?:\.\.?\/)*docs\/([\w.-]+\.md)(?:#([\w-]+))?/g)) {
    checkedLinks++;
    const problem = missing(join(root, 'docs', match[1]), match[2]);
    if (problem) report(file, match.index, prose, problem);
  }

  if (!isDoc && !isReadme) continue;
  const withoutCode = prose.replace(/`[^`\n]*`/g, (code) => ' '.repeat(code.length));
  for (const match of withoutCode.matchAll(/!?\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)|^\s*\[[^\]\n]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)) {
    const target = match[1] ?? match[2];
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // http:, https:, mailto:
    checkedLinks++;
    const [pathPart, anchor] = target.split('#');
    const resolved = pathPart ? resolve(dirname(path), decodeURIComponent(pathPart)) : path;
    const problem = missing(resolved, anchor);
    if (problem) report(file, match.index, withoutCode, `link ${target}: ${problem}`);
  }

  if (!isDoc) continue;
  // Repository paths written as code in docs/ must exist (build outputs and patterns excepted).
  for (const match of prose.matchAll(/`([^`\s]+)`/g)) {
    const candidate = match[1].replace(/[.,:;]$/, '');
    if (!PACKAGE_DIRS.some((dir) => candidate.startsWith(`${dir}/`))) continue;
    if (/[*<>{}…]|\/dist\//.test(candidate)) continue;
    checkedLinks++;
    if (!existsSync(join(root, candidate))) report(file, match.index, prose, `path ${candidate} does not exist`);
  }
}

if (problems.length) {
  console.error(`check-doc-links: ${problems.length} problem(s)`);
  for (const problem of problems) console.error(`  ${problem}`);
  process.exit(1);
}
console.log(`check-doc-links: ${files.length} files, ${checkedLinks} links and paths, all resolve`);
