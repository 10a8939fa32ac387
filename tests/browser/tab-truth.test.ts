// Every number the page shows is the stored truth (issue 19, "The tab, as
// found" 2-5): after each kind of run every panel reads as it does after a
// fresh reload; a refused file is never remembered as loaded, a binary one is
// refused whole, and the line about it comes before its reason; "Active" means
// the baseline window before the latest event holds data, and the real sensor
// samples (two days, fourteen years apart) say so in numbers; bulk triage has
// no status picked for the analyst.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import {
  alertTexts,
  assertNoUncaughtErrors,
  assertOnlyOwnOrigin,
  currentRun,
  freshStart,
  generateDataset,
  ingest,
  launchApp,
  removeDirs,
  repoRoot,
  storedHistoryOpened,
  tempDir,
  waitForRunAfter,
  type App,
  showOverview,
} from './harness.ts';

const SENSORS = join(repoRoot, '..', 'shared', 'samples', 'sensors');
const SENSOR_FILES = [
  'suricata-eve-suricata-verify-1.json',
  'suricata-eve-suricatalog-1.json',
  'zeek-tsv-zeek-1.log',
  'zeek-tsv-zeek-3.log',
].map((f) => join(SENSORS, f));

let app: App;
let work: string;
let data: { dir: string; files: string[] };
let png: string;
let empty: string;
let truncated: string;

before(async () => {
  const missing = SENSOR_FILES.filter((f) => !existsSync(f));
  if (missing.length > 0)
    throw new Error(`the real sensor samples are missing (../shared/samples/sensors): ${missing.join(', ')}`);
  work = await tempDir();
  data = await generateDataset(['--days', '20', '--hosts', '40', '--seed', '3']);
  png = join(work, 'screenshot.png');
  // A PNG signature and header chunk, then bytes with newlines among them: a file the reader could cut into "lines".
  const noise = Buffer.alloc(24_000);
  for (let i = 0; i < noise.length; i++) noise[i] = (i * 7919) % 251 === 10 ? 10 : (i * 31) % 256;
  await writeFile(png, Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), noise]));
  empty = join(work, 'empty.log');
  await writeFile(empty, '');
  truncated = join(work, 'truncated.log.gz');
  const whole = gzipSync(await readFile(data.files[0]));
  await writeFile(truncated, whole.subarray(0, Math.floor(whole.length / 2)));
  app = await launchApp();
  await storedHistoryOpened(app.page);
});

after(async () => {
  await app?.close();
  await removeDirs(work, data?.dir);
});

function squash(t: string | null): string {
  return (t ?? '').replace(/\s+/g, ' ').trim();
}

/**
 * Every number the panels show: the summary's counts and stats, the stored
 * baseline, the alert counts and the files in the history (refused files of
 * this visit are not in the history, so they are left out).
 */
async function panels(page: Page): Promise<Record<string, unknown>> {
  await page.getByTestId('baseline-panel').waitFor();
  // The summary and the timeline are folded above the table until opened.
  if ((await page.getByTestId('overview-toggle').count()) > 0) await showOverview(page);
  const hasResults = (await page.getByTestId('summary-files').count()) > 0;
  if (hasResults) await page.getByTestId('shown-count').waitFor();
  const text = async (id: string): Promise<string> =>
    (await page.getByTestId(id).count()) === 0 ? '(none)' : squash(await page.getByTestId(id).first().textContent());
  const rows = await page.getByTestId('file-row').allTextContents();
  return {
    inHistory: hasResults ? await page.getByTestId('summary-files').getAttribute('data-added') : '(none)',
    linesRead: (await text('summary-files')).replace(/ · \d+ files? of this visit not added/, ''),
    timeCovered: await text('time-covered'),
    baselineState: await text('baseline-state'),
    alertTotal: await text('alert-total'),
    shown: await text('shown-count'),
    baseline: squash(await page.getByTestId('baseline-panel').locator('dl').textContent()),
    files: rows.map(squash).filter((r) => !/not read|empty: nothing added/.test(r)),
  };
}

