// Big inputs: a file of about 200 MB, dropped whole, is cut into parts read by
// the tab's parse workers, its events kept as sorted runs in IndexedDB, and it
// gives the alerts the CLI prints for it (the 2 GB and 3 GB runs are in
// `npm run bench:browser`).
import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  assertNoUncaughtErrors,
  assertOnlyOwnOrigin,
  cliAlerts,
  comparable,
  concatFiles,
  exportedAlerts,
  generateDataset,
  ingest,
  launchApp,
  removeDirs,
  tempDir,
  type AlertRecordLike,
  type App,
} from './harness.ts';

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

test('the page threw no uncaught error', () => {
  assertNoUncaughtErrors(app);
});

test('no request left the page origin', () => {
  assertOnlyOwnOrigin(app);
});
