// No way out: both builds carry a Content-Security-Policy that keeps the page
// and its worker from reaching anything beyond the page itself. Each test
// tries every kind of request a script could make, from the page and from the
// worker, towards a trap server on 127.0.0.1 (another origin, on this machine
// only): the policy must refuse each one, and the trap must hear nothing.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Page, Worker } from 'playwright-core';
import { structuralWasm } from '../../src/core/sources/structuralWasm.js';
import { distDir, foreignRequests, launchApp, repoRoot, type App } from './harness.ts';

const singleFile = join(repoRoot, 'dist-single', 'offbrowse.html');

let trap: Server;
let trapUrl: string;
/** Every request the trap heard: each one is a way out the policy missed. */
const trapHits: string[] = [];
let http: App;
let single: App;

/** The policy in a page's CSP meta tag, as directive → sources. */
function metaPolicy(html: string): Map<string, string[]> {
  const metas = html.match(/<meta\b[^>]*http-equiv="Content-Security-Policy"[^>]*>/gi) ?? [];
  assert.equal(metas.length, 1, 'one Content-Security-Policy meta tag');
  const content = /content="([^"]*)"/.exec(metas[0])?.[1] ?? '';
  const policy = new Map<string, string[]>();
  for (const part of content.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) policy.set(name, sources);
  }
  return policy;
}

/** The meta tag must come before anything it governs. */
function policyComesFirst(html: string): void {
  const at = html.search(/<meta\b[^>]*http-equiv="Content-Security-Policy"/i);
  const firstLoad = html.search(/<(script|link|style|img)\b/i);
  assert.ok(at !== -1 && (firstLoad === -1 || at < firstLoad), 'the policy precedes every script, style and link');
}

/**
 * Tries every way out it can from where it runs (page or worker) towards
 * `trap`, and reports the policy violations it saw. A string, so that nothing
 * the test's compiler adds to functions ends up in the browser.
 */
const TRY_EVERY_WAY_OUT = `async (trap) => {
  const seen = [];
  const scope = typeof document === 'undefined' ? self : document;
  scope.addEventListener('securitypolicyviolation', (e) => seen.push(e.effectiveDirective));
  const attempt = (run) => { try { const p = run(); if (p && p.catch) p.catch(() => {}); } catch {} };
  attempt(() => fetch(trap + 'fetch'));
  attempt(() => { const x = new XMLHttpRequest(); x.open('GET', trap + 'xhr'); x.send(); });
  attempt(() => new WebSocket(trap.replace(/^http/, 'ws') + 'websocket'));
  attempt(() => new EventSource(trap + 'event-source'));
  if (typeof document !== 'undefined') {
    attempt(() => navigator.sendBeacon(trap + 'beacon', 'x'));
    attempt(() => { const img = new Image(); img.src = trap + 'image.png'; });
    attempt(() => { const s = document.createElement('script'); s.src = trap + 'script.js'; document.head.append(s); });
    attempt(() => { const l = document.createElement('link'); l.rel = 'stylesheet'; l.href = trap + 'style.css'; document.head.append(l); });
    attempt(() => { const f = document.createElement('iframe'); f.src = trap + 'frame'; document.body.append(f); });
    attempt(() => new FontFace('trap', 'url(' + trap + 'font.woff2)').load());
  }
  await new Promise((done) => setTimeout(done, 1500));
  return [...new Set(seen)].sort();
}`;

const PAGE_DIRECTIVES = ['connect-src', 'font-src', 'frame-src', 'img-src', 'script-src-elem', 'style-src-elem'];
const WORKER_DIRECTIVES = ['connect-src'];

async function tryFromPage(page: Page): Promise<string[]> {
  return page.evaluate(`(${TRY_EVERY_WAY_OUT})(${JSON.stringify(trapUrl)})`);
}

async function tryFromWorker(page: Page): Promise<string[]> {
  const worker: Worker = page.workers()[0] ?? (await page.waitForEvent('worker'));
  return worker.evaluate(`(${TRY_EVERY_WAY_OUT})(${JSON.stringify(trapUrl)})`);
}

before(async () => {
  trap = createServer((req, res) => {
    trapHits.push(`${req.method} ${req.url}`);
    res.writeHead(200, { 'Access-Control-Allow-Origin': '*' }).end();
  });
  await new Promise<void>((done) => trap.listen(0, '127.0.0.1', done));
  const address = trap.address();
  trapUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
  http = await launchApp();
  single = await launchApp({ root: join(repoRoot, 'dist-single'), open: null });
  await single.page.goto(pathToFileURL(singleFile).href);
  for (const app of [http, single]) await app.page.getByTestId('file-input').waitFor({ state: 'attached' });
});

after(async () => {
  await http?.close();
  await single?.close();
  await new Promise((done) => trap?.close(done));
});