/** The panels now, then after a reload: they must be the same. */
async function sameAfterReload(page: Page, what: string): Promise<Record<string, unknown>> {
  const now = await panels(page);
  await page.reload();
  await storedHistoryOpened(page);
  const reloaded = await panels(page);
  assert.deepEqual(now, reloaded, `after ${what}, the page reads as it does after a reload`);
  return now;
}

test('after each kind of run every panel reads as after a fresh reload', { timeout: 600_000 }, async () => {
  const page = app.page;
  // The demo first, on a fresh profile: the baseline panel read 0 hosts, clients and domains until a reload.
  await page.getByRole('button', { name: 'Load demo data' }).first().click();
  await waitForRunAfter(page, null, 120_000);
  const demo = await sameAfterReload(page, 'the demo');
  // Stitching names processes (more clients) and the 45 days each bring three endpoint files; the figures are
  // those of `offbrowse events` on the generated demo (distinct hosts, clients, domains; access + upload keys).
  assert.match(String(demo.baseline), /Hosts 172 Clients 40 Domains 33 Files 180 .* Baseline entries 594/i);

  await freshStart(app);
  await storedHistoryOpened(page);
  const half = Math.floor(data.files.length / 2);
  await ingest(page, data.files.slice(0, half));
  const first = await sameAfterReload(page, 'a first drop');
  assert.equal(first.inHistory, String(half));
  assert.doesNotMatch(String(first.baseline), /Hosts 0 /);

  await ingest(page, data.files.slice(half));
  const second = await sameAfterReload(page, 'a second drop');
  assert.equal(second.inHistory, String(data.files.length));

  await ingest(page, [png]);
  await sameAfterReload(page, 'a refused file');

  const run = await currentRun(page);
  await page.locator('summary', { hasText: 'Files, skipped lines' }).click();
  await page.getByTestId('remove-file').first().click();
  await page.getByTestId('confirm-dialog').filter({ hasText: 'from the history?' }).getByTestId('confirm-ok').click();
  await waitForRunAfter(page, run);
  const removed = await sameAfterReload(page, 'a removed file');
  assert.equal(removed.inHistory, String(data.files.length - 1));

  await page.getByRole('button', { name: 'Settings' }).click();
  const settings = page.getByRole('dialog', { name: 'Detection settings' });
  await settings.getByTestId('setting-trainingDays').fill('7');
  const before = await currentRun(page);
  await settings.getByRole('button', { name: 'Apply' }).click();
  await waitForRunAfter(page, before);
  const changed = await sameAfterReload(page, 'a settings change');
  assert.match(String(changed.baselineState), /of the 7 days before the latest event/, 'the new window is in force');
});

