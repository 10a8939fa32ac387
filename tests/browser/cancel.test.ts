// Cancelling a run part-way through a large file must leave the page as it
// was before that run (nothing of the file counted or alerted on), and the
// next run must work normally.
import assert from 'node:assert/strict';
import { link, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  assertNoUncaughtErrors,
  assertOnlyOwnOrigin,
  comparable,
  concatFiles,
  currentRun,
  exportedAlerts,
  generateDataset,
  ingest,
  launchApp,
  pickFiles,
  removeDirs,
  tempDir,
  type AlertRecordLike,
  type App,
  showOverview,
} from './harness.ts';
import { activeLog } from './panos.ts';

let app: App;
let data: { dir: string; files: string[] };
let work: string;
let big: string;
let bigCopy: string;

before(async () => {
  [data, work] = await Promise.all([generateDataset(['--days', '20', '--hosts', '40', '--seed', '5']), tempDir()]);
  // The generated days repeated to about 100 MB: slow enough to cancel part-way.
  const once = (await Promise.all(data.files.map((f) => stat(f)))).reduce((s, x) => s + x.size, 0);
  big = await concatFiles(join(work, 'big.log'), data.files, Math.ceil(100e6 / once));
  // A second name for the same bytes (a hard link costs nothing): more runway on a fast machine,
  // and a queued file that the cancel must drop too.
  bigCopy = join(work, 'big-copy.log');
  await link(big, bigCopy);
  app = await launchApp();
});

after(async () => {
  await app?.close();
  await removeDirs(data?.dir, work);
});

/** The ingest summary's header: file count and lines read. */
function summaryLine(): Promise<string | null> {
  return app.page.getByRole('region', { name: 'Ingest summary' }).locator('header').textContent();
}

let baseline: AlertRecordLike[];
let runBefore: string | null;

test('a run cancelled part-way through a large file leaves nothing behind', async () => {
  runBefore = await ingest(app.page, data.files);
  await showOverview(app.page);
  baseline = await exportedAlerts(app.page);
  assert.ok(baseline.length > 0, 'the first run has alerts to compare with');
  const summaryBefore = await summaryLine();
  assert.ok(summaryBefore?.includes('20 files'), `summary before: ${summaryBefore}`);

  await pickFiles(app.page, [big, bigCopy]);
  // Cancel while the progress bar is part-way: some of the file read, not all.
  await app.page.waitForFunction(
    () => {
      const bar = document.querySelector('[aria-label="Reading progress"] [role="progressbar"][aria-valuenow]');
      const now = Number(bar?.getAttribute('aria-valuenow'));
      return now >= 1 && now <= 80;
    },
    null,
    { polling: 20, timeout: 60_000 },
  );
  const progress = app.page.getByRole('region', { name: 'Reading progress' });
  const progressText = await progress.textContent();
  assert.match(progressText ?? '', /big\.log/, 'the progress names the file');
  await progress.getByRole('button', { name: 'Cancel' }).click();
  const clicked = Date.now();
  await progress.waitFor({ state: 'detached', timeout: 10_000 });
  assert.ok(Date.now() - clicked < 5_000, `the run stopped ${Date.now() - clicked} ms after Cancel`);

  await app.page.getByText(/^\s*Cancelled/).waitFor();
  assert.equal(await currentRun(app.page), runBefore, 'a cancelled run is not a completed run');
  assert.equal(await summaryLine(), summaryBefore, 'the summary counts nothing from the cancelled file');
  const filesTable = await app.page.getByRole('region', { name: 'Ingest summary' }).locator('table').textContent();
  assert.ok(!filesTable?.includes('big'), 'the cancelled files are not in the files table');
  assert.deepEqual(comparable(await exportedAlerts(app.page)), comparable(baseline));
});

test('the next run after a cancel works', async () => {
  const file = join(work, 'later.log');
  await writeFile(
    file,
    activeLog([{ time: '2026/09/20 12:00:00', src: '10.99.0.1', url: 'later-run-check.com/', userAgent: 'curl/8.4.0' }]),
  );
  const run = await ingest(app.page, [file]);
  assert.notEqual(run, runBefore);
  const alerts = await exportedAlerts(app.page);
  const added = alerts.filter((a) => a.host === '10.99.0.1');
  assert.equal(added.length, 1, 'the new file alerts');
  assert.equal(added[0].domain, 'later-run-check.com');
  const rest = alerts.filter((a) => a.host !== '10.99.0.1');
  assert.deepEqual(comparable(rest), comparable(baseline), 'and nothing else changed');
  const summary = await summaryLine();
  assert.ok(summary?.includes('21 files'), `summary after: ${summary}`);
});

test('the page threw no uncaught error', () => {
  assertNoUncaughtErrors(app);
});

test('no request left the page origin', () => {
  assertOnlyOwnOrigin(app);
});