test('dist/index.html: a policy that keeps everything to its own origin', async () => {
  const html = await readFile(join(distDir, 'index.html'), 'utf8');
  policyComesFirst(html);
  const p = metaPolicy(html);
  assert.deepEqual(p.get('default-src'), ["'self'"]);
  // 'wasm-unsafe-eval': the parse workers compile the WebAssembly kernel (src/core/sources/structural.ts); no eval().
  assert.deepEqual(p.get('script-src'), ["'self'", "'wasm-unsafe-eval'"]);
  assert.deepEqual(p.get('connect-src'), ["'self'"]);
  // The app's worker only from a blob: URL, so it is under this policy; the service worker, sw.js, from the page's own origin.
  assert.deepEqual(p.get('worker-src'), ["'self'", 'blob:']);
  assert.deepEqual(p.get('object-src'), ["'none'"]);
  assert.deepEqual(p.get('base-uri'), ["'none'"]);
  assert.deepEqual(p.get('form-action'), ["'none'"]);
  for (const [name, sources] of p) {
    for (const s of sources)
      assert.match(s, /^('self'|'none'|'unsafe-inline'|'wasm-unsafe-eval'|data:|blob:)$/, `${name} allows ${s}`);
  }
  // Everything the page loads is its own: relative paths, no scheme or host.
  for (const m of html.matchAll(/\b(?:src|href)="([^"]*)"/g)) assert.match(m[1], /^(\.\/|data:)/, `the page loads ${m[1]}`);
});

test('dist-single/offbrowse.html: no connections, the worker from blob: only, its script by hash', async () => {
  const html = await readFile(singleFile, 'utf8');
  policyComesFirst(html);
  const p = metaPolicy(html);
  assert.deepEqual(p.get('default-src'), ["'none'"]);
  assert.deepEqual(p.get('connect-src'), ["'none'"]);
  assert.deepEqual(p.get('worker-src'), ['blob:']);
  assert.deepEqual(p.get('img-src'), ['data:', 'blob:']);
  assert.deepEqual(p.get('style-src'), ["'unsafe-inline'"]);
  assert.deepEqual(p.get('object-src'), ["'none'"]);
  assert.deepEqual(p.get('base-uri'), ["'none'"]);
  assert.deepEqual(p.get('form-action'), ["'none'"]);
  // Only the one inline script runs: named by its hash, with no 'unsafe-inline' beside it.
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
  assert.equal(scripts.length, 1, 'one inline script');
  assert.doesNotMatch(scripts[0][1], /\ssrc=/);
  const hash = createHash('sha256').update(scripts[0][2].replace(/\r\n?/g, '\n')).digest('base64');
  assert.deepEqual(p.get('script-src'), [`'sha256-${hash}'`, "'wasm-unsafe-eval'"]);
});

test('http build: the page cannot reach another origin', async () => {
  assert.deepEqual(await tryFromPage(http.page), PAGE_DIRECTIVES, 'each attempt was refused by the policy');
});

test('http build: nor can its worker', async () => {
  assert.deepEqual(await tryFromWorker(http.page), WORKER_DIRECTIVES);
});

test('single file from file://: the page cannot reach anything', async () => {
  assert.deepEqual(await tryFromPage(single.page), PAGE_DIRECTIVES);
});

test('single file from file://: nor can its worker', async () => {
  assert.deepEqual(await tryFromWorker(single.page), WORKER_DIRECTIVES);
});

/**
 * Whether a worker of the page (from a blob: URL, as the parse workers are, so under the page's policy)
 * compiles the kernel, and whether eval() is refused there. The worker's own script does both: code the
 * test evaluates through the DevTools protocol would not be held to the policy's eval rules.
 */
async function kernelInWorker(page: Page): Promise<{ kernel: string; evaluated: string }> {
  const script =
    `let kernel = 'compiled'; try { new WebAssembly.Module(new Uint8Array(${JSON.stringify([...structuralWasm])})); } catch (e) { kernel = String(e); }` +
    `let evaluated = 'refused'; try { (0, eval)('1'); evaluated = 'ran'; } catch {}` +
    'postMessage({ kernel, evaluated });';
  return page.evaluate(`new Promise((done) => {
    const worker = new Worker(URL.createObjectURL(new Blob([${JSON.stringify(script)}], { type: 'text/javascript' })));
    worker.onmessage = (e) => { done(e.data); worker.terminate(); };
    worker.onerror = (e) => done({ kernel: 'worker failed: ' + e.message, evaluated: '' });
  })`);
}

test('http build: a worker compiles the WebAssembly kernel, and eval() is still refused', async () => {
  assert.deepEqual(await kernelInWorker(http.page), { kernel: 'compiled', evaluated: 'refused' });
});

test('single file from file://: a worker compiles the WebAssembly kernel, and eval() is still refused', async () => {
  assert.deepEqual(await kernelInWorker(single.page), { kernel: 'compiled', evaluated: 'refused' });
});

test('the trap heard nothing, and nothing else was asked for', () => {
  assert.deepEqual(trapHits, []);
  // The recorder sees the attempts above before the policy refuses them; anything else is a leak.
  const attempted = (url: string): boolean => url.startsWith(trapUrl) || url.startsWith(trapUrl.replace(/^http/, 'ws'));
  assert.deepEqual(
    foreignRequests(http).filter((r) => !attempted(r.split(' ')[2])),
    [],
  );
  const fileUrl = pathToFileURL(singleFile).href;
  const own = (url: string): boolean => url.startsWith(fileUrl) || url.startsWith('blob:') || url.startsWith('data:');
  assert.deepEqual(
    single.requests.filter((r) => !own(r.url) && !attempted(r.url)).map((r) => r.url),
    [],
  );
  // The only errors are the refusals these tests caused.
  for (const app of [http, single]) {
    const other = app.errors.filter(
      (e) => !/Content Security Policy|Refused to|127\.0\.0\.1:\d+\/(fetch|xhr|websocket|event-source|beacon|font)/.test(e),
    );
    assert.deepEqual(other, []);
  }
});
