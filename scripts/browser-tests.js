#!/usr/bin/env node
// `npm run test:browser`: build the app (dist/ and the single file,
// dist-single/offbrowse.html), then run tests/browser/*.test.ts with Node's
// test runner against them in headless Chromium.
//
//   node scripts/browser-tests.js [--no-build] [FILES...]
//
// The exit code is the test runner's, and its summary is the last output (CI reads it).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_PATH } from './chromium.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const noBuild = args.includes('--no-build');
const unknown = args.filter((a) => a.startsWith('--') && a !== '--no-build');
if (unknown.length) {
  console.error(
    `browser-tests: unknown option ${unknown.join(' ')}\nusage: node scripts/browser-tests.js [--no-build] [FILES...]`,
  );
  process.exit(2);
}

if (!existsSync(CHROMIUM_PATH)) {
  console.error(`browser-tests: ${CHROMIUM_PATH} is missing (apt-get install -y chromium).`);
  process.exit(1);
}

/** Runs a build step; resolves with null, or why it failed. */
function step(name, command, args) {
  return new Promise((done) => {
    const child = spawn(command, args, { cwd: repo, stdio: 'inherit' });
    child.on('error', (e) => done(`${name} failed (${e.message})`));
    child.on('exit', (code, signal) => done(code === 0 ? null : `${name} failed (${signal ?? `exit code ${code}`})`));
  });
}

if (!noBuild) {
  // Both at once: they share no output folder, and together take little longer than one.
  const failed = (
    await Promise.all([
      step('vite build', join(repo, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'warn']),
      step('the single-file build', process.execPath, [join(repo, 'scripts', 'build-single.js')]),
    ])
  ).filter((f) => f !== null);
  if (failed.length) {
    console.error(`browser-tests: ${failed.join('; ')}.`);
    process.exit(1);
  }
} else if (!existsSync(join(repo, 'dist', 'index.html')) || !existsSync(join(repo, 'dist-single', 'offbrowse.html'))) {
  console.error(
    'browser-tests: --no-build, but dist/index.html or dist-single/offbrowse.html does not exist; run `npx vite build` and `npm run build:single` first.',
  );
  process.exit(1);
}

// Node 20's --test does not expand globs, so the list is explicit.
const dir = join(repo, 'tests', 'browser');
const picked = args.filter((a) => !a.startsWith('--')).map((f) => resolve(f));
const files = picked.length
  ? picked
  : readdirSync(dir)
      .filter((f) => f.endsWith('.test.ts'))
      .sort()
      .map((f) => join(dir, f));
if (files.length === 0) {
  console.error(`browser-tests: no *.test.ts files in ${dir}.`);
  process.exit(1);
}

// One file at a time: each launches its own Chromium, and two cores are the norm.
const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-timeout=180000', ...files], {
  cwd: repo,
  stdio: 'inherit',
});
const forward = (signal) => child.kill(signal);
process.on('SIGINT', forward);
process.on('SIGTERM', forward);
child.on('exit', (code, signal) => {
  process.exitCode = code ?? (signal ? 1 : 0);
});
