// Shared set-up for the browser tests: serve dist/ in-process, drive Debian's
// Chromium through playwright-core, and record every request the page and its
// workers make so each file can prove nothing left the page's origin.
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/chromium.js';
import { serve } from '../../scripts/serve.js';
import type { AlertRecord } from '../../src/core/alerts/record';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The built app; OFFBROWSE_DIST points the suite at another build (say, a deliberately broken one). */
export const distDir = process.env.OFFBROWSE_DIST ? resolve(process.env.OFFBROWSE_DIST) : join(repoRoot, 'dist');

export { CHROMIUM_ARGS, CHROMIUM_PATH };

export interface RecordedRequest {
  url: string;
  method: string;
  resourceType: string;
  /** 'service-worker', else 'page' (Chromium reports dedicated workers' requests under their page). */
  from: string;
}

export interface App {
  /** The served app's base URL, `http://127.0.0.1:PORT/`. */
  base: string;
  origin: string;
  context: BrowserContext;
  page: Page;
  requests: RecordedRequest[];
  /** The path and query of every request the server received, in order (a page served offline adds none). */
  served: string[];
  /** Uncaught errors and console errors, to explain a failure. */
  errors: string[];
  /** Every browser-side error so far, as one printable string. */
  diagnostics(): string;
  close(): Promise<void>;
}

export interface LaunchOptions {
  /** Folder to serve; dist/ by default. */
  root?: string;
  /** Path and query to open, relative to the base (`?demo`); nothing opens when null. */
  open?: string | null;
  headers?: Record<string, string>;
}

/** Debian's Chromium, headless, on a profile folder the caller owns (and removes): every browser test starts it so. */
export function launchProfile(profile: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    acceptDownloads: true,
  });
}

