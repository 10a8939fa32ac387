// Two tabs on one stored history, doing conflicting work: drops at once, a
// drop while the other tab changes settings, notes typed in both. Their work
// is serialised (a Web Lock on the history), neither overwrites the other's,
// the tab whose view fell behind says so and catches up on its own, and an
// upgrade of the database from elsewhere closes both tabs' connections (no
// deadlock) and tells them to reload.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  assertNoUncaughtErrors,
  assertOnlyOwnOrigin,
  cli,
  cliAlerts,
  comparable,
  download,
  exportedAlerts,
  generateDataset,
  jsonLines,
  launchApp,
  baselineCounts,
  pickFiles,
  removeDirs,
  storedHistoryOpened,
  tempDir,
  waitForRunAfter,
  type AlertRecordLike,
  type App,
} from './harness.ts';
import { gunzipSync } from 'node:zlib';

let app: App;
let a: Page;
let b: Page;
let data: { dir: string; files: string[] };
let work: string;
let first: string[];
let second: string[];
let third: string[];

/** Waits until the page is idle and its view is not behind another tab's work. */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(
    () =>
      document.querySelector('.app')?.getAttribute('data-run-step') === 'idle' &&
      document.querySelector('[data-testid="other-tab"][data-state="behind"]') === null,
    null,
    { timeout: 60_000, polling: 50 },
  );
}

before(async () => {
  [data, work] = await Promise.all([generateDataset(['--days', '21', '--hosts', '40', '--seed', '5']), tempDir()]);
  first = data.files.slice(0, 7);
  second = data.files.slice(7, 14);
  third = data.files.slice(14);
  app = await launchApp();
  a = app.page;
  b = await app.context.newPage();
  b.setDefaultTimeout(30_000);
  await b.goto(app.base);
  await Promise.all([storedHistoryOpened(a), storedHistoryOpened(b)]);
});

after(async () => {
  await app?.close();
  await removeDirs(data?.dir, work);
});

test('two tabs dropping at once both land, in turn, and the tab that fell behind says so and catches up', async () => {
  const expected = comparable(await cliAlerts([...first, ...second]));
  await Promise.all([pickFiles(a, first), pickFiles(b, second)]);
  await Promise.all([waitForRunAfter(a, null), waitForRunAfter(b, null)]);
  await Promise.all([baselineCounts(a, 14), baselineCounts(b, 14)]);
  // The tab that committed first learns of the other's commit afterwards, and catches up on its own.
  await Promise.any(
    [a, b].map((p) => p.locator('[data-testid="other-tab"][data-state="caught-up"]').waitFor({ timeout: 60_000 })),
  );
  await Promise.all([settled(a), settled(b)]);
  assert.deepEqual(comparable(await exportedAlerts(a)), expected, 'tab A shows both drops');
  assert.deepEqual(comparable(await exportedAlerts(b)), expected, 'tab B shows both drops');
});

test('a drop in one tab while the other changes the settings keeps both: every file, under the new settings', async () => {
  const settings = join(work, 'activation.json');
  await writeFile(settings, JSON.stringify({ activationDays: 10 }));
  const r = await cli(['detect', '--json', '--settings', settings, ...data.files]);
  assert.equal(r.code, 0, r.stderr);
  const expected = comparable(jsonLines<AlertRecordLike>(r.stdout));
  assert.notDeepEqual(expected, comparable(await cliAlerts(data.files)), 'the setting changes the alerts (the test has teeth)');

  const runA = await a.getByTestId('ingest-done').getAttribute('data-run');
  const runB = await b.getByTestId('ingest-done').getAttribute('data-run');
  await a.getByRole('button', { name: 'Settings' }).click();
  const dialog = a.getByRole('dialog', { name: 'Detection settings' });
  await dialog.getByTestId('setting-activationDays').fill('10');
  await Promise.all([dialog.getByRole('button', { name: 'Apply' }).click(), pickFiles(b, third)]);
  await Promise.all([waitForRunAfter(a, runA), waitForRunAfter(b, runB)]);
  for (const page of [a, b]) {
    await baselineCounts(page, 21);
    await page
      .getByTestId('settings-banner')
      .filter({ hasText: /activation 10 days/ })
      .waitFor({ timeout: 60_000 });
    await settled(page);
  }
  assert.deepEqual(comparable(await exportedAlerts(a)), expected, 'tab A: every file, activation after 10 days');
  assert.deepEqual(comparable(await exportedAlerts(b)), expected, 'tab B: every file, activation after 10 days');
});

