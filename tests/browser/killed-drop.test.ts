// A browser killed part-way through a drop (SIGKILL to all its processes, not
// a polite close) loses nothing: the reopened history holds the drop whole or
// not at all, the page comes up with no error and no stuck run, says when the
// drop was cut off and offers the files again in one click, and dropping them
// again gives exactly the alerts of one uninterrupted run in a fresh profile.
//
// The kill points come from a seed the test prints (tests/browser/kill.ts):
//   OFFBROWSE_KILL_SEED=N     replays a run
//   OFFBROWSE_KILL_POINTS=N   how many points (default 1: CI time; each run's new seed picks another
//                             step and delay, so runs over time cover every step); each lands in the next
//                             step of a drop (reading, writing runs, committing, detecting, saving alerts)
//                             from one the seed picks, after a delay the seed draws. More points than
//                             fit in the suite's 180 s per file need a longer --test-timeout.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  cliAlerts,
  comparable,
  currentRun,
  exportedAlerts,
  ingest,
  pickFiles,
  removeDirs,
  storageOpened,
  tempDir,
  waitForRunAfter,
  type AlertRecordLike,
} from './harness.ts';
import {
  DROP_STEPS,
  killAt,
  killBench,
  launch,
  notice,
  pendingRuns,
  POINTS,
  reopened,
  rng,
  SEED,
  storedCounts,
  storedProfile,
  type Counts,
  type KillBench,
} from './kill.ts';

console.log(`kill points from seed ${SEED} (replay: OFFBROWSE_KILL_SEED=${SEED}); ${POINTS} points`);
const random = rng(SEED);
const first = Math.floor(random() * DROP_STEPS.length);
const points = Array.from({ length: POINTS }, (_, i) => {
  const [target, most] = DROP_STEPS[(first + i) % DROP_STEPS.length];
  return { target, delay: Math.round(random() * most) };
});

let bench: KillBench;
let server: KillBench['server'];
let data: KillBench['data'];
/** Stored before the drop that is killed, and the drop itself. */
let baseFiles: string[];
let dropFiles: string[];
/** The stored counts after the drop, and the alerts of every file read in one batch in a fresh profile. */
let afterCounts: Counts;
let oneBatch: AlertRecordLike[];
/** The counts before the drop, as the first point found them (the others must find the same). */
let beforeCounts: Counts | null = null;

before(async () => {
  bench = await killBench(['--days', '30', '--hosts', '120', '--seed', '11']);
  ({ server, data } = bench);
  baseFiles = data.files.slice(0, 5);
  dropFiles = data.files.slice(5);
  const batch = await storedProfile(server.url, data.files);
  await removeDirs(batch.profile);
  afterCounts = batch.counts;
  oneBatch = batch.alerts;
  assert.equal(afterCounts.files, data.files.length);
  assert.deepEqual(comparable(oneBatch), comparable(await cliAlerts(data.files)), 'the one-batch run agrees with the CLI');
  assert.ok(oneBatch.length > 0, 'the dataset has alerts');
});

after(async () => {
  await bench?.close();
});

for (const [i, point] of points.entries()) {
  test(`a drop killed while ${point.target} (+${point.delay} ms) is whole or absent, says which, and a re-drop gives one batch's alerts`, async () => {
    const profile = await tempDir('offbrowse-profile-');
    try {
      const tab = await launch(server.url, profile);
      assert.equal(await storageOpened(tab.page), 'indexeddb');
      await ingest(tab.page, baseFiles);
      const before = await storedCounts(tab.page);
      beforeCounts ??= before;
      assert.deepEqual(before, beforeCounts);
      assert.notDeepEqual(before, afterCounts);
      const started = Date.now();
      await pickFiles(tab.page, dropFiles);
      const landedIn = await killAt(tab, point.target, point.delay);
      const killedAt = Date.now() - started;

      const again = await reopened(server.url, profile);
      const page = again.page;
      const counts = await storedCounts(page, beforeCounts, afterCounts);
      const whole = counts.files === afterCounts.files;
      assert.deepEqual(counts, whole ? afterCounts : beforeCounts, 'the history holds the drop whole or not at all');
      assert.equal(await pendingRuns(page), 0, "the killed reading's pending runs are gone");
      const said = await notice(page);
      if (whole) {
        // The commit went through; a marker left behind then says only that the alerts were made again.
        assert.ok(said === null || said.committed === 'true', `no "not added" for a drop that landed: ${said?.text}`);
        assert.deepEqual(comparable(await exportedAlerts(page)), comparable(oneBatch));
      } else {
        assert.ok(said !== null, 'a drop that did not land is said to be interrupted');
        assert.equal(said.kind, 'drop');
        assert.equal(said.committed, 'false');
        assert.match(
          said.text,
          /^The drop of url-2026-09-06\.log \(and 24 more\) was interrupted .*; it was not added\. The history is as it was before it\.$/,
        );
        // One click opens the file picker; the files go in again, and the notice goes once they are added.
        const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByTestId('interrupted-retry').click()]);
        const run = await currentRun(page);
        await chooser.setFiles(dropFiles);
        await waitForRunAfter(page, run, 120_000);
        assert.deepEqual(await storedCounts(page, afterCounts), afterCounts);
        assert.equal(await page.getByTestId('interrupted-notice').count(), 0);
        assert.deepEqual(comparable(await exportedAlerts(page)), comparable(oneBatch), 'a re-drop gives the alerts of one batch');
      }
      assert.deepEqual(tab.errors, [], 'no page error before the kill');
      assert.deepEqual(again.errors, [], 'no page error after reopening');
      console.log(
        `seed ${SEED} point ${i + 1}: aimed at ${point.target} +${point.delay} ms, killed while ${landedIn} ` +
          `(${killedAt} ms into the drop): ` +
          (whole
            ? `drop whole; ${said === null ? 'no notice' : `notice "${said.text}"`}`
            : `drop absent; notice "${said!.text}"; re-dropped: one batch's alerts`),
      );
      await again.context.close();
    } finally {
      await removeDirs(profile);
    }
  });
}
