// Settings with limits and a visible state: a number outside its range is
// refused in the dialog with the reason (and by the CLI, with the same), and a
// banner shows while anything differs from the defaults, with a way back.
// Explanations say when less history than the window existed. A suppression
// made from an alert hides it, says what it hides, is stored and goes into
// the state file, and the CLI given the same settings agrees.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import {
  assertNoUncaughtErrors,
  assertOnlyOwnOrigin,
  cli,
  comparable,
  currentRun,
  download,
  exportedAlerts,
  generateDataset,
  ingest,
  jsonLines,
  launchApp,
  removeDirs,
  storedHistoryOpened,
  tempDir,
  waitForRunAfter,
  type AlertRecordLike,
  type App,
} from './harness.ts';

type Full = AlertRecordLike & {
  id: string;
  settings: Record<string, unknown>;
  explanation: AlertRecordLike['explanation'] & {
    window_days: number;
    history_start: string;
    history_days: number;
    history_covers_window: boolean;
  };
};

const DAY_MS = 86_400_000;
let app: App;
let work: string;
let data: { dir: string; files: string[] };

const opened = storedHistoryOpened;

/** `offbrowse detect --json --settings` over the dataset, with these settings. */
async function cliWith(settings: Record<string, unknown>): Promise<{ alerts: AlertRecordLike[]; stderr: string; code: number }> {
  const path = join(work, `settings-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(path, JSON.stringify(settings));
  const r = await cli(['detect', '--json', '--settings', path, ...data.files]);
  return { alerts: r.code === 0 ? jsonLines<AlertRecordLike>(r.stdout) : [], stderr: r.stderr, code: r.code };
}

function settingsDialog(page: Page) {
  return page.getByRole('dialog', { name: 'Detection settings' });
}

async function apply(page: Page): Promise<void> {
  const run = await currentRun(page);
  await settingsDialog(page).getByRole('button', { name: 'Apply' }).click();
  await waitForRunAfter(page, run);
}

before(async () => {
  work = await tempDir();
  data = await generateDataset(['--days', '20', '--hosts', '40', '--seed', '3']);
  app = await launchApp();
  await opened(app.page);
  await ingest(app.page, data.files);
});

after(async () => {
  await app?.close();
  await removeDirs(work, data?.dir);
});

test('a number outside its range is refused in the dialog with the reason, as the CLI refuses it', async () => {
  const page = app.page;
  await page.getByRole('button', { name: 'Settings' }).click();
  const dialog = settingsDialog(page);
  const window = dialog.getByTestId('setting-trainingDays');
  await window.fill('0');
  const error = dialog.getByTestId('setting-error');
  await error.waitFor();
  assert.equal(
    await error.textContent(),
    'Refused: must be from 0.5 to 365 days (a shorter window finds nearly every event new; a year is as far back as a baseline usefully looks); got 0',
  );
  assert.equal(await dialog.getByRole('button', { name: 'Apply' }).isDisabled(), true);
  await dialog.getByTestId('setting-rareHosts').fill('2.5');
  assert.match((await dialog.getByTestId('setting-error').allTextContents()).join('\n'), /rareHosts|must be a whole number/);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  assert.equal(await page.getByTestId('settings-banner').count(), 0, 'nothing was applied');

  const r = await cliWith({ trainingDays: 0 });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /setting "trainingDays" must be from 0\.5 to 365 days \(a shorter window finds nearly every event new/);
});

test('a banner shows while settings differ from the defaults, and resets them', async () => {
  const page = app.page;
  const defaults = await exportedAlerts(page);
  await page.getByRole('button', { name: 'Settings' }).click();
  await settingsDialog(page).getByTestId('setting-trainingDays').fill('7');
  await apply(page);
  const banner = page.getByTestId('settings-banner');
  assert.match((await banner.textContent()) ?? '', /Settings differ from the defaults: training window 7 days \(default 30\)/);
  const seven = (await exportedAlerts(page)) as Full[];
  assert.ok(seven.every((a) => a.settings.trainingDays === 7));
  assert.deepEqual(comparable(seven), comparable((await cliWith({ trainingDays: 7 })).alerts));

  // Kept across a reload, banner and all.
  await page.reload();
  await opened(page);
  await banner.waitFor();
  const run = await currentRun(page);
  await banner.getByTestId('settings-reset').click();
  await waitForRunAfter(page, run);
  assert.equal(await banner.count(), 0);
  assert.deepEqual(comparable(await exportedAlerts(page)), comparable(defaults));
});

test('an explanation says when less history than the window existed before the alert', async () => {
  const page = app.page;
  const alerts = (await exportedAlerts(page)) as Full[];
  const start = Date.UTC(2026, 8, 1);
  const target = alerts[0];
  const history = (Date.parse(target.first_seen) - start) / DAY_MS;
  assert.ok(history < 30);
  assert.equal(target.explanation.history_start, '2026-09-01T00:00:00.000Z');
  assert.equal(target.explanation.history_days, Math.floor(history * 100) / 100);
  assert.equal(target.explanation.history_covers_window, false);
  await page.locator(`[data-testid="alert-row"][data-alert-id="${target.id}"]`).click();
  const detail = page.getByTestId('alert-detail');
  const shown = Math.floor(history * 10) / 10;
  const words = `only ${Number.isInteger(shown) ? shown : shown.toFixed(1)} days of history before this event (window 30)`;
  assert.ok(((await detail.getByTestId('why').textContent()) ?? '').includes(words), `the reason says "${words}"`);
  assert.match((await detail.getByTestId('short-history').textContent()) ?? '', /the baseline had not seen the whole window/);
  await page.keyboard.press('Escape');
});

test('a suppression made from an alert hides it, says what it hides, is kept in storage and the state file, and the CLI agrees', async () => {
  const page = app.page;
  const before = (await exportedAlerts(page)) as Full[];
  const target = before[before.length - 1];
  await page.locator(`[data-testid="alert-row"][data-alert-id="${target.id}"]`).click();
  const run = await currentRun(page);
  await page.getByTestId('alert-detail').getByTestId('suppress-pair').click();
  // Asked first (tests/browser/suppress.test.ts covers the dialog): a reason and an author go with the entry.
  const ask = page.getByTestId('suppress-dialog');
  await ask.getByTestId('suppress-reason').fill('known updater');
  await ask.getByTestId('suppress-author').fill('tester');
  await ask.getByTestId('suppress-save').click();
  await waitForRunAfter(page, run);
  const added = await ask.getByTestId('suppress-date').count();
  assert.equal(added, 0, 'the dialog closed');
  const after = (await exportedAlerts(page)) as Full[];
  const hidden = before.filter((a) => a.client === target.client && a.domain === target.domain);
  assert.deepEqual(
    after.map((a) => a.id),
    before.filter((a) => !hidden.includes(a)).map((a) => a.id),
  );
  const today = new Date().toISOString().slice(0, 10);
  const entry = { client: target.client, domain: target.domain, reason: 'known updater', author: 'tester', added: today };
  assert.ok(after.every((a) => JSON.stringify(a.settings.suppress) === JSON.stringify([entry])));
  assert.match((await page.getByTestId('settings-banner').textContent()) ?? '', /1 suppression/);

  await page.reload();
  await opened(page);
  await page.getByRole('button', { name: 'Settings' }).click();
  const row = settingsDialog(page).getByTestId('suppression');
  assert.equal(await row.count(), 1);
  assert.equal(await row.getByRole('textbox', { name: 'Client' }).inputValue(), target.client);
  const events = hidden.reduce((n, a) => n + a.count, 0);
  assert.equal(
    await row.getByTestId('suppression-hides').textContent(),
    `${hidden.length} ${hidden.length === 1 ? 'alert' : 'alerts'} (${events} ${events === 1 ? 'event' : 'events'})`,
  );
  await settingsDialog(page).getByRole('button', { name: 'Cancel' }).click();

  const state = gunzipSync((await download(page, 'export-state')).bytes)
    .toString('utf8')
    .split('\n');
  assert.deepEqual(JSON.parse(state[0]).settings.suppress, [entry]);

  const r = await cliWith({ suppress: [entry] });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(comparable(r.alerts), comparable(after));
  assert.match(r.stderr, new RegExp(`suppressed alerts \\(left out by the settings' suppression list\\): ${hidden.length} `));

  // Taken out again: the alert is back.
  await page.getByRole('button', { name: 'Settings' }).click();
  await settingsDialog(page).getByRole('button', { name: 'Take out this suppression' }).click();
  await apply(page);
  assert.deepEqual(
    (await exportedAlerts(page)).map((a) => (a as Full).id),
    before.map((a) => a.id),
  );
});

test('the page threw no uncaught error', () => {
  assertNoUncaughtErrors(app);
});

test('no request left the page origin', () => {
  assertOnlyOwnOrigin(app);
});
