// Killing the browser for real (SIGKILL to its whole process group) at a
// step of a run, and reopening the profile: shared by killed-drop.test.ts,
// killed-rework.test.ts and killed-settings.test.ts. A run's step is the page's own `data-run-step`
// (src/ui/runStep.ts); kill points are drawn from a seed the tests print.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BrowserContext, Page } from 'playwright-core';
import { serve } from '../../scripts/serve.js';
import {
  distDir,
  exportedAlerts,
  generateDataset,
  ingest,
  launchProfile,
  removeDirs,
  storageOpened,
  tempDir,
  type AlertRecordLike,
} from './harness.ts';

export { KILL_POINTS as POINTS, KILL_SEED as SEED, rng } from '../helpers/kill-seed.ts';

/** The steps of a run in the order they come (src/ui/runStep.ts), then the run's end. */
export const STEPS = ['starting', 'reading', 'writing', 'committing', 'detecting', 'saving-alerts', 'idle'] as const;
export type Step = (typeof STEPS)[number];
/** The steps a drop is killed in, and the longest delay after the step shows (a step lasts about that long here). */
export const DROP_STEPS: [Step, number][] = [
  ['reading', 1500],
  ['writing', 600],
  ['committing', 20],
  ['detecting', 500],
  ['saving-alerts', 150],
];

export interface Counts {
  files: number;
  events: number;
}

export interface Tab {
  context: BrowserContext;
  page: Page;
  profile: string;
  /** The browser process, leader of its process group. */
  pid: number;
  errors: string[];
}

export async function launch(base: string, profile: string): Promise<Tab> {
  const context = await launchProfile(profile);
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.setDefaultTimeout(60_000);
  await page.goto(base);
  const [pid] = await profilePids(profile);
  assert.ok(pid !== undefined, `a browser process runs with ${profile}`);
  return { context, page, profile, pid, errors };
}

/** The processes started with this profile: the browser (no --type) first. */
async function profilePids(profile: string): Promise<number[]> {
  const out: number[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const args = (await readFile(`/proc/${name}/cmdline`, 'utf8').catch(() => '')).split('\0');
    if (!args.includes(`--user-data-dir=${profile}`)) continue;
    if (args.some((a) => a.startsWith('--type='))) out.push(Number(name));
    else out.unshift(Number(name));
  }
  return out;
}

/**
 * SIGKILLs the browser with every process it started, at once: Playwright
 * starts it as the leader of a process group of its own, which holds the
 * renderers, the GPU process and the storage service that writes IndexedDB.
 */
export async function killBrowser(tab: Tab): Promise<void> {
  process.kill(-tab.pid, 'SIGKILL');
  for (const p of await profilePids(tab.profile)) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      // Gone with its group.
    }
  }
  for (let i = 0; alive(tab.pid) || (await profilePids(tab.profile)).length > 0; i++) {
    assert.ok(i < 200, 'the killed browser processes went away');
    await sleep(25);
  }
  await tab.context.close().catch(() => undefined);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function step(page: Page): Promise<Step> {
  return (await page.locator('.app').getAttribute('data-run-step')) as Step;
}

/** Waits until the run reaches `target` (or a step after it, when it was too quick to be seen). */
export async function reach(page: Page, target: Step): Promise<void> {
  await page.waitForFunction(
    ([steps, at]) => {
      const now = document.querySelector('.app')?.getAttribute('data-run-step') ?? 'idle';
      return (steps as string[]).indexOf(now) >= (steps as string[]).indexOf(at as string);
    },
    [STEPS as unknown as string[], target] as const,
    { polling: 5, timeout: 120_000 },
  );
}

/** The baseline panel's counts, once the live query has settled on one of `expected`. */
export async function storedCounts(page: Page, ...expected: Counts[]): Promise<Counts> {
  const panel = page.getByTestId('baseline-panel');
  await page.waitForFunction(
    (want) => {
      const el = document.querySelector('[data-testid="baseline-panel"]');
      const got = { files: Number(el?.getAttribute('data-files')), events: Number(el?.getAttribute('data-events')) };
      return want.length === 0 || want.some((w) => w.files === got.files && w.events === got.events);
    },
    expected,
    { polling: 50, timeout: 30_000 },
  );
  return { files: Number(await panel.getAttribute('data-files')), events: Number(await panel.getAttribute('data-events')) };
}

/** Runs still pending in the database (a killed reading's leftovers are deleted on opening). */
export async function pendingRuns(page: Page): Promise<number> {
  return page.evaluate(`new Promise((done, fail) => {
    const open = indexedDB.open('offbrowse');
    open.onerror = () => fail(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const get = db.transaction('runs').objectStore('runs').index('state').count('pending');
      get.onsuccess = () => { db.close(); done(get.result); };
      get.onerror = () => { db.close(); fail(get.error); };
    };
  })`);
}

