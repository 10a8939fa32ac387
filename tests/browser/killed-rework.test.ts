// A file removal and a state import, each of which writes the history anew and
// detects over all of it, killed part-way (SIGKILL to all the browser's
// processes) lose nothing: the reopened history is exactly the one before or
// exactly the one after, the page comes up with no error and no stuck run,
// says when the work was cut off (with a one-click retry), and redoing the
// work gives exactly the alerts of one uninterrupted run (the CLI's over the
// same files).
//
// The kill points come from a seed the test prints (tests/browser/kill.ts):
//   OFFBROWSE_KILL_SEED=N     replays a run
//   OFFBROWSE_KILL_POINTS=N   how many points for each kind of work (default 1: CI time; each run's new
//                             seed picks other steps and delays, so runs over time cover them all); each
//                             lands in the next step (writing the new events, committing, detecting,
//                             saving alerts) from one the seed picks, after a delay the seed draws.
import assert from 'node:assert/strict';
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  cli,
  cliAlerts,
  comparable,
  currentRun,
  exportedAlerts,
  removeDirs,
  showOverview,
  storageOpened,
  tempDir,
  waitForRunAfter,
  type AlertRecordLike,
} from './harness.ts';
import {
  killBench,
  killOn,
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
  type Step,
  type Tab,
} from './kill.ts';

/**
 * The steps of a removal or an import (src/worker/workspace.ts), each after
 * its work marker is written, and the longest delay after the step shows.
 * Here, uninterrupted (the test prints them): writing 6-360 ms, committing
 * 25-310 ms, detecting and saving alerts 12-90 ms each.
 */
const STEPS: [Step, number][] = [
  // Short: the first point is meant to land before the commit, and a removal's writing can take 6 ms.
  ['writing', 20],
  ['committing', 20],
  ['detecting', 30],
  ['saving-alerts', 30],
];
console.log(`kill points from seed ${SEED} (replay: OFFBROWSE_KILL_SEED=${SEED}); ${POINTS} points for each kind of work`);
const random = rng(SEED);
/** With one point for each kind, the kind the seed picks is killed in the writing and the other after it. */
const writingKind = random() < 0.5 ? 'remove' : 'import';
/**
 * A kind's first point is in the writing, before the commit (so each run sees the notice and its retry;
 * with one point for each kind, only `writingKind`'s is); the others go round the steps after it from one
 * the seed picks.
 */
function pointsFor(kind: 'remove' | 'import'): { target: Step; delay: number }[] {
  const first = Math.floor(random() * (STEPS.length - 1));
  return Array.from({ length: POINTS }, (_, i) => {
    const writing = i === 0 && (POINTS > 1 || kind === writingKind);
    const [target, most] = writing ? STEPS[0] : STEPS[1 + ((first + i) % (STEPS.length - 1))];
    return { target, delay: Math.round(random() * most) };
  });
}
const removePoints = pointsFor('remove');
const importPoints = pointsFor('import');

let bench: KillBench;
let server: KillBench['server'];
let data: KillBench['data'];
let work: string;
/** A profile holding every file of the dataset, closed: each point starts from a copy. */
let stored: string;
let all: Counts;
let allAlerts: AlertRecordLike[];
/** The file a removal takes out, and the alerts without it. */
let removed: string;
let withoutOne: AlertRecordLike[];
/** A state file the CLI saved over the first days, and its alerts. */
let state: string;
const STATE_DAYS = 16;
let stateAlerts: AlertRecordLike[];

