#!/usr/bin/env node
// `npm run build:single`: the air-gapped build. Vite (vite.single.config.ts)
// writes dist-single/offbrowse.html with every script, style and the worker
// inlined; this script then writes the file's Content-Security-Policy, which
// names the inline script by its hash (so no other inline script can run),
// checks that nothing is left to load from elsewhere, and prints the file's
// size and SHA-256 (compare it on the offline machine with `sha256sum`).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(repo, 'dist-single');
const FILE_NAME = 'offbrowse.html';

function fail(message) {
  console.error(`build:single: ${message}`);
  process.exit(1);
}

/**
 * Nothing may leave or be loaded: no connections at all, the worker only from
 * the blob: URL the page makes of its inlined code, images only from data:
 * and blob: (the favicon is `data:,`). Styles stay 'unsafe-inline' because
 * Svelte may set style attributes, which a hash cannot allow.
 * 'wasm-unsafe-eval' lets the parse workers compile the inlined WebAssembly
 * kernel (src/core/sources/structural.ts); it allows no eval().
 */
function policy(scriptHashes) {
  return [
    "default-src 'none'",
    `script-src ${scriptHashes.map((h) => `'sha256-${h}'`).join(' ')} 'wasm-unsafe-eval'`,
    'worker-src blob:',
    "connect-src 'none'",
    "style-src 'unsafe-inline'",
    'img-src data: blob:',
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** What the browser hashes: the element's text, after the HTML parser turned CR LF and CR into LF. */
function inlineScriptHash(text) {
  return createHash('sha256').update(text.replace(/\r\n?/g, '\n'), 'utf8').digest('base64');
}

// The bin directly, not through npx, so nothing is left running on failure.
const build = spawnSync(
  join(repo, 'node_modules', '.bin', 'vite'),
  ['build', '-c', 'vite.single.config.ts', '--logLevel', 'warn'],
  {
    cwd: repo,
    stdio: 'inherit',
    env: { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
  },
);
if (build.error || build.status !== 0) fail(`vite build failed (${build.error?.message ?? `exit code ${build.status}`})`);

const written = readdirSync(outDir);
if (written.length !== 1 || written[0] !== FILE_NAME) {
  fail(`expected exactly ${FILE_NAME} in ${relative(repo, outDir)}/, found: ${written.join(', ') || 'nothing'}`);
}
const path = join(outDir, FILE_NAME);
let html = readFileSync(path, 'utf8');

const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)];
if (scripts.length === 0) fail('the built page has no inline script');
const external = scripts.filter((m) => /\ssrc\s*=/i.test(m[1]));
if (external.length) fail(`scripts left to load from a URL: ${external.map((m) => m[0].slice(0, 120)).join(', ')}`);
const linked = (html.match(/<link\b[^>]*>/gi) ?? []).filter((l) => !/\bhref\s*=\s*["']?data:/i.test(l));
if (linked.length) fail(`links left to load from a URL: ${linked.join(', ')}`);
if (/http-equiv\s*=\s*["']?content-security-policy/i.test(html))
  fail('the page already has a policy; vite.single.config.ts should have dropped it');

const meta = `<meta http-equiv="Content-Security-Policy" content="${policy(scripts.map((m) => inlineScriptHash(m[2])))}" />`;
// First in <head>, right after the charset, so the policy covers every element after it.
const charset = /<meta\s+charset\s*=\s*["']?utf-8["']?\s*\/?>/i;
if (!charset.test(html)) fail('no <meta charset="utf-8"> to put the policy after');
html = html.replace(charset, (m) => `${m}\n    ${meta}`);
writeFileSync(path, html);

const bytes = readFileSync(path);
const sha256 = createHash('sha256').update(bytes).digest('hex');
process.stdout.write(
  `build:single: ${relative(repo, path)}  ${(bytes.length / 1024).toFixed(1)} KB\n` +
    `build:single: SHA-256 ${sha256}\n` +
    `${sha256}  ${FILE_NAME}\n`,
);
