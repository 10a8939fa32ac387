// Demo data and real data stay apart: the demo asked for over real logs
// opens as a separate in-memory session in a new tab; real logs dropped onto
// the demo offer to clear it first; any one file can be taken out of the
// history, and the alerts are those of the files left, their triage kept.
// The demo also comes as a Zeek sensor sees it, is read again in that form
// under new settings, and is replaced by the PAN-OS demo only when asked.
import assert from 'node:assert/strict';
import { basename } from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  assertNoUncaughtErrors,
  assertOnlyOwnOrigin,
  cli,
  cliAlerts,
  comparable,
  currentRun,
  exportedAlerts,
  freshStart,
  generateDataset,
  ingest,
  jsonLines,
  launchApp,
  pickFiles,
  removeDirs,
  waitForRunAfter,
  type AlertRecordLike,
  type App,
  showOverview,
} from './harness.ts';

type Triaged = AlertRecordLike & { id: string; triage: { status: string; note: string } };

const DEMO_TIMEOUT = 120_000;
/** The demo's files: 45 days, each the firewall's file and its three endpoint files (src/core/generate/index.ts datasetFiles). */
const DEMO_FILES = 180;
let app: App;
let data: { dir: string; files: string[] };

async function opened(page: Page): Promise<void> {
  await page.locator('[data-storage]:not([data-storage="opening"])').waitFor({ state: 'attached', timeout: 60_000 });
}

async function added(page: Page): Promise<number> {
  return Number(await page.getByTestId('summary-files').getAttribute('data-added'));
}

async function waitAdded(page: Page, n: number, timeout = DEMO_TIMEOUT): Promise<void> {
  await page.waitForFunction(
    (want) => document.querySelector('[data-testid="summary-files"]')?.getAttribute('data-added') === String(want),
    n,
    { timeout },
  );
}

async function cliJson(args: string[]): Promise<AlertRecordLike[]> {
  const r = await cli(args);
  assert.equal(r.code, 0, r.stderr.slice(-2000));
  return jsonLines<AlertRecordLike>(r.stdout);
}

/** What the drop bar says the history holds. */
async function bar(page: Page): Promise<string> {
  return ((await page.locator('.zone .text').textContent()) ?? '').replace(/\s+/g, ' ');
}

before(async () => {
  data = await generateDataset(['--days', '20', '--hosts', '40', '--seed', '3']);
  app = await launchApp();
  await opened(app.page);
});

after(async () => {
  await app?.close();
  await removeDirs(data?.dir);
});

test(
  'the demo asked for over real logs opens in a new tab of its own, and the stored history stays as it was',
  { timeout: DEMO_TIMEOUT * 2 },
  async () => {
    await ingest(app.page, data.files);
    const before = await exportedAlerts(app.page);
    await app.page.getByRole('button', { name: 'Load demo data' }).first().click();
    const dialog = app.page.getByTestId('choice-dialog');
    await dialog.getByRole('heading', { name: 'Keep the demo apart from your logs?' }).waitFor();
    assert.match((await dialog.textContent()) ?? '', new RegExp(`holds ${data.files.length} files of your own logs`));
    const [tab] = await Promise.all([app.context.waitForEvent('page'), dialog.getByTestId('demo-separate').click()]);
    try {
      assert.match(tab.url(), /\?demo&memory$/);
      await waitForRunAfter(tab, null, DEMO_TIMEOUT);
      assert.equal(await tab.locator('.app').getAttribute('data-storage'), 'memory');
      assert.match(
        (await tab.getByTestId('storage-banner').textContent()) ?? '',
        /A separate demo session: nothing here is saved, and the stored history is not touched/,
      );
      assert.equal(await added(tab), DEMO_FILES);
      assert.deepEqual(comparable(await exportedAlerts(tab)), comparable(await cliJson(['detect', '--demo', '--json'])));
    } finally {
      await tab.close();
    }
    // Here nothing changed, and nothing stored did either.
    assert.equal(await dialog.isVisible(), false);
    assert.equal(await added(app.page), data.files.length);
    await app.page.reload();
    await opened(app.page);
    await waitAdded(app.page, data.files.length);
    assert.deepEqual(await exportedAlerts(app.page), before);
  },
);

test('real logs dropped onto the demo offer to clear the demo first', { timeout: DEMO_TIMEOUT * 2 }, async () => {
  await freshStart(app);
  await opened(app.page);
  await app.page.getByRole('button', { name: 'Load demo data' }).first().click();
  await waitForRunAfter(app.page, null, DEMO_TIMEOUT);
  await app.page.getByRole('button', { name: 'Demo loaded' }).first().waitFor();
  await pickFiles(app.page, data.files);
  const dialog = app.page.getByTestId('choice-dialog');
  await dialog.getByRole('heading', { name: 'Clear the demo first?' }).waitFor();
  await dialog.getByTestId('drop-clear-demo').click();
  await app.page.waitForFunction(
    (n) =>
      document.querySelector('[data-testid="summary-files"]')?.getAttribute('data-added') === String(n) &&
      !document.querySelector('[data-testid="summary-files"]')?.textContent?.includes('demo'),
    data.files.length,
    { timeout: DEMO_TIMEOUT },
  );
  await app.page.waitForFunction(() =>
    document.querySelector('[data-testid="ingest-done"]')?.textContent?.includes('read 20 files'),
  );
  assert.match(await bar(app.page), /20 files loaded/);
  assert.doesNotMatch(await bar(app.page), /demo/);
  assert.deepEqual(comparable(await exportedAlerts(app.page)), comparable(await cliAlerts(data.files)));
  await app.page.getByRole('button', { name: 'Load demo data' }).first().waitFor();
});

