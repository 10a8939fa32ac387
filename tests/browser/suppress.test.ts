// Nothing destructive in one click (issue 19, "The tab, as found" 1): a
// suppression says how many alerts it will hide before it is saved (counted
// by the worker), keeps a reason, an author (remembered) and the date, and is
// listed under Suppressed with the alerts it hides, from where it is taken
// out after a confirmation. "Reset to defaults" keeps the suppressions. The
// record survives the state file; a state without it still loads.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import {
  assertNoUncaughtErrors,
  assertOnlyOwnOrigin,
  currentRun,
  download,
  exportedAlerts,
  freshStart,
  launchApp,
  removeDirs,
  storedHistoryOpened,
  tempDir,
  waitForRunAfter,
  type AlertRecordLike,
  type App,
} from './harness.ts';

type Rec = AlertRecordLike & { id: string; settings: { suppress: Record<string, string>[]; trainingDays: number } };

let app: App;
let work: string;
let all: Rec[];
let target: Rec;
let hides: Rec[];
const today = new Date().toISOString().slice(0, 10);

const opened = storedHistoryOpened;

/** Opens an alert and asks to suppress its client and domain on every host; returns the dialog. */
async function askToSuppress(page: Page, id: string) {
  await page.locator(`[data-testid="alert-row"][data-alert-id="${id}"]`).click();
  await page.getByTestId('alert-detail').getByTestId('suppress-pair').click();
  const dialog = page.getByTestId('suppress-dialog');
  await dialog.getByTestId('suppress-reason').waitFor();
  return dialog;
}

async function closeDetail(page: Page): Promise<void> {
  await page.getByTestId('alert-detail').press('Escape');
  await page.getByTestId('alert-detail').waitFor({ state: 'detached' });
}

before(async () => {
  work = await tempDir();
  app = await launchApp({ open: '?demo' });
  await opened(app.page);
  await waitForRunAfter(app.page, null, 120_000);
  all = (await exportedAlerts(app.page)) as Rec[];
  // The pair with the most alerts, so the count is more than one.
  const byPair = new Map<string, Rec[]>();
  for (const a of all) byPair.set(`${a.client} ${a.domain}`, [...(byPair.get(`${a.client} ${a.domain}`) ?? []), a]);
  hides = [...byPair.values()].sort((a, b) => b.length - a.length)[0];
  target = hides[0];
  assert.ok(hides.length > 1, 'a pair with several alerts');
});

after(async () => {
  await app?.close();
  await removeDirs(work);
});

test('before it is saved, a suppression says how many alerts it hides; Cancel changes nothing', async () => {
  const page = app.page;
  const run = await currentRun(page);
  const dialog = await askToSuppress(page, target.id);
  const count = dialog.getByTestId('suppress-count');
  await page.waitForFunction(() => document.querySelector('[data-testid="suppress-count"]')?.getAttribute('data-hides') !== '');
  assert.equal(await count.getAttribute('data-hides'), String(hides.length));
  assert.match((await count.textContent()) ?? '', new RegExp(`hides ${hides.length} alerts`));
  assert.equal(await dialog.getByTestId('suppressed-alert').count(), Math.min(20, hides.length));
  assert.equal(await dialog.getByTestId('suppress-date').textContent(), today);
  // A reason and an author are asked for: without them it cannot be saved.
  const save = dialog.getByTestId('suppress-save');
  assert.equal(await save.isDisabled(), true);
  await dialog.getByTestId('suppress-reason').fill('vendor updater, ticket 42');
  assert.equal(await save.isDisabled(), true, 'an author is asked for too');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.getByTestId('suppress-reason').waitFor({ state: 'detached' });
  await closeDetail(page);
  assert.equal(await currentRun(page), run, 'no run');
  assert.equal((await exportedAlerts(page)).length, all.length);
  assert.equal(await page.getByTestId('suppressed-view').count(), 0);
});