before(async () => {
  [bench, work] = await Promise.all([killBench(['--days', '24', '--hosts', '100', '--seed', '13']), tempDir()]);
  ({ server, data } = bench);
  removed = data.files[18];
  state = join(work, 'first-days.jsonl.gz');
  const saved = await cli(['detect', '--json', '--state', state, ...data.files.slice(0, STATE_DAYS)]);
  assert.equal(saved.code, 0, saved.stderr);
  [allAlerts, withoutOne, stateAlerts] = await Promise.all([
    cliAlerts(data.files),
    cliAlerts(data.files.filter((f) => f !== removed)),
    cliAlerts(data.files.slice(0, STATE_DAYS)),
  ]);
  // Each kind of work changes the alerts, so a history left half-way or unchanged cannot pass for the one after.
  assert.notDeepEqual(comparable(withoutOne), comparable(allAlerts), 'the removal changes the alerts');
  assert.notDeepEqual(comparable(stateAlerts), comparable(allAlerts), 'the import changes the alerts');

  const once = await storedProfile(server.url, data.files);
  ({ profile: stored, counts: all } = once);
  assert.equal(all.files, data.files.length);
  assert.deepEqual(comparable(once.alerts), comparable(allAlerts), 'the stored history agrees with the CLI');
  await uninterrupted();
});

after(async () => {
  await bench?.close();
  await removeDirs(work, stored);
});

/** A copy of the stored profile, opened, with every file and its alerts. */
async function fromStored(): Promise<Tab> {
  const profile = await tempDir('offbrowse-profile-');
  await cp(stored, profile, { recursive: true });
  const tab = await launch(server.url, profile);
  assert.equal(await storageOpened(tab.page), 'indexeddb');
  assert.deepEqual(await storedCounts(tab.page, all), all);
  return tab;
}

/** Asks to remove `name` from the files table and confirms. */
async function askRemove(tab: Tab, name: string): Promise<void> {
  const { page } = tab;
  await showOverview(page);
  await page.getByText('Files, skipped lines and other log types').click();
  const row = page.locator('.files tbody tr', { has: page.getByText(name, { exact: true }) });
  await row.getByTestId('remove-file').click();
  await page
    .getByTestId('confirm-dialog')
    .getByRole('heading', { name: `Remove ${name} from the history?` })
    .waitFor();
  await page.getByTestId('confirm-ok').click();
}

/** Picks the state file in the import input and confirms replacing what is stored. */
async function askImport(tab: Tab, pick: () => Promise<void>): Promise<void> {
  await pick();
  const dialog = tab.page.getByTestId('confirm-dialog').filter({ hasText: 'Replace the stored baseline?' });
  await dialog.waitFor();
  await dialog.getByTestId('confirm-ok').click();
}

interface Kind {
  name: 'remove' | 'import';
  points: { target: Step; delay: number }[];
  /** The counts and alerts once the work is done (the counts from an uninterrupted run, in before()). */
  done: () => { counts: Counts; alerts: AlertRecordLike[] };
  ask: (tab: Tab) => Promise<void>;
  /** The notice for work that did not go through. */
  notDone: RegExp;
  /** Redoes the work from the notice's one click; resolves once it has run. */
  retry: (tab: Tab) => Promise<void>;
}

const base = (f: string): string => f.slice(f.lastIndexOf('/') + 1);

const KINDS: Kind[] = [
  {
    name: 'remove',
    points: removePoints,
    done: () => ({ counts: doneCounts.remove!, alerts: withoutOne }),
    ask: (tab) => askRemove(tab, base(removed)),
    notDone: /^Removing url-2026-09-19\.log was interrupted .*; nothing was removed\. The history is as it was before it\.$/,
    retry: async ({ page }) => {
      const run = await currentRun(page);
      await page.getByTestId('interrupted-retry').click();
      await waitForRunAfter(page, run, 120_000);
    },
  },
  {
    name: 'import',
    points: importPoints,
    done: () => ({ counts: doneCounts.import!, alerts: stateAlerts }),
    ask: (tab) => askImport(tab, () => tab.page.getByTestId('import-state').setInputFiles(state)),
    notDone:
      /^The import of first-days\.jsonl\.gz was interrupted .*; nothing was imported\. The history is as it was before it\.$/,
    retry: async (tab) => {
      const run = await currentRun(tab.page);
      await askImport(tab, async () => {
        const [chooser] = await Promise.all([
          tab.page.waitForEvent('filechooser'),
          tab.page.getByTestId('interrupted-retry').click(),
        ]);
        await chooser.setFiles(state);
      });
      await waitForRunAfter(tab.page, run, 120_000);
    },
  },
];

/** The stored counts after each kind of work, uninterrupted. */
const doneCounts: Partial<Record<Kind['name'], Counts>> = {};

