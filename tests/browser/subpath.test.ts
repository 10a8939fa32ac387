// Host anywhere (docs/hosting.md): dist/ copied under a
// sub-path of a plain file server (scripts/serve.js: no rewrites, no custom
// headers, no fallback page) runs the demo from a shared `?demo` link, keeps
// its service worker to that folder, and asks for nothing outside it.
import assert from 'node:assert/strict';
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  assertNoUncaughtErrors,
  assertOnlyOwnOrigin,
  distDir,
  exportedAlerts,
  launchApp,
  removeDirs,
  tempDir,
  waitForRunAfter,
  type App,
} from './harness.ts';
import { activeWorker, cachedFiles, precacheOf, precacheUrls } from './serviceWorker.ts';

const SUB_PATH = 'tools/offbrowse/';
const VARIATIONS = ['text_share_download', 'text_share_upload', 'website_access', 'website_upload'];
const DEMO_TIMEOUT = 120_000;

let site: string;
let app: App;
/** `http://127.0.0.1:PORT/tools/offbrowse/` */
let folder: string;

before(async () => {
  site = await tempDir('offbrowse-site-');
  await cp(distDir, join(site, SUB_PATH), { recursive: true });
  app = await launchApp({ root: site, open: null });
  folder = app.base + SUB_PATH;
});

after(async () => {
  await app?.close();
  await removeDirs(site);
});

test('a ?demo link to the sub-path runs the demo', { timeout: DEMO_TIMEOUT + 30_000 }, async () => {
  await app.page.goto(folder + '?demo');
  await waitForRunAfter(app.page, null, DEMO_TIMEOUT);
  assert.ok((await app.page.getByTestId('alert-row').count()) > 0, 'alerts are shown');
  const alerts = await exportedAlerts(app.page);
  assert.deepEqual([...new Set(alerts.map((a) => a.variation))].sort(), VARIATIONS, app.diagnostics());
});

test('the service worker belongs to the sub-path folder and caches that copy', async () => {
  const worker = await activeWorker(app.page);
  assert.equal(worker.scope, folder);
  assert.equal(worker.scriptURL, folder + 'sw.js');
  const precache = await precacheOf(distDir);
  assert.deepEqual(await cachedFiles(app.page), { [`offbrowse ${folder} ${precache.version}`]: precacheUrls(precache, folder) });
});

test('a reload of the ?demo link is served by the service worker', { timeout: DEMO_TIMEOUT + 30_000 }, async () => {
  await app.page.reload();
  assert.ok((await activeWorker(app.page)).controlled);
  // The demo is in the stored history by now, so its alerts show again, whether or not the link starts another run.
  await app.page.getByTestId('alert-row').first().waitFor({ timeout: DEMO_TIMEOUT });
});

test('nothing outside the sub-path was asked for, by the page or by the worker', () => {
  const outside = app.requests
    .filter((r) => !r.url.startsWith('blob:') && !r.url.startsWith('data:') && !r.url.startsWith(folder))
    .map((r) => `${r.from} ${r.method} ${r.url}`);
  assert.deepEqual(outside, []);
  const servedOutside = app.served.filter((path) => !path.startsWith('/' + SUB_PATH));
  assert.deepEqual(servedOutside, []);
});

test('the page threw no uncaught error', () => {
  assertNoUncaughtErrors(app);
});

test('no request left the page origin', () => {
  assertOnlyOwnOrigin(app);
});
