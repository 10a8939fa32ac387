// A settings change that reads the whole history again, killed part-way
// (SIGKILL to all the browser's processes), leaves the history under the old
// settings or under the new, whole: every file stays, the alerts are those of
// one set of settings (the CLI's with the same), the settings shown are the
// ones that made them, and the page says when the change was cut off.
// OFFBROWSE_KILL_SEED=N replays the kill point the test prints.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  cli,
  cliAlerts,
  comparable,
  exportedAlerts,
  ingest,
  jsonLines,
  removeDirs,
  storageOpened,
  tempDir,
  type AlertRecordLike,
} from './harness.ts';
import {
  killAt,
  killBench,
  launch,
  notice,
  pendingRuns,
  reopened,
  rng,
  SEED,
  storedCounts,
  type KillBench,
  type Step,
} from './kill.ts';

const random = rng(SEED);
const STEPS: [Step, number][] = [
  ['reading', 1500],
  ['committing', 20],
  ['detecting', 200],
];
const [target, most] = STEPS[Math.floor(random() * STEPS.length)];
const delay = Math.round(random() * most);
console.log(`kill point from seed ${SEED} (replay: OFFBROWSE_KILL_SEED=${SEED}): ${target} +${delay} ms`);
const ZONE = 'Asia/Tokyo';

let bench: KillBench;
let server: KillBench['server'];
let data: KillBench['data'];
let work: string;
let utc: AlertRecordLike[];
let tokyo: AlertRecordLike[];

before(async () => {
  [bench, work] = await Promise.all([killBench(['--days', '24', '--hosts', '100', '--seed', '12']), tempDir()]);
  ({ server, data } = bench);
  const settings = join(work, 'tokyo.json');
  await writeFile(settings, JSON.stringify({ timeZone: ZONE }));
  const r = await cli(['detect', '--json', '--settings', settings, ...data.files]);
  assert.equal(r.code, 0, r.stderr);
  tokyo = jsonLines<AlertRecordLike>(r.stdout);
  utc = await cliAlerts(data.files);
  assert.notDeepEqual(comparable(tokyo), comparable(utc), 'the new zone changes the alerts (the test has teeth)');
});

after(async () => {
  await bench?.close();
  await removeDirs(work);
});

test(`a settings change killed while ${target} (+${delay} ms) leaves the old settings or the new, whole, and says which`, async () => {
  const profile = await tempDir('offbrowse-profile-');
  try {
    const tab = await launch(server.url, profile);
    await storageOpened(tab.page);
    await ingest(tab.page, data.files, 120_000);
    const all = await storedCounts(tab.page);
    assert.deepEqual(comparable(await exportedAlerts(tab.page)), comparable(utc));
    await tab.page.getByRole('button', { name: 'Settings' }).click();
    const dialog = tab.page.getByRole('dialog', { name: 'Detection settings' });
    await dialog.getByLabel('Time zone').fill(ZONE);
    await dialog.getByRole('button', { name: 'Apply' }).click();
    const landedIn = await killAt(tab, target, delay);

    const again = await reopened(server.url, profile);
    const page = again.page;
    assert.deepEqual(await storedCounts(page, all), all, 'every file is still there');
    assert.equal(await pendingRuns(page), 0, "the killed reading's pending runs are gone");
    const alerts = comparable(await exportedAlerts(page));
    const applied = JSON.stringify(alerts) === JSON.stringify(comparable(tokyo));
    if (!applied) assert.deepEqual(alerts, comparable(utc), 'the old settings, whole, or the new, whole');
    const banner = page.getByTestId('settings-banner');
    const shown = (await banner.count()) > 0 ? ((await banner.textContent()) ?? '') : '';
    assert.equal(shown.includes(ZONE), applied, 'the settings shown are those the alerts were made with');
    const said = await notice(page);
    if (applied) {
      assert.ok(said === null || said.committed === 'true', `no "not applied" for a change that landed: ${said?.text}`);
    } else {
      assert.equal(said?.kind, 'settings');
      assert.equal(said?.committed, 'false');
      assert.match(
        said?.text ?? '',
        /^The settings change was interrupted .*; it was not applied\. The history is as it was before it\.$/,
      );
    }
    assert.deepEqual(tab.errors, []);
    assert.deepEqual(again.errors, []);
    console.log(
      `seed ${SEED}: settings change aimed at ${target} +${delay} ms, killed while ${landedIn}: ` +
        `${applied ? 'new settings, whole' : 'old settings, whole'}; ${said === null ? 'no notice' : `notice "${said.text}"`}`,
    );
    await again.context.close();
  } finally {
    await removeDirs(profile);
  }
});