test('saved, it hides those alerts and the Suppressed view lists them with the reason, author and date', async () => {
  const page = app.page;
  const dialog = await askToSuppress(page, target.id);
  await dialog.getByTestId('suppress-reason').fill('vendor updater, ticket 42');
  await dialog.getByTestId('suppress-author').fill('Noor T.');
  const run = await currentRun(page);
  await dialog.getByTestId('suppress-save').click();
  await waitForRunAfter(page, run);
  const after = (await exportedAlerts(page)) as Rec[];
  assert.equal(after.length, all.length - hides.length);
  const entry = {
    client: target.client,
    domain: target.domain,
    reason: 'vendor updater, ticket 42',
    author: 'Noor T.',
    added: today,
  };
  assert.deepEqual(after[0].settings.suppress, [entry]);

  const view = page.getByTestId('suppressed-view');
  const row = view.getByTestId('suppressed-entry');
  assert.equal(await row.count(), 1);
  assert.equal(await row.getAttribute('data-hides'), String(hides.length));
  assert.match((await row.getByTestId('suppressed-count').textContent()) ?? '', new RegExp(`hides ${hides.length} alerts`));
  assert.equal(
    await row
      .getByTestId('suppressed-record')
      .textContent()
      .then((t) => t?.trim()),
    `“vendor updater, ticket 42” · Noor T. · ${today}`,
  );
  await row.locator('summary').click();
  await row.getByTestId('suppressed-alert').first().waitFor();
  assert.equal(await row.getByTestId('suppressed-alert').count(), Math.min(50, hides.length));
  const hosts = new Set(hides.map((a) => a.host));
  for (const text of await row.getByTestId('suppressed-alert').allTextContents()) {
    assert.ok(
      [...hosts].some((h) => text.includes(h)),
      `a hidden alert of one of the pair's hosts: ${text}`,
    );
  }

  // The author is offered again next time.
  const other = after.find((a) => a.client !== target.client || a.domain !== target.domain)!;
  const again = await askToSuppress(page, other.id);
  assert.equal(await again.getByTestId('suppress-author').inputValue(), 'Noor T.');
  await again.getByRole('button', { name: 'Cancel' }).click();
  await closeDetail(page);
});

test('"Reset to defaults" keeps the suppressions', async () => {
  const page = app.page;
  await page.getByRole('button', { name: 'Settings' }).click();
  const settings = page.getByRole('dialog', { name: 'Detection settings' });
  await settings.getByTestId('setting-trainingDays').fill('7');
  let run = await currentRun(page);
  await settings.getByRole('button', { name: 'Apply' }).click();
  await waitForRunAfter(page, run);
  // The entry's record went through the settings dialog unchanged.
  assert.equal(((await exportedAlerts(page)) as Rec[])[0].settings.suppress[0].reason, 'vendor updater, ticket 42');
  const reset = page.getByTestId('settings-reset');
  assert.equal(await reset.textContent().then((t) => t?.trim()), 'Reset to defaults, keep suppressions');
  run = await currentRun(page);
  await reset.click();
  await waitForRunAfter(page, run);
  const now = (await exportedAlerts(page)) as Rec[];
  assert.equal(now[0].settings.trainingDays, 30);
  assert.equal(now[0].settings.suppress.length, 1);
  assert.equal(now.length, all.length - hides.length);
  // Only the suppressions differ from the defaults now: nothing for Reset to do, so it is not offered.
  assert.equal(await page.getByTestId('settings-reset').count(), 0);
});

test('the record survives the state file, and a state written without it still loads', async () => {
  const page = app.page;
  const state = await download(page, 'export-state');
  const lines = gunzipSync(state.bytes).toString('utf8').split('\n');
  const header = JSON.parse(lines[0]);
  assert.equal(header.settings.suppress[0].author, 'Noor T.');
  const withRecord = join(work, 'with-record.jsonl.gz');
  await writeFile(withRecord, state.bytes);
  // As an older version wrote it: the entry alone.
  header.settings.suppress = [{ client: target.client, domain: target.domain }];
  const older = join(work, 'older.jsonl.gz');
  await writeFile(older, gzipSync([JSON.stringify(header), ...lines.slice(1)].join('\n')));

  for (const [path, record] of [
    [withRecord, `“vendor updater, ticket 42” · Noor T. · ${today}`],
    [older, 'No reason, author or date recorded (an entry from an older state or a settings file).'],
  ] as const) {
    await freshStart(app);
    await opened(page);
    const run = await currentRun(page);
    await page.getByTestId('import-state').setInputFiles(path);
    await waitForRunAfter(page, run);
    const row = page.getByTestId('suppressed-entry');
    assert.equal(await row.getAttribute('data-hides'), String(hides.length), `${path}: ${app.diagnostics()}`);
    assert.equal(
      await row
        .getByTestId('suppressed-record')
        .textContent()
        .then((t) => t?.trim()),
      record,
    );
  }
  assert.ok((await readFile(older)).length > 0);
});

test('taking a suppression out asks first; confirmed, its alerts are back', async () => {
  const page = app.page;
  const row = page.getByTestId('suppressed-entry');
  await row.getByTestId('suppressed-remove').click();
  const confirm = page.getByTestId('confirm-dialog').filter({ hasText: 'Remove the suppression' });
  assert.match((await confirm.textContent()) ?? '', new RegExp(`Its ${hides.length} alerts show again`));
  const run = await currentRun(page);
  await confirm.getByTestId('confirm-cancel').click();
  assert.equal(await row.count(), 1, 'Cancel keeps it');
  assert.equal(await currentRun(page), run);
  await row.getByTestId('suppressed-remove').click();
  await confirm.getByTestId('confirm-ok').click();
  await waitForRunAfter(page, run);
  assert.equal((await exportedAlerts(page)).length, all.length);
  assert.equal(await page.getByTestId('suppressed-view').count(), 0);
});

test('the page threw no uncaught error', () => {
  assertNoUncaughtErrors(app);
});

test('no request left the page origin', () => {
  assertOnlyOwnOrigin(app);
});
