#!/usr/bin/env node
// Installs the workspace's dependencies when they are missing or older than package-lock.json,
// so `npm start` and `npm test` work on a fresh clone with nothing else run first.
'use strict';
const { execSync } = require('node:child_process');
const { existsSync, statSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const stamp = join(root, 'node_modules', '.tributary-installed');
const required = ['nx', 'jest', 'hardhat', '@nestjs/core', '@layerzerolabs/lz-evm-oapp-v2', 'typeorm', 'sql.js', 'vite', 'playwright-core'];

function needsInstall() {
  if (!existsSync(stamp)) return true;
  if (required.some((name) => !existsSync(join(root, 'node_modules', name, 'package.json')))) return true;
  const lock = join(root, 'package-lock.json');
  return existsSync(lock) && statSync(lock).mtimeMs > statSync(stamp).mtimeMs;
}

if (needsInstall()) {
  console.log('[tributary] installing dependencies (npm install, ~2 min on a fresh clone)…');
  const started = Date.now();
  execSync('npm install --no-audit --no-fund', { cwd: root, stdio: 'inherit' });
  writeFileSync(stamp, new Date().toISOString());
  console.log(`[tributary] installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}
