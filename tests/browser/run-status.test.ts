// One truthful status per run: a run whose files were all refused, empty or
// already added is not "up to date"; an empty file is named as empty; a cut
// short or damaged .gz says which, after how many lines, and that nothing was
// kept; the drop bar, the summary and the stored-baseline panel count the
// same files, also after a reload and a drop of files already stored. And
// PAN-OS times, which carry no zone, come with a word on the zone assumed.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { constants, gunzipSync, gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import {
  alertTexts,
  assertNoUncaughtErrors,
  assertOnlyOwnOrigin,
  freshStart,
  generateDataset,
  ingest,
  launchApp,
  removeDirs,
  tempDir,
  type App,
  showOverview,
} from './harness.ts';

let app: App;
let work: string;
let data: { dir: string; files: string[] };
let zeek: { dir: string; files: string[] };
/** Whole lines zlib gets out of the truncated file before it stops. */
let truncatedLines: number;

async function opened(page: Page): Promise<void> {
  await page.locator('[data-storage="indexeddb"]').waitFor({ state: 'attached', timeout: 60_000 });
}

async function marker(page: Page): Promise<{ outcome: string | null; text: string }> {
  const m = page.getByTestId('ingest-done');
  return { outcome: await m.getAttribute('data-outcome'), text: (await m.textContent()) ?? '' };
}

/** The file counts the page shows: the drop bar, the summary and the stored-baseline panel. */
async function counts(page: Page): Promise<{ bar: string; summary: number; panel: number }> {
  await page.waitForFunction(() => document.querySelector('[data-testid="baseline-panel"]') !== null);
  const bar = (await page.locator('.zone .text').textContent()) ?? '';
  const summary = Number(await page.getByTestId('summary-files').getAttribute('data-added'));
  const panel = Number(await page.getByTestId('coverage-files').textContent());
  return { bar: bar.replace(/\s+/g, ' ').trim(), summary, panel };
}

before(async () => {
  work = await tempDir();
  // The firewall's files only: files[0] is the log cut short and damaged below.
  data = await generateDataset(['--days', '3', '--hosts', '40', '--seed', '5', '--no-endpoint']);
  zeek = await generateDataset(['--days', '2', '--hosts', '40', '--seed', '5', '--format', 'zeek', '--no-endpoint']);
  await writeFile(join(work, 'notes.txt'), 'Quarterly review, budget, owner, action items\n'.repeat(40));
  await writeFile(join(work, 'empty.log'), '');
  const whole = gzipSync(await readFile(data.files[0]));
  const cut = whole.subarray(0, Math.floor(whole.length * 0.6));
  await writeFile(join(work, 'cut-short.log.gz'), cut);
  truncatedLines = gunzipSync(cut, { finishFlush: constants.Z_SYNC_FLUSH }).toString('utf8').split('\n').length - 1;
  const damaged = Buffer.from(whole);
  for (let i = 4000; i < 4064; i++) damaged[i] ^= 0x5a;
  await writeFile(join(work, 'damaged.log.gz'), damaged);
  app = await launchApp();
  await opened(app.page);
});

after(async () => {
  await app?.close();
  await removeDirs(work, data?.dir, zeek?.dir);
});

test('a run whose only file was refused is not "up to date", and counts no file', async () => {
  await ingest(app.page, [join(work, 'notes.txt')]);
  const m = await marker(app.page);
  assert.equal(m.outcome, 'nothing');
  assert.doesNotMatch(m.text, /Up to date/);
  assert.match(m.text, /nothing was added, 1 file was not read/);
  assert.match((await alertTexts(app.page)).join('\n'), /notes\.txt was not read: not a recognised log format/);
  const c = await counts(app.page);
  assert.match(c.bar, /nothing added yet/);
  assert.equal(c.summary, 0);
  assert.equal(c.panel, 0);
});

test('a 0-byte file is named as empty', async () => {
  await ingest(app.page, [join(work, 'empty.log')]);
  assert.equal((await marker(app.page)).outcome, 'nothing');
  assert.match(
    (await app.page.getByTestId('empty-file').allTextContents()).join('\n'),
    /empty\.log added nothing: it is empty \(0 bytes\)/,
  );
});

test('a .gz cut short says so, after how many lines, and that nothing of it was kept; a damaged one says it is damaged', async () => {
  await ingest(app.page, [join(work, 'cut-short.log.gz'), join(work, 'damaged.log.gz')]);
  const texts = (await alertTexts(app.page)).join('\n');
  const m =
    /cut-short\.log\.gz was not read: the compressed file ends early \(truncated\?\) after ([\d,]+) lines; nothing was kept/.exec(
      texts,
    );
  assert.ok(m, texts);
  assert.equal(Number(m[1].replace(/,/g, '')), truncatedLines, 'the lines read before the end, as zlib reads them');
  assert.match(
    texts,
    /damaged\.log\.gz was not read: the compressed data is damaged \(.+\), noticed after [\d,]+ lines; nothing was kept/,
  );
  assert.equal((await counts(app.page)).summary, 0);
});

test('the drop bar, the summary and the stored baseline count the same files, also when stored files are dropped again after a reload', async () => {
  await ingest(app.page, data.files);
  const before = await counts(app.page);
  assert.match(before.bar, new RegExp(`${data.files.length} files loaded`));
  assert.deepEqual([before.summary, before.panel], [data.files.length, data.files.length]);
  assert.equal((await marker(app.page)).outcome, 'done');
  assert.match((await marker(app.page)).text, /Up to date/);

  await app.page.reload();
  await opened(app.page);
  await ingest(app.page, data.files);
  const m = await marker(app.page);
  assert.equal(m.outcome, 'nothing');
  assert.match(m.text, /3 files are already in the baseline/);
  assert.match((await app.page.locator('[role="status"]').allTextContents()).join('\n'), /Already in the baseline/);
  assert.deepEqual(await counts(app.page), before);
});

test('PAN-OS times read without a zone say which zone was assumed and where to change it; a Zeek history does not', async () => {
  await showOverview(app.page);
  const note = app.page.getByTestId('zone-note');
  assert.match(
    (await note.textContent()) ?? '',
    /PAN-OS writes its log times without a time zone: 3 files were read as UTC \(assumed\)/,
  );
  await note.getByRole('button', { name: 'Time zone' }).click();
  await app.page.getByRole('dialog', { name: 'Detection settings' }).getByRole('button', { name: 'Cancel' }).click();

  await freshStart(app);
  await opened(app.page);
  await ingest(app.page, zeek.files);
  await showOverview(app.page);
  await app.page.getByTestId('summary-files').waitFor();
  assert.equal(await note.count(), 0);
  // Issue 11: the sensor formats are named.
  await app.page.getByText('Files, skipped lines and other log types').click();
  assert.match((await app.page.locator('.files table').textContent()) ?? '', /Zeek http\.log \(TSV\)/);
});

test('the page threw no uncaught error', () => {
  assertNoUncaughtErrors(app);
});

test('no request left the page origin', () => {
  assertOnlyOwnOrigin(app);
});