/** The run's status line, the page's notices, and where the status line stands against the first refusal. */
async function dropJunk(page: Page, files: string[]): Promise<{ notices: string; status: string; statusFirst: boolean }> {
  await ingest(page, files);
  const status = page.getByTestId('ingest-done');
  const statusFirst = await status.evaluate((el) => {
    const reason = document.querySelector('[data-testid="file-refused"], [data-testid="empty-file"]');
    return reason !== null && (el.compareDocumentPosition(reason) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
  });
  const notices = (await page.locator('p.callout.info[role="status"]').allTextContents()).join(' | ');
  return { notices, status: squash(await status.textContent()), statusFirst };
}

test('refused files, one at a time and together: never "already loaded", a binary file refused whole', async () => {
  const page = app.page;
  await freshStart(app);
  await storedHistoryOpened(page);
  for (const file of [png, empty, truncated]) {
    const got = await dropJunk(page, [file]);
    assert.match(got.status, /Nothing new: nothing was added, 1 file was not read \(the reason is below\)/);
    assert.ok(got.statusFirst, 'the line saying a file was not read comes before its reason');
    assert.doesNotMatch(got.notices, /Already loaded/);
  }
  const png1 = (await alertTexts(page)).filter((t) => t.includes('screenshot.png'));
  assert.equal(png1.length, 1);
  assert.match(png1[0], /a binary file, not a text log/);

  const together = await dropJunk(page, [empty, png, truncated]);
  assert.doesNotMatch(together.notices, /Already loaded/, 'none of them was ever loaded');
  assert.match(together.status, /3 files were not read \(the reasons are below\)/);
  assert.ok(together.statusFirst);
  // The files of this visit not added are listed per drop: each of the two drops of a file gave its reason.
  for (const name of ['screenshot.png', 'truncated.log.gz']) {
    assert.equal((await alertTexts(page)).filter((t) => t.includes(name)).length, 2, `a reason for ${name} per drop`);
  }
  assert.equal(await page.getByTestId('empty-file').count(), 2);

  // The PNG alone: no line of it counted or shown as a skipped line.
  await freshStart(app);
  await storedHistoryOpened(page);
  await dropJunk(page, [png]);
  assert.equal(await page.getByTestId('skipped-total').getAttribute('data-skipped'), '0');
  assert.equal(await page.getByTestId('skip-reasons').count(), 0);
  const cells = (await page.getByTestId('file-row').first().locator('td').allTextContents()).map(squash);
  assert.deepEqual([cells[0], ...cells.slice(3, 7)], ['screenshot.png', '0', '0', '0', 'not read'], 'no lines, events or skips');
});

test('the real sensor samples: two days of data over 5,017 days are not called Active, and the axis shows years', async () => {
  const page = app.page;
  await freshStart(app);
  await storedHistoryOpened(page);
  await ingest(page, SENSOR_FILES);
  await showOverview(page);
  assert.equal(squash(await page.getByTestId('days-with-data').textContent()), '2 days with data');
  assert.equal(squash(await page.getByTestId('days-spanned').textContent()), 'out of 5,017 days spanned');
  const state = page.getByTestId('baseline-state');
  assert.equal(await state.getAttribute('data-status'), 'empty');
  assert.doesNotMatch(squash(await state.textContent()), /Active/);
  assert.match(squash(await state.textContent()), /0 of the 30 days before the latest event hold data/);
  assert.equal(squash(await page.getByTestId('coverage-days').textContent()), '2');
  const ticks = await page.getByTestId('axis-tick').allTextContents();
  assert.ok(ticks.length > 1, 'the axis has labels');
  assert.ok(
    ticks.every((t) => /\b(20\d\d)\b/.test(t)),
    `every label names its year: ${ticks.join(', ')}`,
  );
  assert.ok(ticks.some((t) => t.includes('2008')) && ticks.some((t) => /20(1\d|2[0-2])/.test(t)));
});

test('bulk triage: two alerts ticked, no status is picked until the analyst picks one', async () => {
  const page = app.page;
  await freshStart(app);
  await storedHistoryOpened(page);
  await ingest(page, data.files);
  const picks = page.getByTestId('pick-row');
  await picks.nth(0).check();
  await picks.nth(1).check();
  const bar = page.getByTestId('bulk-bar');
  const apply = bar.getByTestId('bulk-apply');
  assert.equal(squash(await apply.textContent()), 'Set 2 alerts to…');
  assert.equal(await apply.isDisabled(), true);
  assert.equal(await bar.getByTestId('bulk-status').inputValue(), '');
  await bar.getByTestId('bulk-status').selectOption('benign');
  assert.equal(squash(await apply.textContent()), 'Set 2 alerts to benign');
  assert.equal(await apply.isDisabled(), false);
});

test('the page threw no uncaught error', () => {
  assertNoUncaughtErrors(app);
});

test('no request left the page origin', () => {
  assertOnlyOwnOrigin(app);
});
