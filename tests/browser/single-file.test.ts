// The air-gapped build: dist-single/offbrowse.html opened from file://, with no
// server at all. It must run there (worker inlined, under its own strict
// policy), give the alerts the CLI prints for the same files, export them, and
// ask for nothing beyond itself.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import type { Worker } from 'playwright-core';
import {
  assertNoUncaughtErrors,
  cli,
  cliAlerts,
  comparable,
  currentRun,
  download,
  exportedAlerts,
  generateDataset,
  ingest,
  jsonLines,
  launchApp,
  removeDirs,
  repoRoot,
  waitForRunAfter,
  type AlertRecordLike,
  type App,
} from './harness.ts';

const singleDir = join(repoRoot, 'dist-single');
const singleFile = join(singleDir, 'offbrowse.html');
const fileUrl = pathToFileURL(singleFile).href;

let app: App;
/** A second profile for the demo, so it starts from nothing whatever the app keeps across reloads. */
let demoApp: App | undefined;
let data: { dir: string; files: string[] };
let expected: AlertRecordLike[];

/** The app's worker (the page starts exactly one). */
async function appWorker(): Promise<Worker> {
  return app.page.workers()[0] ?? (await app.page.waitForEvent('worker'));
}

/** A fresh browser profile with the file open; the harness's server is not used. */
async function openSingle(query = ''): Promise<App> {
  const opened = await launchApp({ root: singleDir, open: null });
  await opened.page.goto(fileUrl + query);
  await opened.page.getByTestId('file-input').waitFor({ state: 'attached' });
  return opened;
}

before(async () => {
  if (!existsSync(singleFile)) throw new Error(`${singleFile} is missing; run \`npm run build:single\` first`);
  // 20 days of 40 hosts, dropped as the day files the CLI reads.
  data = await generateDataset(['--days', '20', '--hosts', '40', '--seed', '11']);
  [expected, app] = await Promise.all([cliAlerts(data.files), openSingle()]);
});

after(async () => {
  await app?.close();
  await demoApp?.close();
  await removeDirs(data?.dir);
});

test('dist-single holds one file, offbrowse.html', async () => {
  assert.deepEqual(await readdir(singleDir), ['offbrowse.html']);
});

test('the single file carries no service worker, nor code that would register one', async () => {
  const html = await readFile(singleFile, 'utf8');
  assert.doesNotMatch(html, /serviceWorker|sw\.js/);
  assert.deepEqual(
    app.context.serviceWorkers().map((w) => w.url()),
    [],
  );
});

test('opened from file://, the worker starts from a blob: URL', async () => {
  const worker = await appWorker();
  assert.match(worker.url(), /^blob:/);
  // importScripts() with nothing to load: a no-op in a classic worker, a TypeError in a module worker.
  const kind = await worker.evaluate(() => {
    try {
      (self as unknown as { importScripts: () => void }).importScripts();
      return 'classic';
    } catch {
      return 'module';
    }
  });
  assert.equal(kind, 'classic', 'an inline module worker does not start from file:// (docs/architecture.md)');
});

test('dropped day files give the alerts the CLI prints for them', async () => {
  assert.ok(expected.length > 0, 'the dataset has alerts');
  await ingest(app.page, data.files);
  const got = await exportedAlerts(app.page);
  assert.deepEqual(comparable(got), comparable(expected), app.diagnostics());
  assert.equal(await app.page.getByTestId('alert-row').count(), expected.length);
});

test('the CSV export downloads one row per alert', async () => {
  const csv = await download(app.page, 'export-csv');
  assert.match(csv.name, /\.csv$/);
  const lines = csv.text.split(/\r\n/).filter((l) => l !== '');
  assert.equal(lines.length, expected.length + 1, 'a header row and one row per alert');
});

test('IndexedDB from file://: in memory, and saying so, where it is missing', async (t) => {
  // Chromium allows IndexedDB for file:// pages and their workers; other browsers may not.
  const worker = await appWorker();
  const available = await worker.evaluate(
    () =>
      new Promise<boolean>((done) => {
        try {
          const open = indexedDB.open('offbrowse-probe');
          open.onsuccess = () => (open.result.close(), done(true));
          open.onerror = () => done(false);
        } catch {
          done(false);
        }
      }),
  );
  t.diagnostic(`IndexedDB in the worker from file://: ${available ? 'available' : 'unavailable'}`);
  if (!available) {
    const banner = app.page.getByTestId('storage-banner');
    await banner.waitFor();
    assert.match(await banner.innerText(), /in memory/, 'the page says it keeps nothing');
  }
  assert.ok(await currentRun(app.page), 'the app ran either way');
});

test('the demo dataset is generated inside the file and matches `offbrowse detect --demo`', { timeout: 150_000 }, async () => {
  const [r, opened] = await Promise.all([cli(['detect', '--demo', '--json']), openSingle('?demo')]);
  demoApp = opened;
  assert.equal(r.code, 0, r.stderr);
  await waitForRunAfter(demoApp.page, null, 120_000);
  const fromCli = jsonLines<AlertRecordLike>(r.stdout);
  assert.deepEqual(comparable(await exportedAlerts(demoApp.page)), comparable(fromCli), demoApp.diagnostics());
});

test('nothing was requested beyond the file itself', () => {
  const own = (url: string): boolean => url.split(/[?#]/)[0] === fileUrl || url.startsWith('blob:') || url.startsWith('data:');
  for (const opened of [app, demoApp]) {
    if (opened === undefined) continue;
    assert.ok(
      opened.requests.some((r) => r.url.startsWith(fileUrl)),
      'the recorder saw the file load',
    );
    const foreign = opened.requests.filter((r) => !own(r.url)).map((r) => `${r.method} ${r.url}`);
    assert.deepEqual(foreign, []);
    // An attempt the policy stopped never becomes a request, but it is still a bug.
    const refused = opened.errors.filter((e) => /Refused to|Content Security Policy/i.test(e));
    assert.deepEqual(refused, [], 'the policy had nothing to block');
  }
});

test('the page threw no uncaught error', () => {
  assertNoUncaughtErrors(app);
  if (demoApp) assertNoUncaughtErrors(demoApp);
});
