// Nothing typed is lost: a triage note is saved as it is typed (debounced),
// and Escape, the close button, moving to another alert and a reload all keep
// it, including a reload a moment after the last keystroke, before the
// debounced save could run (the note waits in localStorage and is saved on
// the next visit).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  assertNoUncaughtErrors,
  assertOnlyOwnOrigin,
  exportedAlerts,
  generateDataset,
  ingest,
  launchApp,
  removeDirs,
  type AlertRecordLike,
  type App,
} from './harness.ts';

type Triaged = AlertRecordLike & { id: string; triage: { status: string; note: string } };

let app: App;
let data: { dir: string; files: string[] };
let ids: string[];

async function opened(page: Page): Promise<void> {
  await page.locator('[data-storage="indexeddb"]').waitFor({ state: 'attached', timeout: 60_000 });
}

function row(page: Page, id: string) {
  return page.locator(`[data-testid="alert-row"][data-alert-id="${id}"]`);
}

async function noteOf(id: string): Promise<string | undefined> {
  return ((await exportedAlerts(app.page)) as Triaged[]).find((a) => a.id === id)?.triage.note;
}

/** Opens an alert and returns its note field. */
async function openNote(id: string) {
  await row(app.page, id).click();
  const note = app.page.getByTestId('alert-detail').getByTestId('triage-note');
  await note.waitFor();
  return note;
}

before(async () => {
  data = await generateDataset(['--days', '24', '--hosts', '40', '--seed', '3']);
  app = await launchApp();
  await opened(app.page);
  await ingest(app.page, data.files);
  ids = ((await exportedAlerts(app.page)) as Triaged[]).map((a) => a.id);
  assert.ok(ids.length >= 3, 'alerts to take notes on');
});

after(async () => {
  await app?.close();
  await removeDirs(data?.dir);
});

test('a note typed and left with Escape (twice: the field, then the panel) is there when the alert opens again, and after a reload', async () => {
  const note = await openNote(ids[0]);
  await note.pressSequentially('Escape path: owner asked (INC-1)', { delay: 5 });
  // The first Escape leaves the field, text kept and the panel open; the second closes the panel.
  await app.page.keyboard.press('Escape');
  assert.equal(await note.evaluate((el) => el === document.activeElement), false, 'Escape left the note field');
  assert.equal(await note.inputValue(), 'Escape path: owner asked (INC-1)');
  assert.equal(
    await app.page.getByTestId('alert-detail').evaluate((el) => el === document.activeElement),
    true,
    'the drawer has the focus',
  );
  await app.page.keyboard.press('Escape');
  await app.page.getByTestId('alert-detail').waitFor({ state: 'detached' });
  assert.equal(await (await openNote(ids[0])).inputValue(), 'Escape path: owner asked (INC-1)');
  await app.page.getByTestId('detail-close').click();
  await app.page.reload();
  await opened(app.page);
  assert.equal(await (await openNote(ids[0])).inputValue(), 'Escape path: owner asked (INC-1)');
  await app.page.keyboard.press('Escape');
  assert.equal(await noteOf(ids[0]), 'Escape path: owner asked (INC-1)');
  assert.deepEqual(
    app.errors.filter((e) => /Cannot read properties of null/.test(e)),
    [],
    'closing with a note typed throws nothing',
  );
});

test('a note is saved as it is typed, without leaving the field', async () => {
  const note = await openNote(ids[1]);
  await note.pressSequentially('typed, still in the field', { delay: 5 });
  // The export reads what the worker saved: the debounced save gets there while the field keeps focus.
  await app.page.waitForFunction(() =>
    document.querySelector('[data-testid="triage-changed"]')?.textContent?.includes('Changed'),
  );
  assert.equal(await note.evaluate((el) => el === document.activeElement), true, 'the field kept focus');
  await app.page.getByTestId('detail-close').click();
  assert.equal(await noteOf(ids[1]), 'typed, still in the field');
});

test('a reload right after the last keystroke keeps the note', async () => {
  const note = await openNote(ids[2]);
  await note.pressSequentially('reloaded at once', { delay: 5 });
  // No blur, no close, no wait for the debounced save: the page goes away now.
  await app.page.reload();
  await opened(app.page);
  // The address kept the open alert, so it opens again by itself, with the note.
  assert.match(app.page.url(), new RegExp(`[#&]alert=${encodeURIComponent(ids[2]).replace(/[|.]/g, '\\$&')}`));
  const again = app.page.getByTestId('alert-detail').getByTestId('triage-note');
  await app.page.waitForFunction(
    () => (document.querySelector('[data-testid="triage-note"]') as HTMLTextAreaElement | null)?.value === 'reloaded at once',
  );
  assert.equal(await again.inputValue(), 'reloaded at once');
  await app.page.keyboard.press('Escape');
  assert.equal(await noteOf(ids[2]), 'reloaded at once');
});

test('moving to the next alert with the arrow keys keeps the note typed on the one before', async () => {
  const note = await openNote(ids[0]);
  await note.fill('');
  await note.pressSequentially('first alert, then Down', { delay: 5 });
  // Leaves the field for the drawer (arrows in a text field move the caret), then Down.
  await app.page.getByTestId('alert-detail').focus();
  const before = await app.page.getByTestId('detail-position').textContent();
  await app.page.keyboard.press('ArrowDown');
  await app.page.waitForFunction((b) => document.querySelector('[data-testid="detail-position"]')?.textContent !== b, before);
  await app.page.keyboard.press('ArrowUp');
  await app.page.waitForFunction((b) => document.querySelector('[data-testid="detail-position"]')?.textContent === b, before);
  assert.equal(await app.page.getByTestId('alert-detail').getByTestId('triage-note').inputValue(), 'first alert, then Down');
  await app.page.keyboard.press('Escape');
  assert.equal(await noteOf(ids[0]), 'first alert, then Down');
});

test('the page threw no uncaught error', () => {
  assertNoUncaughtErrors(app);
});

test('no request left the page origin', () => {
  assertOnlyOwnOrigin(app);
});
