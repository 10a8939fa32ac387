// The baseline that lasts: what is added is kept in the browser (IndexedDB)
// across reloads, and nothing is lost or counted twice. Two halves of a log
// added across a reload give the alerts of one batch; a file dropped again
// (after a reload, under another name) adds nothing; a page closed mid-file
// leaves the state as it was; a full disk, a corrupt or newer state file
// change nothing; the state file goes to a fresh profile and to and from the
// CLI whole; a reset asks first; with no IndexedDB the app says so.
import assert from 'node:assert/strict';
import { copyFile, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { gunzipSync, gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { serve } from '../../scripts/serve.js';
import {
  alertTexts,
  assertNoUncaughtErrors,
  baselineCounts,
  canWrite,
  assertOnlyOwnOrigin,
  cli,
  cliAlerts,
  comparable,
  concatFiles,
  currentRun,
  distDir,
  download,
  exportedAlerts,
  generateDataset,
  ingest,
  jsonLines,
  launchApp,
  launchProfile,
  pickFiles,
  removeDirs,
  storageOpened,
  tempDir,
  waitForRunAfter,
  type AlertRecordLike,
  type App,
} from './harness.ts';

let app: App;
let data: { dir: string; files: string[] };
let other: { dir: string; files: string[] };
let work: string;
let firstHalf: string;
let secondHalf: string;
/** `offbrowse detect --json` over both halves at once, and over the second alone. */
let expected: AlertRecordLike[];
let secondOnly: AlertRecordLike[];

async function reload(page: Page): Promise<void> {
  await page.reload();
  assert.equal(await storageOpened(page), 'indexeddb');
}

/** The state file the page exports (gzip JSON lines), its lines parsed, without the moment it was saved. */
async function exportedState(page: Page): Promise<{ name: string; bytes: Buffer; state: Record<string, unknown>[] }> {
  const file = await download(page, 'export-state');
  const lines = gunzipSync(file.bytes).toString('utf8').trim().split('\n');
  const state = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  state[0] = { ...state[0], savedAt: null };
  return { name: file.name, bytes: file.bytes, state };
}

/** Picks a state file in the import input; confirms replacing what is stored when asked. */
async function importState(page: Page, path: string, confirm: boolean): Promise<void> {
  const input = page.getByTestId('import-state');
  await input.setInputFiles(path);
  if (confirm) {
    const dialog = page.getByTestId('confirm-dialog').filter({ hasText: 'Replace the stored baseline?' });
    await dialog.waitFor();
    await dialog.getByTestId('confirm-ok').click();
  }
}

/** The first half of a file's lines into one file, the rest into another. */
async function splitLines(path: string, a: string, b: string): Promise<void> {
  const lines = (await readFile(path, 'utf8')).split('\n').filter((l) => l !== '');
  const mid = Math.floor(lines.length / 2);
  await writeFile(a, lines.slice(0, mid).join('\n') + '\n');
  await writeFile(b, lines.slice(mid).join('\n') + '\n');
}

before(async () => {
  [data, other, work] = await Promise.all([
    generateDataset(['--days', '30', '--hosts', '40', '--seed', '3']),
    generateDataset(['--days', '3', '--hosts', '40', '--seed', '9', '--start', '2026-10-10']),
    tempDir(),
  ]);
  const whole = await concatFiles(join(work, 'whole.log'), data.files);
  firstHalf = join(work, 'first-half.log');
  secondHalf = join(work, 'second-half.log');
  await splitLines(whole, firstHalf, secondHalf);
  [expected, secondOnly, app] = await Promise.all([cliAlerts([firstHalf, secondHalf]), cliAlerts([secondHalf]), launchApp()]);
  assert.ok(expected.length > 0, 'the log has alerts');
  assert.notDeepEqual(
    comparable(secondOnly),
    comparable(expected),
    'the second half alone gives other alerts (the test has teeth)',
  );
});

after(async () => {
  await app?.close();
  await removeDirs(data?.dir, other?.dir, work);
});

test('two halves of a log added across a reload, the later first, give the alerts of one batch', async () => {
  assert.equal(await storageOpened(app.page), 'indexeddb');
  await ingest(app.page, [secondHalf]);
  await reload(app.page);
  // What was stored comes back, analysed; opening it is not a run.
  assert.equal(await currentRun(app.page), null);
  await baselineCounts(app.page, 1);
  assert.deepEqual(comparable(await exportedAlerts(app.page)), comparable(secondOnly), app.diagnostics());

  await ingest(app.page, [firstHalf]);
  assert.deepEqual(comparable(await exportedAlerts(app.page)), comparable(expected), app.diagnostics());
  await reload(app.page);
  await baselineCounts(app.page, 2);
  assert.deepEqual(comparable(await exportedAlerts(app.page)), comparable(expected));
});

test('the same file dropped again, after a reload and under another name, adds nothing', async () => {
  const before = await baselineCounts(app.page, 2);
  const renamed = join(work, 'renamed-copy.log');
  await copyFile(secondHalf, renamed);
  const run = await currentRun(app.page);
  await pickFiles(app.page, [firstHalf, renamed]);
  await waitForRunAfter(app.page, run);
  const notice = (await app.page.getByText(/Already in the baseline/).textContent()) ?? '';
  assert.match(notice, /first-half\.log/);
  assert.match(notice, /renamed-copy\.log \(same content as second-half\.log\)/);
  assert.deepEqual(await baselineCounts(app.page), before);
  assert.deepEqual(comparable(await exportedAlerts(app.page)), comparable(expected));
  await reload(app.page);
  assert.deepEqual(await baselineCounts(app.page, 2), before);
  assert.deepEqual(comparable(await exportedAlerts(app.page)), comparable(expected));
});

test('closing the page part-way through a large file leaves the stored state as it was', async () => {
  const stateBefore = (await exportedState(app.page)).state;
  const countsBefore = await baselineCounts(app.page, 2);
  // Other days, repeated to about 100 MB: new content, slow enough to close the page part-way.
  const once = (await Promise.all(other.files.map((f) => stat(f)))).reduce((s, x) => s + x.size, 0);
  const big = await concatFiles(join(work, 'big.log'), other.files, Math.ceil(100e6 / once));
  await pickFiles(app.page, [big]);
  await app.page.waitForFunction(
    () => {
      const bar = document.querySelector('[aria-label="Reading progress"] [role="progressbar"][aria-valuenow]');
      const now = Number(bar?.getAttribute('aria-valuenow'));
      return now >= 1 && now <= 80;
    },
    null,
    { polling: 20, timeout: 60_000 },
  );
  await app.page.close();

  app.page = await app.context.newPage();
  await app.page.goto(app.base);
  assert.equal(await storageOpened(app.page), 'indexeddb');
  assert.deepEqual(await baselineCounts(app.page, 2), countsBefore);
  assert.deepEqual((await exportedState(app.page)).state, stateBefore);
  assert.deepEqual(comparable(await exportedAlerts(app.page)), comparable(expected));
});

test('a full disk: the drop is not added, the page says why, and the stored state is unchanged', async () => {
  const stateBefore = (await exportedState(app.page)).state;
  const cdp = await app.context.newCDPSession(app.page);
  try {
    // No room at all. Chromium applies the override once the origin's database files are opened
    // again, which happens a little after the last page using them has gone.
    for (let wait = 3000; ; wait *= 2) {
      await app.page.goto('about:blank');
      await app.page.waitForTimeout(wait);
      await cdp.send('Storage.overrideQuotaForOrigin', { origin: app.origin, quotaSize: 1 });
      await app.page.goto(app.base);
      assert.equal(await storageOpened(app.page), 'indexeddb');
      if (!(await canWrite(app.page, 10_000))) break;
      assert.ok(wait < 20_000, 'the quota override never took effect');
    }
    await pickFiles(app.page, other.files);
    const message = app.page.locator('[role="alert"]', { hasText: /no more storage/ });
    await message.waitFor({ timeout: 60_000 });
    // A drop is saved whole or not at all.
    assert.match(
      (await message.textContent()) ?? '',
      /The 3 files of this drop \(url-2026-10-10\.log, .*\) were not saved, so none of them was added/,
    );
    assert.match((await message.textContent()) ?? '', /The stored history is as it was/);
    assert.equal(await currentRun(app.page), null, 'the run did not complete');
    assert.deepEqual((await exportedState(app.page)).state, stateBefore);
  } finally {
    await cdp.send('Storage.overrideQuotaForOrigin', { origin: app.origin });
    await cdp.detach();
  }
  await reload(app.page);
  assert.deepEqual((await exportedState(app.page)).state, stateBefore);
});

let shared: { name: string; bytes: Buffer; state: Record<string, unknown>[] };
let sharedAlerts: AlertRecordLike[];

test('the exported state, imported into a fresh profile, restores everything', async () => {
  // Some triage, so that it travels too.
  await app.page.getByTestId('alert-row').first().click();
  await app.page.getByTestId('triage-status').selectOption('malicious');
  await app.page.getByTestId('triage-note').fill('exfiltration confirmed; host isolated');
  await app.page.getByTestId('triage-note').blur();
  await app.page
    .getByTestId('alert-detail')
    .getByText(/^Changed /)
    .waitFor();
  await app.page.keyboard.press('Escape');

  shared = await exportedState(app.page);
  assert.match(shared.name, /^offbrowse-state-\d{4}-\d\d-\d\d\.jsonl\.gz$/);
  const [header] = shared.state;
  assert.equal(header.format, 'offbrowse-state');
  assert.equal(header.version, 2);
  assert.equal((header.files as unknown[]).length, 2);
  const triage = shared.state.filter((l) => l.t === 'triage') as unknown as { status: string; note: string }[];
  assert.deepEqual(
    triage.map((t) => [t.status, t.note]),
    [['malicious', 'exfiltration confirmed; host isolated']],
  );
  assert.equal(shared.state.filter((l) => l.t === 'e').length, header.events);
  sharedAlerts = await exportedAlerts(app.page);
  const path = join(work, shared.name);
  await writeFile(path, shared.bytes);

  const fresh = await launchApp();
  try {
    assert.equal(await storageOpened(fresh.page), 'indexeddb');
    assert.equal(await fresh.page.getByTestId('alert-row').count(), 0, 'a fresh profile holds nothing');
    const run = await currentRun(fresh.page);
    await importState(fresh.page, path, false);
    await waitForRunAfter(fresh.page, run);
    await baselineCounts(fresh.page, 2);
    const alerts = await exportedAlerts(fresh.page);
    assert.deepEqual(alerts, sharedAlerts, 'the same alerts, evidence and triage');
    assert.deepEqual((await exportedState(fresh.page)).state, shared.state);
    await reload(fresh.page);
    assert.deepEqual(await exportedAlerts(fresh.page), sharedAlerts);
    assert.deepEqual((await exportedState(fresh.page)).state, shared.state);
    assertNoUncaughtErrors(fresh);
    assertOnlyOwnOrigin(fresh);
  } finally {
    await fresh.close();
  }
});

test('the browser state file works with `offbrowse detect --state`, and the CLI one in the browser', async () => {
  // Browser to CLI: with the state, a half already in it adds nothing and the alerts are the browser's.
  const fromBrowser = join(work, 'from-browser.jsonl.gz');
  await writeFile(fromBrowser, shared.bytes);
  const r = await cli(['detect', '--json', '--state', fromBrowser, firstHalf]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(comparable(jsonLines<AlertRecordLike>(r.stdout)), comparable(sharedAlerts));
  assert.match(r.stderr, /state saved/);

  // CLI to browser: a state the CLI made from both halves gives the CLI's alerts.
  const fromCli = join(work, 'from-cli.jsonl.gz');
  const c = await cli(['detect', '--json', '--state', fromCli, secondHalf, firstHalf]);
  assert.equal(c.code, 0, c.stderr);
  const cliRecords = jsonLines<AlertRecordLike>(c.stdout);
  const run = await currentRun(app.page);
  await importState(app.page, fromCli, true);
  await waitForRunAfter(app.page, run);
  const got = await exportedAlerts(app.page);
  assert.deepEqual(comparable(got), comparable(cliRecords));
  assert.deepEqual(comparable(got), comparable(expected));
  // Replacing everything took the triage with it: the CLI's state had none.
  assert.ok(got.every((a) => (a as unknown as { triage: { status: string } }).triage.status === 'new'));
});

test('a corrupt or newer state file is refused with a clear message, and nothing changes', async () => {
  const stateBefore = (await exportedState(app.page)).state;
  const lines = shared.state.map((l, i) => JSON.stringify(i === 0 ? { ...l, savedAt: '' } : l));
  const cases: [string, Buffer, RegExp][] = [
    [
      'newer.jsonl.gz',
      gzipSync(JSON.stringify({ ...shared.state[0], version: 99 }) + '\n'),
      /state file version 99 is newer than this Offbrowse reads/,
    ],
    ['truncated.jsonl.gz', shared.bytes.subarray(0, shared.bytes.length >> 1), /could not be read as a state file|cut short/],
    [
      'events.jsonl.gz',
      gzipSync([lines[0], '{"t":"e","time":"noon"}', ...lines.slice(1)].join('\n') + '\n'),
      /corrupt state file: the event on line 2/,
    ],
    [
      'old-newer.json',
      Buffer.from(
        JSON.stringify({
          format: 'offbrowse-state',
          version: 1,
          settings: {},
          counts: {},
          files: [],
          events: [{ time: 'noon' }],
        }),
      ),
      /corrupt state file/,
    ],
  ];
  for (const [name, bytes, why] of cases) {
    const path = join(work, name);
    await writeFile(path, bytes);
    await importState(app.page, path, true);
    const message = app.page.locator('[role="alert"]', { hasText: name });
    await message.waitFor();
    const said = (await message.textContent()) ?? '';
    assert.match(said, why);
    assert.match(said, /Nothing was changed/);
  }
  assert.deepEqual((await exportedState(app.page)).state, stateBefore);
  await reload(app.page);
  assert.deepEqual((await exportedState(app.page)).state, stateBefore);
});

test('reset asks first, then deletes everything, and a reload finds nothing', async () => {
  await app.page.getByTestId('reset-state').click();
  const dialog = app.page.getByTestId('confirm-dialog').filter({ hasText: 'Delete the stored baseline?' });
  await dialog.getByTestId('confirm-cancel').click();
  assert.equal((await baselineCounts(app.page)).files, 2, 'cancelled: nothing deleted');

  const run = await currentRun(app.page);
  await app.page.getByTestId('reset-state').click();
  await dialog.getByTestId('confirm-ok').click();
  await waitForRunAfter(app.page, run);
  assert.deepEqual(await baselineCounts(app.page, 0), { files: 0, events: 0 });
  assert.equal(await app.page.getByTestId('alert-row').count(), 0);
  await reload(app.page);
  assert.deepEqual(await baselineCounts(app.page, 0), { files: 0, events: 0 });
  assert.equal(await app.page.getByTestId('alert-row').count(), 0);
});

test('with no IndexedDB the app runs in memory, says so plainly, and still works', async () => {
  // Blocking site data for every site (a policy some machines have) takes IndexedDB away.
  const server = await serve({ root: distDir });
  const profile = await tempDir('offbrowse-profile-');
  await mkdir(join(profile, 'Default'), { recursive: true });
  await writeFile(
    join(profile, 'Default', 'Preferences'),
    JSON.stringify({ profile: { default_content_setting_values: { cookies: 2 } } }),
  );
  const context = await launchProfile(profile);
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const thrown: string[] = [];
    page.on('pageerror', (e) => thrown.push(e.message));
    await page.goto(server.url);
    assert.equal(await storageOpened(page), 'memory');
    const banner = page.getByTestId('storage-banner');
    assert.match(
      (await banner.textContent()) ?? '',
      /Not saved: this browser gives no storage here; everything stays in this tab/,
    );
    await ingest(page, [firstHalf, secondHalf]);
    assert.deepEqual(comparable(await exportedAlerts(page)), comparable(expected));
    assert.equal((await baselineCounts(page, 2)).files, 2);
    assert.deepEqual(await alertTexts(page), [], 'no error beyond the banner');
    await page.reload();
    assert.equal(await storageOpened(page), 'memory');
    assert.equal(await page.getByTestId('alert-row').count(), 0, 'in memory, a reload keeps nothing');
    assert.deepEqual(thrown, []);
  } finally {
    await context.close();
    await server.close();
    await removeDirs(profile);
  }
});

test('the page threw no uncaught error', () => {
  assertNoUncaughtErrors(app);
});

test('no request left the page origin', () => {
  assertOnlyOwnOrigin(app);
});
