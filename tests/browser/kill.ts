// Killing the browser for real (SIGKILL to its whole process group) at a
// step of a run, and reopening the profile: shared by killed-drop.test.ts and
// killed-settings.test.ts. A run's step is the page's own `data-run-step`
// (src/ui/runStep.ts); kill points are drawn from a seed the tests print.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './harness.ts';

/** OFFBROWSE_KILL_SEED replays a run; by default each run draws a new seed (and prints it). */
export const SEED = Number(process.env.OFFBROWSE_KILL_SEED ?? Math.floor(Math.random() * 2 ** 31));

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

/** mulberry32: a small PRNG whose sequence a seed fixes. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
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
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    acceptDownloads: true,
  });
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

export async function opened(page: Page): Promise<string> {
  const el = page.locator('[data-storage]:not([data-storage="opening"])');
  await el.waitFor({ state: 'attached', timeout: 60_000 });
  return (await el.getAttribute('data-storage')) ?? '';
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
  assert.equal(await opened(tab.page), 'indexeddb');
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
