// What the offline, update and sub-path tests read about the service worker:
// the precache list a build wrote into its sw.js, and the worker and caches
// as the page sees them.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { Page } from 'playwright-core';

export interface Precache {
  version: string;
  /** Relative to sw.js; `./` is index.html. */
  files: string[];
}

/** The PRECACHE object at the top of `dir`/sw.js. */
export async function precacheOf(dir: string): Promise<Precache> {
  const text = await readFile(join(dir, 'sw.js'), 'utf8');
  const m = /^const PRECACHE = (\{[\s\S]*?\n\});$/m.exec(text);
  if (m === null) throw new Error(`${dir}/sw.js has no PRECACHE object`);
  return JSON.parse(m[1]) as Precache;
}

/** Every file of a build but sw.js, as its precache list names them. */
export async function builtFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
    .filter((f) => f !== 'sw.js')
    .map((f) => (f === 'index.html' ? './' : f))
    .sort();
}

/** The main script the page runs (`./assets/index-HASH.js`), which names its build. */
export async function pageScript(page: Page): Promise<string | null> {
  return page.evaluate(() => document.querySelector('script[type="module"]')?.getAttribute('src') ?? null);
}

export interface WorkerState {
  scope: string;
  scriptURL: string;
  /** The active worker's state once `ready` resolved. */
  state: string;
  /** Whether this page was served through it. */
  controlled: boolean;
}

/** Waits for the page's service worker to be active. */
export async function activeWorker(page: Page): Promise<WorkerState> {
  return page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    const active = registration.active;
    if (active === null) throw new Error('ready resolved with no active worker');
    // `ready` resolves on 'activating'; the old caches are gone and the fetch handler is live once 'activated'.
    if (active.state !== 'activated') {
      await new Promise<void>((done) => active.addEventListener('statechange', () => active.state === 'activated' && done()));
    }
    return {
      scope: registration.scope,
      scriptURL: active.scriptURL,
      state: active.state,
      controlled: navigator.serviceWorker.controller !== null,
    };
  });
}

/** Offbrowse's caches on this origin, each with the URLs it holds, sorted. */
export async function cachedFiles(page: Page): Promise<Record<string, string[]>> {
  return page.evaluate(async () => {
    const out: Record<string, string[]> = {};
    for (const name of await caches.keys()) {
      if (!name.startsWith('offbrowse ')) continue;
      const cache = await caches.open(name);
      out[name] = (await cache.keys()).map((r) => r.url).sort();
    }
    return out;
  });
}

/** The URLs a build's precache list resolves to from `folder` (the page's folder, ending in `/`). */
export function precacheUrls(precache: Precache, folder: string): string[] {
  return precache.files.map((f) => new URL(f, folder).href).sort();
}
