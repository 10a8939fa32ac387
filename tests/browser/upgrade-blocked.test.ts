// A storage upgrade while an older tab holds the database open: the stored
// history is at schema version 3 (src/db/schema.ts), held open by a tab of
// an older version, and this version's page, opening it, must upgrade it to
// version 4. Neither tab may deadlock:
// - an older tab that lets go when told (versionchange, as every Offbrowse
//   tab does, src/ui/liveStorage.ts) lets the upgrade through at once: the
//   new page opens on IndexedDB, and the old one hears that it must reload;
// - an older tab that will not let go blocks the upgrade: the new page says
//   so after a few seconds (the open's timeout, src/db/open.ts), works in its
//   memory meanwhile, and once the old tab is gone a reload opens the upgraded
//   history.
// The older tab is a page of the same origin that opens the database with
// version 3's stores through IndexedDB itself: no build or address of the
// app opens an older schema, so what users get is untouched.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  assertNoUncaughtErrors,
  assertOnlyOwnOrigin,
  generateDataset,
  ingest,
  launchApp,
  removeDirs,
  type App,
} from './harness.ts';

let app: App;
let data: { dir: string; files: string[] };

before(async () => {
  [app, data] = await Promise.all([launchApp({ open: null }), generateDataset(['--days', '3', '--hosts', '40', '--seed', '4'])]);
  // A page of the origin that is not the app, to look at and clear the database from.
  await app.page.goto(`${app.base}sw.js`);
});

after(async () => {
  await app?.close();
  await removeDirs(data?.dir);
});

/**
 * A page of the app's origin (its service worker script, not the app) that
 * opens the database as version 3 laid it out (Dexie keeps version n as 10n),
 * creating it when missing, and keeps the connection. `letsGo`: on
 * versionchange it closes and notes it, as an Offbrowse tab does; otherwise
 * it holds on, as a tab that cannot answer would.
 */
async function olderTab(letsGo: boolean): Promise<Page> {
  const page = await app.context.newPage();
  await page.goto(`${app.base}sw.js`);
  // A string, not a function: the test's compiler would add helpers the page does not have.
  const got = await page.evaluate(`new Promise((done) => {
    const open = indexedDB.open('offbrowse', 30);
    open.onupgradeneeded = () => {
      const db = open.result;
      db.createObjectStore('events', { keyPath: 'id', autoIncrement: true }).createIndex('file', 'file');
      const files = db.createObjectStore('files', { keyPath: 'id', autoIncrement: true });
      files.createIndex('fingerprint', 'fingerprint', { unique: true });
      files.createIndex('addedAt', 'addedAt');
      files.createIndex('key', 'key', { unique: true });
      const baseline = db.createObjectStore('baseline', { keyPath: ['client', 'domain', 'upload', 'host'] });
      for (const i of ['host', 'client', 'domain']) baseline.createIndex(i, i);
      const alerts = db.createObjectStore('alerts', { keyPath: 'id' });
      alerts.createIndex('first_seen', 'first_seen');
      alerts.createIndex('[id+sig]', ['id', 'sig']);
      const triage = db.createObjectStore('triage', { keyPath: 'id' });
      triage.createIndex('status', 'status');
      triage.createIndex('changedAt', 'changedAt');
      db.createObjectStore('meta', { keyPath: 'key' });
      const runs = db.createObjectStore('runs', { keyPath: 'id', autoIncrement: true });
      runs.createIndex('state', 'state');
      runs.createIndex('owner', 'owner');
      db.createObjectStore('blocks', { keyPath: ['run', 'no'] });
    };
    open.onsuccess = () => {
      const db = open.result;
      window.olderDb = db;
      window.toldToGo = 0;
      db.onversionchange = () => {
        window.toldToGo++;
        if (${letsGo}) db.close();
      };
      done('version ' + db.version);
    };
    open.onerror = () => done('failed: ' + String(open.error));
  })`);
  assert.equal(got, 'version 30', 'the older tab holds the database at version 3');
  return page;
}

/** The version the database is at, seen from `page` (null when it does not exist). */
function storedVersion(page: Page): Promise<number | null> {
  return page.evaluate(async () => {
    const found = (await indexedDB.databases()).find((d) => d.name === 'offbrowse');
    return found?.version ?? null;
  });
}

const toldToGo = (page: Page): Promise<number> => page.evaluate(() => (window as unknown as { toldToGo: number }).toldToGo);

test('an older tab that lets go: the new page upgrades at once and works on IndexedDB; the old one was told', async () => {
  const old = await olderTab(true);
  const page = await app.context.newPage();
  await page.goto(app.base);
  await page.locator('[data-storage="indexeddb"]').waitFor({ state: 'attached', timeout: 30_000 });
  assert.ok((await toldToGo(old)) > 0, 'the older tab was asked to let go');
  assert.equal(await storedVersion(page), 40, 'the history is at version 4');
  // Upgraded, the page stores and reads as ever.
  await ingest(page, data.files);
  assert.equal(await page.getByTestId('baseline-panel').getAttribute('data-files'), String(data.files.length));
  await page.reload();
  await page.locator('[data-storage="indexeddb"]').waitFor({ state: 'attached', timeout: 30_000 });
  await page.waitForFunction(
    (n) => document.querySelector('[data-testid="baseline-panel"]')?.getAttribute('data-files') === String(n),
    data.files.length,
  );
  await Promise.all([old.close(), page.close()]);
  await app.page.evaluate(
    () =>
      new Promise<void>((done, fail) => {
        const del = indexedDB.deleteDatabase('offbrowse');
        del.onsuccess = () => done();
        del.onerror = () => fail(del.error);
      }),
  );
});

test('an older tab that will not let go: the new page says so, works in memory, and a reload once it is gone opens the upgraded history', async () => {
  assert.equal(await storedVersion(app.page), null, 'a fresh database');
  const old = await olderTab(false);
  const page = await app.context.newPage();
  await page.goto(app.base);
  // Not stuck opening: after the open's timeout it works in memory and says why.
  await page.locator('[data-storage="memory"]').waitFor({ state: 'attached', timeout: 30_000 });
  assert.equal(await page.getByText('Opening the stored baseline…').count(), 0);
  assert.match(
    (await page.getByTestId('storage-banner').textContent())?.replace(/\s+/g, ' ') ?? '',
    /another Offbrowse tab holds the database open with an older version; close it and reload this page/,
  );
  assert.ok((await toldToGo(old)) > 0, 'the older tab was asked to let go');
  // Neither tab is deadlocked: the new one reads logs (in memory), the old one still answers.
  await ingest(page, data.files);
  assert.equal(await page.getByTestId('baseline-panel').getAttribute('data-files'), String(data.files.length));
  assert.equal(await storedVersion(old), 30, 'the history was left at version 3 while the older tab held it');

  // The older tab goes; the new page, reloaded, upgrades and stores.
  await old.close();
  await page.reload();
  await page.locator('[data-storage="indexeddb"]').waitFor({ state: 'attached', timeout: 30_000 });
  assert.equal(await storedVersion(page), 40, 'the history is at version 4');
  await ingest(page, data.files);
  assert.equal(await page.getByTestId('baseline-panel').getAttribute('data-files'), String(data.files.length));
  await page.close();
});

test('the pages threw no uncaught error and made no request elsewhere', () => {
  assertNoUncaughtErrors(app);
  assertOnlyOwnOrigin(app);
});