/** Opens an alert in a tab and types a note, then leaves the field (saved at once). */
async function note(page: Page, id: string, text: string): Promise<void> {
  await page.locator(`[data-testid="alert-row"][data-alert-id="${id}"]`).click();
  const field = page.getByTestId('alert-detail').getByTestId('triage-note');
  await field.fill(text);
  await field.blur();
  await page
    .getByTestId('alert-detail')
    .getByText(/^Changed /)
    .waitFor();
  await page.keyboard.press('Escape');
}

test('notes typed in both tabs, on different alerts, are all kept', async () => {
  const ids = ((await exportedAlerts(a)) as (AlertRecordLike & { id: string })[]).map((x) => x.id);
  assert.ok(ids.length >= 2, 'two alerts to take notes on');
  await Promise.all([note(a, ids[0], 'typed in tab A'), note(b, ids[1], 'typed in tab B')]);
  const notes = async (page: Page): Promise<Record<string, string>> => {
    const file = await download(page, 'export-state');
    const lines = gunzipSync(file.bytes).toString('utf8').trim().split('\n');
    const out: Record<string, string> = {};
    for (const l of lines.map((x) => JSON.parse(x) as { t?: string; id?: string; note?: string })) {
      if (l.t === 'triage') out[l.id!] = l.note!;
    }
    return out;
  };
  const want = { [ids[0]]: 'typed in tab A', [ids[1]]: 'typed in tab B' };
  assert.deepEqual(await notes(a), want, "tab A's state file holds both notes");
  assert.deepEqual(await notes(b), want, "tab B's state file holds both notes");
  // Each tab shows the other's note, live.
  await a.locator(`[data-testid="alert-row"][data-alert-id="${ids[1]}"]`).click();
  await a.waitForFunction(
    () => (document.querySelector('[data-testid="triage-note"]') as HTMLTextAreaElement | null)?.value === 'typed in tab B',
  );
  await a.keyboard.press('Escape');
  await Promise.all([a.reload(), b.reload()]);
  await Promise.all([storedHistoryOpened(a), storedHistoryOpened(b)]);
  assert.deepEqual(await notes(b), want, 'both kept across a reload');
});

test('an upgrade of the database from elsewhere does not deadlock: both tabs let go and are told to reload', async () => {
  // A newer Offbrowse opening the database: a version above this one's (Dexie stores version n as 10n).
  const upgraded = await b.evaluate(
    () =>
      new Promise<string>((done) => {
        const open = indexedDB.open('offbrowse', 1000);
        let blocked = false;
        open.onblocked = () => (blocked = true);
        open.onsuccess = () => {
          open.result.close();
          done(blocked ? 'opened after a wait' : 'opened');
        };
        open.onerror = () => done(`failed: ${String(open.error)}`);
        setTimeout(() => done('still blocked after 20 s'), 20_000);
      }),
  );
  assert.match(upgraded, /^opened/, 'the upgrade went through: every older connection closed');
  for (const page of [a, b]) {
    const told = page.getByTestId('reload-needed');
    await told.waitFor();
    assert.match((await told.textContent()) ?? '', /A newer version of Offbrowse opened the stored history in another tab/);
  }
  // Reloaded, this version refuses the newer database plainly and works in memory.
  await a.reload();
  await a.locator('[data-storage="memory"]').waitFor({ state: 'attached' });
  assert.match(
    (await a.getByTestId('storage-banner').textContent()) ?? '',
    /written by a newer version of Offbrowse; open that version to use it/,
  );
});

test('the pages threw no uncaught error and made no request elsewhere', () => {
  assertNoUncaughtErrors(app);
  assertOnlyOwnOrigin(app);
});