/** The page after a relaunch: opened on IndexedDB, nothing running, no page error. */
export async function reopened(base: string, profile: string): Promise<Tab> {
  const tab = await launch(base, profile);
  assert.equal(await storageOpened(tab.page), 'indexeddb');
  // Opening analyses what is stored; no run starts, so no "reading" state can be left over.
  await tab.page.waitForFunction(() => document.querySelector('.app')?.getAttribute('data-run-step') === 'idle');
  assert.equal(await tab.page.locator('[aria-label="Reading progress"]').count(), 0, 'no run progress shows');
  return tab;
}

export async function notice(page: Page): Promise<{ kind: string; committed: string; text: string } | null> {
  const n = page.getByTestId('interrupted-notice');
  if ((await n.count()) === 0) return null;
  return {
    kind: (await n.getAttribute('data-kind')) ?? '',
    committed: (await n.getAttribute('data-committed')) ?? '',
    text: (await n.locator('p').textContent())?.replace(/\s+/g, ' ').trim() ?? '',
  };
}

/** Waits for the run to reach `target`, then `delay` ms, then kills the browser; returns the step it was killed in. */
export async function killAt(tab: Tab, target: Step, delay: number): Promise<Step> {
  await reach(tab.page, target);
  await sleep(delay);
  const landedIn = await step(tab.page);
  await killBrowser(tab);
  return landedIn;
}

/**
 * Kills the browser `delay` ms after the page shows step `target` (or a step
 * after it), hearing each step from the page itself the moment it changes (a
 * binding, not polling), for runs whose steps last tens of milliseconds; call
 * it before asking for the run. Resolves, once killed, with the last step the
 * page showed before the kill; `firing` says whether the kill is under way
 * (what the page was doing then may fail for that reason alone).
 */
export async function killOn(tab: Tab, target: Step, delay: number): Promise<{ killed: Promise<Step>; firing: () => boolean }> {
  let last: Step = 'idle';
  let fired = false;
  let fire: (() => void) | null = null;
  const reached = new Promise<void>((resolve) => (fire = resolve));
  await tab.page.exposeBinding('offbrowseKillStep', (_source, now: Step) => {
    // A run that ends before `target` shows (a step too short to be drawn) is killed at its end.
    if (now === 'idle' ? last !== 'idle' : STEPS.indexOf(now) >= STEPS.indexOf(target)) fire?.();
    last = now;
  });
  await tab.page.evaluate(() => {
    const app = document.querySelector('.app')!;
    const tell = (window as unknown as { offbrowseKillStep: (s: string) => void }).offbrowseKillStep;
    new MutationObserver(() => void tell(app.getAttribute('data-run-step') ?? 'idle')).observe(app, {
      attributeFilter: ['data-run-step'],
    });
  });
  const killed = reached.then(async () => {
    fired = true;
    if (delay > 0) await sleep(delay);
    const landedIn = last;
    await killBrowser(tab);
    return landedIn;
  });
  return { killed, firing: () => fired };
}

/** The server of the built app and a generated dataset, which a kill test's `before` starts and its `after` ends. */
export interface KillBench {
  server: Awaited<ReturnType<typeof serve>>;
  data: { dir: string; files: string[] };
  close(): Promise<void>;
}

/** Serves dist/ and generates `offbrowse generate ARGS` at once. */
export async function killBench(generateArgs: string[]): Promise<KillBench> {
  const [server, data] = await Promise.all([serve({ root: distDir }), generateDataset(generateArgs)]);
  return {
    server,
    data,
    async close() {
      await server.close();
      await removeDirs(data.dir);
    },
  };
}

/**
 * A new profile in which `files` were dropped in one uninterrupted run: the
 * counts it stored and the alerts it exported; the browser is closed, and the
 * profile is the caller's (to copy from, or to remove).
 */
export async function storedProfile(
  base: string,
  files: string[],
): Promise<{ profile: string; counts: Counts; alerts: AlertRecordLike[] }> {
  const profile = await tempDir('offbrowse-profile-');
  try {
    const tab = await launch(base, profile);
    try {
      assert.equal(await storageOpened(tab.page), 'indexeddb');
      await ingest(tab.page, files, 120_000);
      const counts = await storedCounts(tab.page);
      return { profile, counts, alerts: await exportedAlerts(tab.page) };
    } finally {
      await tab.context.close();
    }
  } catch (e) {
    await removeDirs(profile);
    throw e;
  }
}