test('one file can be removed: the alerts are those of the files left, and triage of alerts that remain is kept', async () => {
  const alerts = (await exportedAlerts(app.page)) as Triaged[];
  const last = data.files[data.files.length - 1];
  const keep = alerts.find((a) => a.evidence.every((e) => e.source.file !== basename(last)));
  assert.ok(keep, 'an alert that does not come from the last day');
  await app.page.locator(`[data-testid="alert-row"][data-alert-id="${keep.id}"]`).click();
  await app.page.getByTestId('alert-detail').getByTestId('triage-status').selectOption('malicious');
  await app.page
    .getByTestId('alert-detail')
    .getByText(/^Changed /)
    .waitFor();
  await app.page.keyboard.press('Escape');

  await showOverview(app.page);
  await app.page.getByText('Files, skipped lines and other log types').click();
  const row = app.page.locator('.files tbody tr', { has: app.page.getByText(basename(last), { exact: true }) });
  const run = await currentRun(app.page);
  await row.getByTestId('remove-file').click();
  await app.page
    .getByTestId('confirm-dialog')
    .getByRole('heading', { name: `Remove ${basename(last)} from the history?` })
    .waitFor();
  await app.page.getByTestId('confirm-ok').click();
  await waitForRunAfter(app.page, run);
  assert.equal(await added(app.page), data.files.length - 1);
  assert.equal(await app.page.getByTestId('coverage-files').textContent(), String(data.files.length - 1));
  const now = (await exportedAlerts(app.page)) as Triaged[];
  assert.deepEqual(comparable(now), comparable(await cliAlerts(data.files.slice(0, -1))));
  assert.equal(now.find((a) => a.id === keep.id)?.triage.status, 'malicious');

  // Dropped again in the same tab, it is read and added again.
  await ingest(app.page, [last]);
  assert.equal(await added(app.page), data.files.length);
  assert.deepEqual(comparable(await exportedAlerts(app.page)), comparable(await cliAlerts(data.files)));
});

test(
  'the demo as a Zeek sensor sees it: named, users absent, read again in that form, replaced only when asked',
  { timeout: DEMO_TIMEOUT * 4 },
  async () => {
    await freshStart(app);
    await opened(app.page);
    await app.page.getByRole('button', { name: 'Load the demo as a Zeek sensor sees it' }).click();
    await waitForRunAfter(app.page, null, DEMO_TIMEOUT);
    const zeek = await cliJson(['detect', '--demo', '--format', 'zeek', '--json']);
    assert.deepEqual(comparable(await exportedAlerts(app.page)), comparable(zeek));
    await showOverview(app.page);
    await app.page.getByText('Files, skipped lines and other log types').click();
    assert.match((await app.page.locator('.files table').textContent()) ?? '', /Zeek http\.log \(TSV\)/);

    await app.page.getByTestId('alert-row').first().click();
    assert.equal(await app.page.getByTestId('detail-user').textContent(), 'none: this source logs no user');
    await app.page.keyboard.press('Escape');

    // A setting used while reading: the demo is made again, as Zeek logs.
    const run = await currentRun(app.page);
    await app.page.getByRole('button', { name: 'Settings' }).click();
    const settings = app.page.getByRole('dialog', { name: 'Detection settings' });
    await settings.getByRole('combobox', { name: /Time zone/ }).fill('Europe/Berlin');
    await settings.getByRole('button', { name: 'Apply' }).click();
    await waitForRunAfter(app.page, run, DEMO_TIMEOUT);
    assert.match((await app.page.getByTestId('ingest-done').textContent()) ?? '', /read everything again/);
    assert.match((await app.page.locator('.files table').textContent()) ?? '', /Zeek http\.log \(TSV\)/);
    assert.doesNotMatch((await app.page.locator('.files table').textContent()) ?? '', /PAN-OS/);
    assert.deepEqual(comparable(await exportedAlerts(app.page)), comparable(zeek), 'Zeek times carry their zone');

    // The PAN-OS demo over it: asked first, then replaced.
    await app.page.getByRole('button', { name: 'Load demo data' }).first().click();
    const dialog = app.page.getByTestId('choice-dialog');
    await dialog.getByRole('heading', { name: 'Replace the Zeek sensor demo?' }).waitFor();
    await dialog.getByTestId('demo-replace').click();
    await app.page.getByRole('button', { name: 'Demo loaded' }).first().waitFor({ timeout: DEMO_TIMEOUT });
    await app.page.waitForFunction(() => !document.querySelector('.files table')?.textContent?.includes('Zeek'), undefined, {
      timeout: DEMO_TIMEOUT,
    });
    await waitAdded(app.page, DEMO_FILES);
  },
);

test('the page threw no uncaught error', () => {
  assertNoUncaughtErrors(app);
});

test('no request left the page origin', () => {
  assertOnlyOwnOrigin(app);
});
