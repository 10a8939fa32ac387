// A new build at the same address replaces the cached one cleanly: the page
// keeps running the build it was loaded with, says "A new version of Offbrowse
// is ready" with a Reload button, and only then switches, whole, to the new
// build, whose cache replaces the old one. Two real builds (dist/ and one
// built unminified here) are served in turn from one folder, to one profile.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import {
  assertNoUncaughtErrors,
  assertOnlyOwnOrigin,
  distDir,
  launchApp,
  removeDirs,
  repoRoot,
  tempDir,
  type App,
} from './harness.ts';
import { activeWorker, builtFiles, cachedFiles, pageScript, precacheOf, precacheUrls, type Precache } from './serviceWorker.ts';

const run = promisify(execFile);

let work: string;
/** The folder the server serves: first a copy of dist/, then of the second build. */
let site: string;
let app: App;
interface Build {
  dir: string;
  precache: Precache;
}
let first: Build;
let second: Build;

/** `./assets/index-HASH.js`: the script a build's page runs. */
function mainScript(precache: Precache): string {
  const main = precache.files.filter((f) => /^assets\/index-[^/]*\.js$/.test(f));
  assert.equal(main.length, 1, `one main script in ${precache.files.join(', ')}`);
  return './' + main[0];
}

/** Replaces what the server serves, in place: same origin, same address. */
async function serve(dir: string): Promise<void> {
  await rm(site, { recursive: true, force: true });
  await cp(dir, site, { recursive: true });
}

before(async () => {
  work = await tempDir('offbrowse-update-');
  site = join(work, 'site');
  const secondDir = join(work, 'second');
  // The same source built unminified: every file differs, as after a real change.
  await run(
    join(repoRoot, 'node_modules', '.bin', 'vite'),
    ['build', '--outDir', secondDir, '--emptyOutDir', '--minify', 'false', '--logLevel', 'warn'],
    {
      cwd: repoRoot,
    },
  );
  first = { dir: distDir, precache: await precacheOf(distDir) };
  second = { dir: secondDir, precache: await precacheOf(secondDir) };
  await serve(first.dir);
  app = await launchApp({ root: site, open: null });
});

after(async () => {
  await app?.close();
  await removeDirs(work);
});

test('each build lists its own files in its sw.js, under a version of its own', async () => {
  for (const build of [first, second]) assert.deepEqual([...build.precache.files].sort(), await builtFiles(build.dir));
  assert.notEqual(first.precache.version, second.precache.version);
  assert.notEqual(mainScript(first.precache), mainScript(second.precache));
});

test('the first build installs, and serves the page on the next visit', async () => {
  await app.page.goto(app.base);
  await activeWorker(app.page);
  await app.page.reload();
  assert.ok((await activeWorker(app.page)).controlled);
  assert.equal(await pageScript(app.page), mainScript(first.precache));
  assert.equal(await app.page.getByTestId('update-ready').count(), 0, 'no notice without a new build');
});

test('with a new build on the server, the page stays on its build and says a new version is ready', async () => {
  await serve(second.dir);
  await app.page.reload();
  const notice = app.page.getByTestId('update-ready');
  await notice.waitFor({ timeout: 60_000 });
  assert.match(await notice.innerText(), /A new version of Offbrowse is ready\.\s*Reload/);
  // Nothing of the new build reached this page: its document and everything it loaded are the first build's.
  assert.equal(await pageScript(app.page), mainScript(first.precache));
  const loaded = await app.page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
  const firstUrls = precacheUrls(first.precache, app.base);
  assert.deepEqual(
    loaded.filter((url) => url.startsWith(app.base) && !firstUrls.includes(url)),
    [],
    'every file the page loaded is from the first build',
  );
  // A plain reload does not switch either: the new build waits for the notice's button (or for every tab to close).
  await app.page.reload();
  await notice.waitFor({ timeout: 60_000 });
  assert.equal(await pageScript(app.page), mainScript(first.precache));
  assert.ok(
    await app.page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting != null),
    'the new build waits',
  );
  // Both caches exist while the new build waits; the old one still serves.
  assert.deepEqual(
    Object.keys(await cachedFiles(app.page)).sort(),
    [`offbrowse ${app.base} ${first.precache.version}`, `offbrowse ${app.base} ${second.precache.version}`].sort(),
  );
});

test('Reload switches the page to the new build whole, and the old cache is gone', async () => {
  await Promise.all([app.page.waitForEvent('load', { timeout: 60_000 }), app.page.getByTestId('update-reload').click()]);
  assert.equal(await pageScript(app.page), mainScript(second.precache));
  const worker = await activeWorker(app.page);
  assert.ok(worker.controlled);
  assert.deepEqual(await cachedFiles(app.page), {
    [`offbrowse ${app.base} ${second.precache.version}`]: precacheUrls(second.precache, app.base),
  });
  const loaded = await app.page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
  const secondUrls = precacheUrls(second.precache, app.base);
  assert.deepEqual(
    loaded.filter((url) => url.startsWith(app.base) && !secondUrls.includes(url)),
    [],
  );
  // The new build runs: its worker answered and the stored state opened.
  await app.page.locator('[data-storage]:not([data-storage="opening"])').waitFor({ state: 'attached', timeout: 60_000 });
  assert.equal(await app.page.getByTestId('update-ready').count(), 0);
});

test('the page threw no uncaught error', () => {
  assertNoUncaughtErrors(app);
});

test('no request left the page origin', () => {
  assertOnlyOwnOrigin(app);
});
