// Big inputs: a file of about 200 MB, dropped whole, is streamed through the
// worker and gives the alerts the CLI prints for it (the 2 GB and gzip runs are
// in `npm run bench:browser`). A file past the tab's memory budget stops the
// run with a message that names it and points to the CLI, and the tab goes on
// working; the budget is lowered for that with the page's `?max-events=N`.
import assert from 'node:assert/strict';
import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  alertTexts,
  assertNoUncaughtErrors,
  assertOnlyOwnOrigin,
  cliAlerts,
  comparable,
  concatFiles,
  currentRun,
  exportedAlerts,
  freshStart,
  generateDataset,
  ingest,
  launchApp,
  pickFiles,
  removeDirs,
  tempDir,
  type AlertRecordLike,
  type App,
} from './harness.ts';
import { activeLog, type UrlRow } from './panos.ts';

const MB = 1e6;

let app: App;
let data: { dir: string; files: string[] };
let work: string;
let big: string;
let expected: AlertRecordLike[];

before(async () => {
  // 45 days of 400 hosts at rate 16: about 205 MB in day files, joined into one.
  [data, work] = await Promise.all([generateDataset(['--days', '45', '--hosts', '400', '--rate', '16']), tempDir()]);
  big = await concatFiles(join(work, 'panos-200mb.log'), data.files);
  await removeDirs(data.dir);
  const size = (await stat(big)).size;
  assert.ok(size >= 190 * MB && size <= 260 * MB, `the big file is ${(size / MB).toFixed(0)} MB`);
  [expected, app] = await Promise.all([cliAlerts([big]), launchApp()]);
});

after(async () => {
  await app?.close();
  await removeDirs(work);
});

test('a 200 MB file dropped whole gives the alerts the CLI prints for it', { timeout: 120_000 }, async (t) => {
  assert.ok(expected.length > 0, 'the big file has alerts');
  const started = Date.now();
  await ingest(app.page, [big], 90_000);
  const seconds = (Date.now() - started) / 1000;
  t.diagnostic(`read ${((await stat(big)).size / MB).toFixed(0)} MB in ${seconds.toFixed(1)} s`);
  const got = await exportedAlerts(app.page);
  assert.equal(got.length, expected.length, app.diagnostics());
  assert.deepEqual(comparable(got), comparable(expected));
});

/** Non-browser rows (each one kept for detection), a few per cent of them. */
function keptRows(n: number): UrlRow[] {
  const rows: UrlRow[] = [];
  for (let i = 0; i < n; i++) {
    const t = new Date(Date.UTC(2026, 8, 20) + i * 60_000).toISOString();
    rows.push({ time: `${t.slice(0, 10).replace(/-/g, '/')} ${t.slice(11, 19)}`, src: '10.0.0.7', url: `api.example.net/v1/${i}`, userAgent: 'curl/8.5.0' });
  }
  return rows;
}

test('past the memory budget, the run stops with a message naming the file and the CLI', async () => {
  const small = join(work, 'small.log');
  const tooMany = join(work, 'too-many-events.log');
  await writeFile(small, activeLog(keptRows(20)));
  await writeFile(tooMany, activeLog(keptRows(500)));

  await freshStart(app, '?max-events=100');
  await pickFiles(app.page, [tooMany]);
  const message = app.page.locator('[role="alert"]', { hasText: 'too-many-events.log' });
  await message.waitFor();
  const text = (await message.innerText()).replace(/\s+/g, ' ');
  assert.match(text, /Reading too-many-events\.log would keep more non-browser events than this browser tab can hold in memory/);
  assert.match(text, /at most 100 across everything loaded/);
  assert.match(text, /offbrowse detect too-many-events\.log/, 'it points to the command-line tool');
  assert.equal(await currentRun(app.page), null, 'the run did not complete');

  // The tab still works, and the stopped run left nothing behind.
  await ingest(app.page, [small]);
  assert.deepEqual(await alertTexts(app.page), [], 'the next run has no error to show');
  const summary = (await app.page.locator('body').innerText()).replace(/\s+/g, ' ');
  assert.doesNotMatch(summary, /too-many-events\.log/, 'nothing of the stopped file is listed');
});

test('the page threw no uncaught error', () => {
  assertNoUncaughtErrors(app);
});

test('no request left the page origin', () => {
  assertOnlyOwnOrigin(app);
});
