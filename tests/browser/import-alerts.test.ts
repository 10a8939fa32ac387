// Bringing alerts back to the tab: alerts detected by an engine over more logs
// than a tab holds (here `offbrowse detect --engine duckdb`, whose JSON lines
// `offbrowse sql-result` also writes from another engine's result) are imported
// with "Import alerts…", shown and exported as they came, triaged, and their
// triage comes back when the same file is imported after a reload. The stored
// history is not touched, and a bad file is refused with the line at fault.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  assertNoUncaughtErrors,
  assertOnlyOwnOrigin,
  cli,
  exportedAlerts,
  generateDataset,
  importAlerts,
  jsonLines,
  launchApp,
  removeDirs,
  type App,
  showOverview,
} from './harness.ts';

let app: App;
let data: { dir: string; files: string[] };
let alertsFile = '';
let lines: Record<string, unknown>[] = [];

async function opened(page: Page): Promise<void> {
  await page.locator('[data-storage="indexeddb"]').waitFor({ state: 'attached', timeout: 60_000 });
}

before(async () => {
  data = await generateDataset(['--days', '20', '--hosts', '40', '--seed', '4']);
  const r = await cli(['detect', '--engine', 'duckdb', '--json', ...data.files]);
  assert.equal(r.code, 0, r.stderr);
  lines = jsonLines(r.stdout);
  assert.ok(lines.length > 1, 'the engine found alerts to import');
  alertsFile = join(data.dir, 'alerts.jsonl');
  await writeFile(alertsFile, r.stdout);
  app = await launchApp();
  await opened(app.page);
});

after(async () => {
  await app?.close();
  await removeDirs(data?.dir);
});

test('imported alerts are shown and exported exactly as the engine wrote them', async () => {
  await importAlerts(app.page, alertsFile);
  assert.equal(await app.page.getByTestId('alert-row').count(), lines.length);
  await showOverview(app.page);
  await app.page.getByTestId('imported-alerts').getByText('alerts.jsonl').waitFor();
  await app.page
    .getByRole('status')
    .filter({ hasText: /Showing \d+ alerts imported from alerts\.jsonl/ })
    .waitFor();
  const exported = (await exportedAlerts(app.page)) as unknown as Record<string, unknown>[];
  // Each record as the engine wrote it; in the table's order (most severe first), which is the export's.
  const byId = (list: Record<string, unknown>[]): Record<string, unknown>[] =>
    [...list].sort((a, b) => String(a.id).localeCompare(String(b.id)));
  assert.deepEqual(byId(exported.map(({ triage: _t, ...rest }) => rest)), byId(lines));
  const rows = await app.page
    .getByTestId('alert-row')
    .evaluateAll((els) =>
      els
        .sort((a, b) => Number(a.getAttribute('data-pos')) - Number(b.getAttribute('data-pos')))
        .map((el) => el.getAttribute('data-alert-id')),
    );
  assert.deepEqual(
    exported.map((r) => r.id),
    rows,
  );
});

test('triage given to an imported alert is saved, and comes back when the file is imported after a reload', async () => {
  const id = String(lines[lines.length - 1].id);
  const row = app.page.locator(`[data-testid="alert-row"][data-alert-id="${id}"]`);
  await row.click();
  const detail = app.page.getByTestId('alert-detail');
  await detail.getByTestId('triage-status').selectOption('malicious');
  await detail.getByText(/^Changed /).waitFor();
  await app.page.keyboard.press('Escape');
  await row.getByText('Malicious').waitFor();

  await app.page.reload();
  await opened(app.page);
  // The stored history was empty and still is: no alerts of its own.
  assert.equal(await app.page.getByTestId('alert-row').count(), 0);
  await importAlerts(app.page, alertsFile);
  await row.getByText('Malicious').waitFor();
  const back = (await exportedAlerts(app.page)) as unknown as { id: string; triage: { status: string } }[];
  assert.equal(back.find((a) => a.id === id)?.triage.status, 'malicious');
});

test('a file with a bad line is refused, naming the line, and changes nothing', async () => {
  const bad = join(data.dir, 'bad.jsonl');
  await writeFile(bad, `${JSON.stringify(lines[0])}\n{"variation": "other"}\n`);
  const before = await app.page.getByTestId('alert-row').count();
  await app.page.getByTestId('import-alerts').setInputFiles(bad);
  await app.page
    .getByRole('alert')
    .filter({ hasText: 'bad.jsonl was not imported: line 2: unknown variation "other"' })
    .waitFor();
  assert.equal(await app.page.getByTestId('alert-row').count(), before);
});

test('the page threw no uncaught error', () => {
  assertNoUncaughtErrors(app);
});

test('no request left the page origin', () => {
  assertOnlyOwnOrigin(app);
});
