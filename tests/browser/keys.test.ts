// The keyboard (issue 19, the tab, point 9), with real key presses: Escape
// goes back to the row of the alert being read; Escape in the note leaves the
// field first and a second one closes the panel; the bulk bar is one Tab from
// a picked row; `/` goes to the search except while typing; the "Time zone"
// link opens Settings on that field.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { assertNoUncaughtErrors, assertOnlyOwnOrigin, launchApp, showOverview, waitForRunAfter, type App } from './harness.ts';

const DEMO_TIMEOUT = 120_000;
let app: App;

function focused(page: Page): Promise<{ testid: string | null; id: string | null; setting: string | null; tag: string }> {
  return page.evaluate(() => {
    const el = document.activeElement;
    return {
      testid: el?.getAttribute('data-testid') ?? null,
      id: el?.getAttribute('data-alert-id') ?? null,
      setting: el?.getAttribute('data-setting') ?? null,
      tag: el?.tagName ?? '',
    };
  });
}

async function rowIds(page: Page): Promise<string[]> {
  return page.getByTestId('alert-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-alert-id') ?? ''));
}

before(async () => {
  app = await launchApp({ open: null });
  await app.page.setViewportSize({ width: 1440, height: 900 });
  await app.page.goto(`${app.base}?demo`);
  await waitForRunAfter(app.page, null, DEMO_TIMEOUT);
  await app.page.getByTestId('alert-row').first().waitFor();
});

after(async () => {
  await app?.close();
});

test('after moving with Down in the panel, Escape gives focus to the row of the alert being read', async () => {
  const page = app.page;
  const ids = await rowIds(page);
  await page.getByTestId('alert-row').first().focus();
  await page.keyboard.press('Enter');
  const detail = page.getByTestId('alert-detail');
  await detail.getByRole('heading', { name: /Evidence/ }).waitFor();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.waitForFunction(() => /^3 of /.test(document.querySelector('[data-testid="detail-position"]')?.textContent ?? ''));
  await page.keyboard.press('Escape');
  await detail.waitFor({ state: 'detached' });
  assert.deepEqual(await focused(page).then((f) => [f.testid, f.id]), ['alert-row', ids[2]]);
  // And the keys go on from there: Enter opens that alert again.
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /^3 of /.test(document.querySelector('[data-testid="detail-position"]')?.textContent ?? ''));
  await page.keyboard.press('Escape');
  await detail.waitFor({ state: 'detached' });
});

test('Escape in the note leaves the field and keeps the text; a second Escape closes the panel', async () => {
  const page = app.page;
  await page.keyboard.press('Enter');
  const detail = page.getByTestId('alert-detail');
  const note = detail.getByTestId('triage-note');
  await note.focus();
  await page.keyboard.type('checked with the owner');
  await page.keyboard.press('Escape');
  assert.equal(await detail.isVisible(), true, 'the panel stays open');
  assert.notEqual((await focused(page)).testid, 'triage-note', 'the field was left');
  assert.equal(await note.inputValue(), 'checked with the owner');
  await page.keyboard.press('Escape');
  await detail.waitFor({ state: 'detached' });
  await page.keyboard.press('Enter');
  assert.equal(await page.getByTestId('alert-detail').getByTestId('triage-note').inputValue(), 'checked with the owner');
  await page.keyboard.press('Escape');
  await detail.waitFor({ state: 'detached' });
});

test('from a picked row, one Tab reaches the bulk bar', async () => {
  const page = app.page;
  await page.getByTestId('alert-row').first().focus();
  await page.keyboard.press('Space');
  await page.getByTestId('bulk-bar').waitFor();
  await page.keyboard.press('Tab');
  const at = await page.evaluate(() => document.querySelector('[data-testid="bulk-bar"]')?.contains(document.activeElement));
  assert.equal(at, true, `Tab went to ${JSON.stringify(await focused(page))}`);
  await page.keyboard.press('Shift+Tab');
  assert.equal((await focused(page)).testid, 'alert-row', 'Shift+Tab goes back to the row');
  await page.keyboard.press('Space');
  await page.getByTestId('bulk-bar').waitFor({ state: 'detached' });
});

test('/ goes to the search, but is typed as a character in a field', async () => {
  const page = app.page;
  await page.getByTestId('alert-row').first().focus();
  await page.keyboard.press('/');
  assert.equal((await focused(page)).testid, 'alert-search');
  assert.equal(await page.getByTestId('alert-search').inputValue(), '', 'the / was not typed into it');
  await page.keyboard.type('POST');
  await page.keyboard.press('/');
  assert.equal(await page.getByTestId('alert-search').inputValue(), 'POST/', 'in the search, / is typed');
  await page.getByTestId('alert-search').fill('');
  const host = page.getByRole('combobox', { name: 'Host contains' });
  await host.focus();
  await page.keyboard.press('/');
  assert.equal(await host.inputValue(), '/');
  assert.equal((await focused(page)).tag, 'INPUT');
  assert.notEqual((await focused(page)).testid, 'alert-search');
  await host.fill('');
});

test('the "Time zone" link opens Settings on the time zone field, not on the close button', async () => {
  const page = app.page;
  await showOverview(page);
  const link = page.getByTestId('zone-note').getByRole('button', { name: 'Time zone' });
  await link.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Detection settings' });
  await dialog.waitFor();
  assert.equal((await focused(page)).setting, 'timeZone');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  // The Settings button names no field: the dialog opens as before.
  await page.getByRole('button', { name: 'Settings' }).click();
  await dialog.waitFor();
  assert.equal((await focused(page)).setting, null);
  await page.keyboard.press('Escape');
});

test('the page threw no uncaught error', () => {
  assertNoUncaughtErrors(app);
});

test('no request left the page origin', () => {
  assertOnlyOwnOrigin(app);
});
