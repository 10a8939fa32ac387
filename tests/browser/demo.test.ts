// The README's promise: open the printed `?demo` URL (or press the demo button)
// and see the generated dataset analysed, with alerts of all four variations.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  assertNoUncaughtErrors,
  assertOnlyOwnOrigin,
  comparable,
  currentRun,
  exportedAlerts,
  freshStart,
  launchApp,
  waitForRunAfter,
  type AlertRecordLike,
  type App,
} from './harness.ts';

const VARIATIONS = ['text_share_download', 'text_share_upload', 'website_access', 'website_upload'];
/** The demo builds its dataset in the worker; allow for a slow shared machine. */
const DEMO_TIMEOUT = 120_000;

let app: App;
let fromUrl: AlertRecordLike[];

before(async () => {
  app = await launchApp({ open: null });
});

after(async () => {
  await app?.close();
});

test('?demo loads the demo and shows alerts of all four variations', { timeout: DEMO_TIMEOUT + 30_000 }, async () => {
  await app.page.goto(app.base + '?demo');
  await waitForRunAfter(app.page, null, DEMO_TIMEOUT);
  fromUrl = await exportedAlerts(app.page);
  assert.deepEqual([...new Set(fromUrl.map((a) => a.variation))].sort(), VARIATIONS, app.diagnostics());

  // The table shows them: every severity has rows, and a row opens its detail with evidence.
  const rows = app.page.getByTestId('alert-row');
  assert.ok((await rows.count()) > 0);
  const names = (await rows.allTextContents()).join('\n');
  for (const name of ['A non-browser process accessed a website UI', 'known text share website']) {
    assert.ok(names.includes(name), `the table shows "${name}"`);
  }
  await rows.first().click();
  const detail = app.page.getByTestId('alert-detail');
  await detail.getByRole('heading', { name: /Evidence/ }).waitFor();
  assert.ok((await detail.locator('tbody tr').count()) >= 1, 'the detail lists evidence rows');
});

test('the demo button loads the same demo', { timeout: DEMO_TIMEOUT + 30_000 }, async () => {
  await freshStart(app);
  assert.equal(await currentRun(app.page), null, 'a fresh page has no run');
  await app.page.getByRole('button', { name: 'Load demo data' }).first().click();
  await waitForRunAfter(app.page, null, DEMO_TIMEOUT);
  const fromButton = await exportedAlerts(app.page);
  assert.deepEqual(comparable(fromButton), comparable(fromUrl));
  // Loaded once: the button says so and does not load it twice.
  await app.page.getByRole('button', { name: 'Demo loaded' }).first().waitFor();
});

test('the page threw no uncaught error', () => {
  assertNoUncaughtErrors(app);
});

test('no request left the page origin', () => {
  assertOnlyOwnOrigin(app);
});