/** A removal and an import, uninterrupted, give the CLI's alerts over the files they leave; their counts are kept. */
async function uninterrupted(): Promise<void> {
  for (const kind of KINDS) {
    const tab = await fromStored();
    try {
      const run = await currentRun(tab.page);
      await tab.page.evaluate(() => {
        const app = document.querySelector('.app')!;
        const seen: [string, number][] = [];
        (window as unknown as { steps: typeof seen }).steps = seen;
        new MutationObserver(() => seen.push([app.getAttribute('data-run-step') ?? '', performance.now()])).observe(app, {
          attributeFilter: ['data-run-step'],
        });
      });
      await kind.ask(tab);
      await waitForRunAfter(tab.page, run, 120_000);
      const steps = await tab.page.evaluate(() => (window as unknown as { steps: [string, number][] }).steps);
      console.log(
        `${kind.name}, uninterrupted: ` +
          steps
            .slice(0, -1)
            .map(([s, t], i) => `${s} ${Math.round(steps[i + 1][1] - t)} ms`)
            .join(', '),
      );
      const want =
        kind.name === 'remove' ? { files: all.files - 1, alerts: withoutOne } : { files: STATE_DAYS, alerts: stateAlerts };
      const counts = await storedCounts(tab.page);
      assert.equal(counts.files, want.files);
      doneCounts[kind.name] = counts;
      assert.deepEqual(comparable(await exportedAlerts(tab.page)), comparable(want.alerts));
      assert.deepEqual(tab.errors, []);
      await tab.context.close();
    } finally {
      await removeDirs(tab.profile);
    }
  }
}

for (const kind of KINDS) {
  for (const [i, point] of kind.points.entries()) {
    test(`a ${kind.name} killed while ${point.target} (+${point.delay} ms) leaves the history before or after, says which, and redone gives one run's alerts`, async () => {
      const tab = await fromStored();
      try {
        const { killed, firing } = await killOn(tab, point.target, point.delay);
        // Asking may be cut off by the kill itself (its last click's page is gone); any other failure is the test's.
        await kind.ask(tab).catch((e: unknown) => {
          if (!firing()) throw e;
        });
        const landedIn = await killed;

        const again = await reopened(server.url, tab.profile);
        const page = again.page;
        const want = kind.done();
        const counts = await storedCounts(page, all, want.counts);
        const applied = counts.files === want.counts.files;
        assert.deepEqual(counts, applied ? want.counts : all, 'the history before, whole, or after');
        assert.equal(await pendingRuns(page), 0, "the killed work's pending runs are gone");
        const alerts = comparable(await exportedAlerts(page));
        assert.deepEqual(alerts, comparable(applied ? want.alerts : allAlerts), 'the alerts of the history as it is');
        const said = await notice(page);
        if (applied) {
          assert.ok(
            said === null || (said.committed === 'true' && said.kind === kind.name),
            `no "not done" for work that landed: ${said?.text}`,
          );
        } else {
          assert.ok(said !== null, 'work that did not land is said to be interrupted');
          assert.equal(said.kind, kind.name);
          assert.equal(said.committed, 'false');
          assert.match(said.text, kind.notDone);
          await kind.retry(again);
          assert.deepEqual(await storedCounts(page, want.counts), want.counts);
          assert.equal(await page.getByTestId('interrupted-notice').count(), 0, 'the notice goes once the work is done');
          assert.deepEqual(comparable(await exportedAlerts(page)), comparable(want.alerts), 'redone, the alerts of one run');
        }
        assert.deepEqual(tab.errors, [], 'no page error before the kill');
        assert.deepEqual(again.errors, [], 'no page error after reopening');
        console.log(
          `seed ${SEED} ${kind.name} point ${i + 1}: aimed at ${point.target} +${point.delay} ms, killed while ${landedIn}: ` +
            (applied
              ? `history after, whole; ${said === null ? 'no notice' : `notice "${said.text}"`}`
              : `history before, whole; notice "${said!.text}"; redone: one run's alerts`),
        );
        await again.context.close();
      } finally {
        await removeDirs(tab.profile);
      }
    });
  }
}
