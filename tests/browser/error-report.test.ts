// An error nobody in the page catches is shown on the page, never only in the
// console: a callout with its message, a "Copy details" button that puts the
// message and stack on the clipboard, and a way to dismiss it. Both ways an
// error escapes are provoked in the page itself: a throw in a timer callback
// (the window's `error` event) and a promise rejected with no handler
// (`unhandledrejection`).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertOnlyOwnOrigin, launchApp, type App } from './harness.ts';

let app: App;

before(async () => {
  app = await launchApp();
  await app.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.origin });
  await app.page.waitForSelector('[data-storage="indexeddb"], [data-storage="memory"]');
});

after(async () => {
  await app?.close();
});

function callout(hasText: string) {
  return app.page.getByTestId('unexpected-error').filter({ hasText });
}

test('an error thrown and not caught shows a callout whose button copies its message and stack', async () => {
  assert.equal(await app.page.getByTestId('unexpected-error').count(), 0, 'no callout before any error');
  // As text: the test's own compiler would wrap a named function in a helper the page does not have.
  await app.page.evaluate(`setTimeout(function throwsUncaught() { throw new Error('provoked: a handler failed'); }, 0)`);
  const shown = callout('provoked: a handler failed');
  await shown.waitFor();
  assert.equal(await shown.getAttribute('role'), 'alert');
  assert.equal(await shown.getByTestId('unexpected-error-message').textContent(), 'provoked: a handler failed');
  assert.match((await shown.textContent()) ?? '', /Something went wrong unexpectedly/);

  await app.page.bringToFront();
  await shown.getByTestId('copy-error-details').click();
  await shown.getByRole('status').filter({ hasText: 'Copied' }).waitFor();
  const copied = await app.page.evaluate(() => navigator.clipboard.readText());
  const lines = copied.split('\n');
  assert.equal(lines[0], 'Offbrowse: unexpected error');
  assert.equal(lines[1], 'provoked: a handler failed');
  // The stack names the function that threw.
  assert.match(copied, /throwsUncaught/);

  await shown.getByTestId('dismiss-error').click();
  await shown.waitFor({ state: 'detached' });
  assert.ok(
    app.errors.some((e) => e.includes('provoked: a handler failed')),
    'the console still has it too',
  );
});

test('a promise rejected with no handler shows a callout too', async () => {
  await app.page.evaluate(() => {
    void Promise.reject(new TypeError('provoked: a rejection nobody handled'));
  });
  const shown = callout('provoked: a rejection nobody handled');
  await shown.waitFor();
  await shown.getByTestId('copy-error-details').click();
  await shown.getByRole('status').filter({ hasText: 'Copied' }).waitFor();
  const copied = await app.page.evaluate(() => navigator.clipboard.readText());
  assert.match(copied, /^Offbrowse: unexpected unhandled rejection\nprovoked: a rejection nobody handled\n/);
  assert.match(copied, /TypeError: provoked: a rejection nobody handled/);
});

test('the same error again is counted in its callout, not shown twice', async () => {
  await app.page.evaluate(() => {
    // One call site, so the stack is the same too.
    for (let i = 0; i < 2; i++) void Promise.reject(new Error('provoked: the same each time'));
  });
  const shown = callout('provoked: the same each time');
  await shown.filter({ hasText: '(2 times)' }).waitFor();
  assert.equal(await shown.count(), 1);
});

test('no request left the page origin', () => {
  assertOnlyOwnOrigin(app);
});