/** One fresh browser profile and one server per test file. */
export async function launchApp(options: LaunchOptions = {}): Promise<App> {
  const server = await serve({ root: options.root ?? distDir, headers: options.headers });
  const profile = await mkdtemp(join(tmpdir(), 'offbrowse-profile-'));
  let context: BrowserContext;
  try {
    context = await launchProfile(profile);
  } catch (e) {
    await server.close();
    await rm(profile, { recursive: true, force: true });
    throw e;
  }
  const requests: RecordedRequest[] = [];
  const errors: string[] = [];
  const served: string[] = [];
  server.server.on('request', (req) => served.push(req.url ?? ''));
  // context.on('request') sees pages, dedicated workers and service workers.
  context.on('request', (req) => {
    const from = req.serviceWorker() ? 'service-worker' : 'page';
    requests.push({ url: req.url(), method: req.method(), resourceType: req.resourceType(), from });
  });
  const watch = (page: Page): void => {
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console.error: ${m.text()}`);
    });
    // WebSockets do not pass through the request event.
    page.on('websocket', (ws) => requests.push({ url: ws.url(), method: 'GET', resourceType: 'websocket', from: 'page' }));
    page.on('worker', (w) => w.on('console', (m) => m.type() === 'error' && errors.push(`worker console.error: ${m.text()}`)));
  };
  context.on('page', watch);
  const page = context.pages()[0] ?? (await context.newPage());
  watch(page);
  page.setDefaultTimeout(30_000);
  const origin = new URL(server.url).origin;
  if (options.open !== null) await page.goto(server.url + (options.open ?? ''));
  return {
    base: server.url,
    origin,
    context,
    page,
    requests,
    served,
    errors,
    diagnostics: () => (errors.length ? errors.join('\n') : '(no browser errors)'),
    async close() {
      await context.close().catch(() => undefined);
      await server.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Whether the page can still write `bytes` to IndexedDB (a scratch database,
 * deleted after): a quota override took effect. `random`: bytes that do not
 * compress (Chromium compresses what IndexedDB stores, so a repeated letter
 * takes almost no quota); with a 1-byte quota, Chromium was seen to hang on such a write.
 */
export async function canWrite(page: Page, bytes: number, random = false): Promise<boolean> {
  return page.evaluate(`new Promise((done) => {
    const open = indexedDB.open('offbrowse-quota-probe', 1);
    open.onupgradeneeded = () => open.result.createObjectStore('s');
    open.onerror = () => done(false);
    open.onsuccess = () => {
      const db = open.result;
      const tx = db.transaction('s', 'readwrite');
      const value = ${random} ? new Uint8Array(${bytes}) : 'x'.repeat(${bytes});
      if (${random}) for (let i = 0; i < value.length; i += 65536) crypto.getRandomValues(value.subarray(i, i + 65536));
      tx.objectStore('s').put(value, 1);
      const end = (ok) => { db.close(); indexedDB.deleteDatabase('offbrowse-quota-probe'); done(ok); };
      tx.oncomplete = () => end(true);
      tx.onabort = () => end(false);
    };
  })`);
}

/** Requests that went anywhere but the page's own origin, blob: or data:. */
export function foreignRequests(app: Pick<App, 'origin' | 'requests'>): string[] {
  return app.requests
    .filter((r) => !(r.url.startsWith('blob:') || r.url.startsWith('data:') || sameOrigin(r.url, app.origin)))
    .map((r) => `${r.from} ${r.method} ${r.url}`);
}

function sameOrigin(url: string, origin: string): boolean {
  try {
    return new URL(url).origin === origin;
  } catch {
    return false;
  }
}

/** The `data-run` of the ingest-done marker, null before the first run. */
export async function currentRun(page: Page): Promise<string | null> {
  const marker = page.getByTestId('ingest-done');
  if ((await marker.count()) === 0) return null;
  return marker.first().getAttribute('data-run');
}

/** Waits until the page has opened the history stored in IndexedDB. */
export async function storedHistoryOpened(page: Page): Promise<void> {
  await page.locator('[data-storage="indexeddb"]').waitFor({ state: 'attached', timeout: 60_000 });
}

/** Waits until the page has opened its storage, whichever it is; returns where it keeps the history ('indexeddb', 'memory'). */
export async function storageOpened(page: Page): Promise<string> {
  const el = page.locator('[data-storage]:not([data-storage="opening"])');
  await el.waitFor({ state: 'attached', timeout: 60_000 });
  return (await el.getAttribute('data-storage')) ?? '';
}

/** The baseline panel's file and event counts: at once, or once its live query has caught up with `files` files. */
export async function baselineCounts(page: Page, files?: number): Promise<{ files: number; events: number }> {
  if (files !== undefined) {
    await page.waitForFunction(
      (n) => document.querySelector('[data-testid="baseline-panel"]')?.getAttribute('data-files') === String(n),
      files,
      { timeout: 60_000, polling: 50 },
    );
  }
  const panel = page.getByTestId('baseline-panel');
  return { files: Number(await panel.getAttribute('data-files')), events: Number(await panel.getAttribute('data-events')) };
}

/** Waits until a run other than `previous` has completed; returns its id. */
export async function waitForRunAfter(page: Page, previous: string | null, timeout = 60_000): Promise<string> {
  const handle = await page.waitForFunction(
    (prev) => {
      const el = document.querySelector('[data-testid="ingest-done"]');
      const run = el?.getAttribute('data-run') ?? null;
      return run !== null && run !== prev ? run : false;
    },
    previous,
    { timeout, polling: 50 },
  );
  return (await handle.jsonValue()) as string;
}

/**
 * Picks files in the app's file input and returns without waiting; the input
 * is cleared afterwards since picking the same file again fires no change event.
 */
export async function pickFiles(page: Page, files: string[]): Promise<void> {
  const input = page.getByTestId('file-input');
  await input.setInputFiles(files);
  await input.evaluate((el) => ((el as HTMLInputElement).value = ''));
}

/**
 * Unfolds the summary and the timeline, which are folded until opened so the
 * alerts come first (the page remembers the choice until storage is cleared).
 */
export async function showOverview(page: Page): Promise<void> {
  const toggle = page.getByTestId('overview-toggle');
  await toggle.waitFor();
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
}

/** Picks files and waits for the run they start to complete. */
export async function ingest(page: Page, files: string[], timeout = 60_000): Promise<string> {
  const before = await currentRun(page);
  await pickFiles(page, files);
  return waitForRunAfter(page, before, timeout);
}

export interface Downloaded {
  name: string;
  text: string;
  bytes: Buffer;
}

/** Clicks a button that downloads a file and returns what was downloaded. */
export async function download(page: Page, testId: string): Promise<Downloaded> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  const bytes = await readFile(await file.path());
  return { name: file.suggestedFilename(), text: bytes.toString('utf8'), bytes };
}

/** JSON lines (blank lines ignored) to objects. */
export function jsonLines<T = Record<string, unknown>>(text: string): T[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/offbrowse.js ARGS...` from the repository root. */
export function cli(args: string[]): Promise<CliResult> {
  return new Promise((done, fail) => {
    execFile(
      process.execPath,
      [join(repoRoot, 'bin', 'offbrowse.js'), ...args],
      { cwd: repoRoot, maxBuffer: 1 << 30 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        if (error && typeof error.code !== 'number') fail(error);
        else done({ code, stdout, stderr });
      },
    );
  });
}

export async function tempDir(prefix = 'offbrowse-test-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** The closing check of every test file: the recorder saw the app load, and nothing went elsewhere. */
export function assertOnlyOwnOrigin(app: App): void {
  if (!app.requests.some((r) => sameOrigin(r.url, app.origin))) {
    throw new Error('the request recorder saw no request to the app itself; the check below would prove nothing');
  }
  const foreign = foreignRequests(app);
  if (foreign.length) throw new Error(`requests left ${app.origin}:\n${foreign.join('\n')}`);
  // An attempt the Content-Security-Policy stopped never becomes a request, but it is still a bug.
  const refused = app.errors.filter((e) => /Refused to (connect|load|frame|fetch|send)/i.test(e));
  if (refused.length) throw new Error(`the page tried to reach elsewhere (blocked by its CSP):\n${refused.join('\n')}`);
}

/** Uncaught exceptions in the page: a bug even when every visible check passed. */
export function assertNoUncaughtErrors(app: App): void {
  const thrown = app.errors.filter((e) => e.startsWith('pageerror:'));
  if (thrown.length) throw new Error(`the page threw:\n${thrown.join('\n')}`);
}

/** Text of the page's alert-role callouts, e.g. file errors. */
export async function alertTexts(page: Page): Promise<string[]> {
  return page.locator('[role="alert"]').allTextContents();
}

/**
 * Opens the app again with nothing read: the origin's storage is cleared
 * first, so this holds whether or not the app keeps its history across reloads.
 */
export async function freshStart(app: App, path = ''): Promise<void> {
  await app.page.goto('about:blank');
  const cdp = await app.context.newCDPSession(app.page);
  try {
    await cdp.send('Storage.clearDataForOrigin', { origin: app.origin, storageTypes: 'all' });
  } finally {
    await cdp.detach();
  }
  await app.page.goto(app.base + path);
}

/** Alert record fields the browser export and the CLI must agree on (docs/detection.md "The alert record"). */
export type AlertRecordLike = Pick<
  AlertRecord,
  'variation' | 'severity' | 'host' | 'user' | 'client' | 'domain' | 'first_seen' | 'last_seen' | 'count'
> & {
  explanation: Pick<AlertRecord['explanation'], 'hosts_with_key_in_window' | 'host_seen_key_in_window'>;
  evidence: Pick<AlertRecord['evidence'][number], 'url' | 'user_agent' | 'source'>[];
};

/** The compared part of a record, in a stable order, so export order does not matter. */
export function comparable(records: AlertRecordLike[]): unknown[] {
  return records
    .map((r) => ({
      variation: r.variation,
      severity: r.severity,
      host: r.host,
      user: r.user,
      client: r.client,
      domain: r.domain,
      first_seen: r.first_seen,
      last_seen: r.last_seen,
      count: r.count,
      hosts_with_key_in_window: r.explanation.hosts_with_key_in_window,
      host_seen_key_in_window: r.explanation.host_seen_key_in_window,
      evidence: r.evidence,
    }))
    .sort((a, b) => {
      const ka = [a.first_seen, a.host, a.variation, a.client, a.domain].join('\u0000');
      const kb = [b.first_seen, b.host, b.variation, b.client, b.domain].join('\u0000');
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
}

/** `offbrowse detect --json FILES`: its alert records (exit code 0 required). */
export async function cliAlerts(files: string[]): Promise<AlertRecordLike[]> {
  const r = await cli(['detect', '--json', ...files]);
  if (r.code !== 0) throw new Error(`offbrowse detect exited ${r.code}: ${r.stderr.slice(-2000)}`);
  return jsonLines<AlertRecordLike>(r.stdout);
}

/** The alerts the page holds now, through its JSON-lines export. */
export async function exportedAlerts(page: Page): Promise<AlertRecordLike[]> {
  const file = await download(page, 'export-json');
  if (!/\.jsonl?$/.test(file.name)) throw new Error(`the JSON export is named ${file.name}`);
  return jsonLines<AlertRecordLike>(file.text);
}

/**
 * `offbrowse generate --out DIR ARGS` into a new temp folder; returns the
 * folder and the day files in date order.
 */
export async function generateDataset(args: string[]): Promise<{ dir: string; files: string[] }> {
  const dir = await tempDir('offbrowse-data-');
  const r = await cli(['generate', '--out', dir, ...args]);
  if (r.code !== 0) throw new Error(`offbrowse generate exited ${r.code}: ${r.stderr.slice(-2000)}`);
  // PAN-OS forms are url-*, Zeek's http-*, Suricata's eve-*.
  const names = (await readdir(dir)).filter((n) => /^(url|http|eve)-\d{4}-\d\d-\d\d\./.test(n)).sort();
  if (names.length === 0) throw new Error(`offbrowse generate wrote no day files into ${dir}`);
  return { dir, files: names.map((n) => join(dir, n)) };
}

/** Concatenates files byte for byte (gzip members stay members), `times` over. */
export async function concatFiles(out: string, files: string[], times = 1): Promise<string> {
  const sink = createWriteStream(out);
  for (let i = 0; i < times; i++) {
    for (const f of files) {
      for await (const chunk of createReadStream(f, { highWaterMark: 1 << 20 })) {
        if (!sink.write(chunk)) await once(sink, 'drain');
      }
    }
  }
  sink.end();
  await once(sink, 'finish');
  return out;
}

export async function removeDirs(...dirs: (string | undefined)[]): Promise<void> {
  for (const d of dirs) if (d) await rm(d, { recursive: true, force: true });
}

/** Imports an alerts file through "Import alerts…" and waits for the run it starts. */
export async function importAlerts(page: Page, path: string): Promise<void> {
  const run = await currentRun(page);
  const input = page.getByTestId('import-alerts');
  await input.setInputFiles(path);
  await input.evaluate((el) => ((el as HTMLInputElement).value = ''));
  await waitForRunAfter(page, run);
}

/** One value of the open evidence record: its label, its text, whether it is cut or outside the evidence box, its lines. */
export interface RecordValue {
  key: string;
  value: string;
  cut: boolean;
  inside: boolean;
  lines: number;
}

/** The labels and values of the evidence record open in the alert panel, measured where they are drawn. */
export async function evidenceRecordValues(page: Page): Promise<RecordValue[]> {
  return page.getByTestId('evidence-record').evaluate((dl) => {
    const box = dl.closest('[data-testid="evidence-scroll"]')!.getBoundingClientRect();
    return [...dl.querySelectorAll('div')].map((d) => {
      const dd = d.querySelector('dd') as HTMLElement;
      const r = dd.getBoundingClientRect();
      return {
        key: d.querySelector('dt')?.textContent ?? '',
        value: dd.textContent ?? '',
        cut: dd.scrollWidth > dd.clientWidth + 1,
        inside: r.left >= box.left - 1 && r.right <= box.right + 1,
        lines: Math.round(r.height / parseFloat(getComputedStyle(dd).lineHeight)),
      };
    });
  });
}
