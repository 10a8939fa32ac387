// Triage: each alert has a status (new, investigating, benign, malicious) and
// a note, with when they changed. It is set in the alert's detail, shown in
// the table, kept across reloads, filtered and exported by status, and kept
// for alerts that still exist when detection runs again with other settings.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import Papa from 'papaparse';
import {
  assertNoUncaughtErrors,
  assertOnlyOwnOrigin,
  currentRun,
  download,
  exportedAlerts,
  generateDataset,
  ingest,
  launchApp,
  removeDirs,
  waitForRunAfter,
  type AlertRecordLike,
  type App,
} from './harness.ts';

interface Triaged extends AlertRecordLike {
  id: string;
  triage: { status: string; note: string; changed_at: string | null };
}

let app: App;
let data: { dir: string; files: string[] };
/** The alert triaged here: the latest, so it stays when a longer activation drops the earlier ones. */
let target: Triaged;
/** Days from the first event to the target's day: the activation that keeps it and drops earlier days' alerts. */
let activationDays: number;
const NOTE = 'Backup agent on the file server; owner confirmed (INC-4711)';

async function opened(page: Page): Promise<void> {
  await page.locator('[data-storage="indexeddb"]').waitFor({ state: 'attached', timeout: 60_000 });
}

function row(page: Page, id: string) {
  return page.locator(`[data-testid="alert-row"][data-alert-id="${id}"]`);
}

async function triaged(page: Page): Promise<Triaged[]> {
  return (await exportedAlerts(page)) as Triaged[];
}

before(async () => {
  data = await generateDataset(['--days', '30', '--hosts', '40', '--seed', '3']);
  app = await launchApp();
  await opened(app.page);
  await ingest(app.page, data.files);
  const alerts = (await triaged(app.page)).sort((a, b) => Date.parse(a.first_seen) - Date.parse(b.first_seen));
  target = alerts[alerts.length - 1];
  // The generated days start on 2026-09-01 with events from midnight.
  activationDays = Math.floor((Date.parse(target.first_seen) - Date.UTC(2026, 8, 1)) / 86_400_000);
  assert.ok(
    Date.parse(alerts[0].first_seen) < Date.UTC(2026, 8, 1) + activationDays * 86_400_000,
    'alerts on earlier days to drop',
  );
});

after(async () => {
  await app?.close();
  await removeDirs(data?.dir);
});

test('every alert starts as new, in the table and in the exports', async () => {
  const alerts = await triaged(app.page);
  assert.ok(alerts.length > 1);
  for (const a of alerts) assert.deepEqual(a.triage, { status: 'new', note: '', changed_at: null });
  const statuses = await app.page.getByTestId('alert-status').allTextContents();
  assert.deepEqual([...new Set(statuses.map((s) => s.trim()))], ['New']);
});

test('a status and a note set in the detail show in the table and survive a reload', async () => {
  await row(app.page, target.id).click();
  const detail = app.page.getByTestId('alert-detail');
  await detail.getByTestId('triage-status').selectOption('benign');
  await detail.getByText(/^Changed /).waitFor();
  await detail.getByTestId('triage-note').fill(NOTE);
  await detail.getByTestId('triage-note').blur();
  await row(app.page, target.id).getByText('Benign').waitFor();
  await app.page.keyboard.press('Escape');

  const saved = (await triaged(app.page)).find((a) => a.id === target.id)!;
  assert.equal(saved.triage.status, 'benign');
  assert.equal(saved.triage.note, NOTE);
  assert.ok(saved.triage.changed_at !== null && Date.now() - Date.parse(saved.triage.changed_at) < 120_000, 'when it changed');

  await app.page.reload();
  await opened(app.page);
  await row(app.page, target.id).getByText('Benign').waitFor();
  await row(app.page, target.id).click();
  assert.equal(await detail.getByTestId('triage-status').inputValue(), 'benign');
  assert.equal(await detail.getByTestId('triage-note').inputValue(), NOTE);
  await app.page.keyboard.press('Escape');
  assert.deepEqual((await triaged(app.page)).find((a) => a.id === target.id)?.triage, saved.triage);
});

test('the table filters by status, and the exports hold the filtered alerts with their triage', async () => {
  const all = await app.page.getByTestId('alert-row').count();
  await app.page.getByTestId('status-filter').selectOption('benign');
  await app.page.waitForFunction(() => document.querySelectorAll('[data-testid="alert-row"]').length === 1);
  assert.equal(await row(app.page, target.id).count(), 1);

  const json = await triaged(app.page);
  assert.deepEqual(
    json.map((a) => a.id),
    [target.id],
  );
  assert.equal(json[0].triage.note, NOTE);
  const csv = Papa.parse<Record<string, string>>((await download(app.page, 'export-csv')).text.replace(/^\uFEFF/, ''), {
    header: true,
    skipEmptyLines: true,
  });
  assert.deepEqual(csv.errors, []);
  assert.deepEqual(
    csv.data.map((r) => [r.id, r.triage_status, r.triage_note]),
    [[target.id, 'benign', NOTE]],
  );

  await app.page.getByTestId('status-filter').selectOption('open');
  await app.page.waitForFunction((n) => document.querySelectorAll('[data-testid="alert-row"]').length === n, all - 1);
  const open = await triaged(app.page);
  assert.equal(open.length, all - 1);
  assert.ok(open.every((a) => a.triage.status === 'new'));
  await app.page.getByTestId('status-filter').selectOption('');
  await app.page.waitForFunction((n) => document.querySelectorAll('[data-testid="alert-row"]').length === n, all);
});

test('detection run again with other settings keeps the triage of alerts that still exist', async () => {
  const before = await triaged(app.page);
  await app.page.getByRole('button', { name: 'Settings' }).click();
  const dialog = app.page.getByRole('dialog', { name: 'Detection settings' });
  // A longer activation: no alerts before the target's day. The baseline is the same, so the target stays as it was.
  await dialog.getByRole('spinbutton', { name: /Activation period/ }).fill(String(activationDays));
  const run = await currentRun(app.page);
  await dialog.getByRole('button', { name: 'Apply' }).click();
  await waitForRunAfter(app.page, run);

  const after = await triaged(app.page);
  assert.ok(
    after.length < before.length,
    `fewer alerts with a ${activationDays}-day activation (${after.length} of ${before.length})`,
  );
  const kept = after.find((a) => a.id === target.id);
  assert.ok(kept, 'the triaged alert is still there');
  assert.deepEqual(kept.triage, before.find((a) => a.id === target.id)?.triage);

  // The settings are kept too, and with them the same alerts and triage after a reload.
  await app.page.reload();
  await opened(app.page);
  await row(app.page, target.id).getByText('Benign').waitFor();
  assert.deepEqual(await triaged(app.page), after);
});

test('the page threw no uncaught error', () => {
  assertNoUncaughtErrors(app);
});

test('no request left the page origin', () => {
  assertOnlyOwnOrigin(app);
});
