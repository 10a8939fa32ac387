#!/usr/bin/env node
// `npm run bench:browser`: the browser pipeline, in headless Chromium, on one
// generated PAN-OS file of at least 500 MB, in one run:
//   - the DuckDB peer (bench/peer/: the detection as SQL over the raw file,
//     in its own process), the goal the app is measured against;
//   - bare PapaParse: Papa.parse(File, {chunk}) in a module worker, rows dropped;
//   - the real app: the file picked in dist/, timed from the input's change
//     event to the next ingest-done run (shown once the results are all on the page),
//     with every core's parse worker and again with one (`?parse-workers=1`);
//   - the demo: page load to its alerts shown (`?demo`);
// plus the longest main-thread task during the app's ingest and each worker's
// peak heap (CDP Runtime.getHeapUsage on the worker targets).
// Then the big inputs, through the app only: a 2 GB PAN-OS file, a 300 MB .gz
// (about 3.5 GB of text) and a 3 GB file of mostly non-browser rows (millions
// of events the detector must keep), each with its MB/s, the worker's peak heap
// and the peak memory of Chromium's processes (sampled from /proc), to show that
// memory stays bounded whatever the size of the file.
// The inputs are generated into bench-data/ (git-ignored) once and reused.
// A benchmark, not a test: it is not part of `npm test`.
//
//   node scripts/bench-browser.js [--size-mb 500] [--big-mb 2000] [--gz-mb 300] [--heavy-mb 3000]
//                                 [--no-big] [--no-build] [--dist DIR] [--file PATH]
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.js';
import { serve } from './serve.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MB = 1e6;

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : process.argv[i + 1];
}
const sizeMb = Number(option('size-mb', '500'));
const bigMb = Number(option('big-mb', '2000'));
const gzMb = Number(option('gz-mb', '300'));
const heavyMb = Number(option('heavy-mb', '3000'));
/** The built app to measure; another folder lets a build be kept still while the tree changes. */
const distDir = resolve(option('dist', join(repo, 'dist')));
const log = (msg) => process.stderr.write(`bench:browser: ${msg}\n`);

/** The benchmarks' TypeScript modules (bench/), through tsx. */
async function benchModule(path) {
  const { register } = await import('tsx/esm/api');
  register();
  return import(path);
}

/** The benchmarks' shared inputs (bench/benchData.ts), written once. */
const benchData = () => benchModule('../bench/benchData.ts');

/** The same file as `npm run bench`. */
async function benchFile(bytes) {
  return (await benchData()).benchFile(join(repo, 'bench-data'), bytes, log);
}

/** A file of mostly non-browser rows (over 2.5 million of them in 3 GB), for the memory bound. */
async function heavyFile(bytes) {
  return (await benchData()).heavyFile(join(repo, 'bench-data'), bytes, 30, log);
}

/** The DuckDB peer (bench/peer/: DuckDB reading the raw file), bundled as `npm run bench` runs it, on `file`, in its own process: milliseconds. */
async function peerMs(file) {
  const script = await (await benchModule('../bench/peerProcess.ts')).buildPeer();
  const started = Date.now();
  const r = spawnSync(process.execPath, [script, '--json', file], {
    cwd: repo,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  if (r.status !== 0) throw new Error(`the DuckDB peer failed: ${r.stderr.toString().slice(-500)}`);
  return Date.now() - started;
}

/**
 * A gzipped PAN-OS file of at least `compressedBytes`, written once; its text
 * size goes in a `.json` beside it (gzip's own size field wraps at 4 GiB).
 */
async function benchGzFile(compressedBytes) {
  const dir = join(repo, 'bench-data');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `panos-${Math.round(compressedBytes / MB)}mb.log.gz`);
  const sizes = path + '.json';
  if (existsSync(path) && existsSync(sizes) && statSync(path).size >= compressedBytes) {
    return { path, textBytes: JSON.parse(readFileSync(sizes, 'utf8')).textBytes };
  }
  log(`generating ${path} (text until the .gz has ${Math.round(compressedBytes / MB)} MB) ...`);
  const { register } = await import('tsx/esm/api');
  register();
  const { generate } = await import('../src/core/generate/index.ts');
  // Logs like these compress 9-12x; the rate leaves room, and writing stops at the size.
  const rate = Math.ceil((compressedBytes * 16) / (45 * 200 * 600));
  const partial = path + '.partial';
  const gzip = createGzip({ level: 6 });
  const out = createWriteStream(partial);
  gzip.pipe(out);
  let compressed = 0;
  let textBytes = 0;
  gzip.on('data', (c) => (compressed += c.length));
  outer: for (const file of generate({ days: 45, hosts: 200, seed: 8, rate }).files) {
    for (const chunk of file.chunks()) {
      if (!gzip.write(chunk)) await once(gzip, 'drain');
      textBytes += Buffer.byteLength(chunk);
      if (compressed >= compressedBytes) break outer;
    }
  }
  gzip.end();
  await once(out, 'finish');
  renameSync(partial, path);
  writeFileSync(sizes, JSON.stringify({ textBytes }) + '\n');
  return { path, textBytes };
}

const PAPA_PAGE = {
  'index.html': `<!doctype html>
<html><head><meta charset="utf-8"><title>PapaParse floor</title></head>
<body><input type="file" id="file"><script type="module" src="./main.js"></script></body></html>
`,
  'main.js': `// Keeps the worker referenced for the page's life; the bench calls window.parseInWorker.
const worker = new Worker(new URL('./papa.worker.js', import.meta.url), { type: 'module' });
window.parseInWorker = (file) =>
  new Promise((resolve, reject) => {
    worker.onmessage = (e) => (e.data.error ? reject(new Error(e.data.error)) : resolve(e.data));
    worker.onerror = (e) => reject(new Error(e.message));
    worker.postMessage(file);
  });
`,
  'papa.worker.js': `import Papa from 'papaparse';
// The floor: PapaParse's own File streamer, rows counted and dropped (as scripts/bench-papaparse.js does in Node).
self.onmessage = (e) => {
  const started = performance.now();
  let rows = 0;
  Papa.parse(e.data, {
    delimiter: ',',
    chunk(results) {
      rows += results.data.length;
    },
    complete() {
      self.postMessage({ ms: performance.now() - started, rows });
    },
    error(err) {
      self.postMessage({ error: String(err && err.message ? err.message : err) });
    },
  });
};
`,
};

/** Builds the floor's page with Vite's API; its sources live in bench-data/ so papaparse resolves from node_modules. */
async function buildPapaPage() {
  const src = join(repo, 'bench-data', 'papaparse-page');
  const out = join(src, 'dist');
  mkdirSync(src, { recursive: true });
  for (const [name, text] of Object.entries(PAPA_PAGE)) writeFileSync(join(src, name), text);
  const { build } = await import('vite');
  await build({
    root: src,
    configFile: false,
    base: './',
    logLevel: 'warn',
    worker: { format: 'es' },
    build: { outDir: out, emptyOutDir: true, target: 'es2022' },
  });
  return out;
}

/**
 * Samples every worker's heap through a CDP session on the page: the ingest
 * worker, and the parse workers it starts (workers of a worker). Dedicated
 * workers are child targets; Playwright gives no session for them, so this
 * uses the non-flattened Target protocol, a message to a parse worker going
 * inside one to its parent.
 */
async function workerHeapSampler(page) {
  const cdp = await page.context().newCDPSession(page);
  /** By the chain of session ids from the page down to the worker, joined. */
  const workers = new Map();
  const pending = new Map();
  let nextId = 0;
  /** Sends `method` to the target at the end of `chain` (each id a session inside the one before). */
  const post = (chain, message) => {
    let wrapped = message;
    for (let i = chain.length - 1; i >= 1; i--) {
      wrapped = {
        id: ++nextId,
        method: 'Target.sendMessageToTarget',
        params: { sessionId: chain[i], message: JSON.stringify(wrapped) },
      };
    }
    return cdp.send('Target.sendMessageToTarget', { sessionId: chain[0], message: JSON.stringify(wrapped) });
  };
  const ask = (chain, method, params = {}) =>
    new Promise((done) => {
      const id = ++nextId;
      pending.set(id, done);
      post(chain, { id, method, params }).catch(() => {
        pending.delete(id);
        done({ error: 'gone' });
      });
      setTimeout(() => pending.has(id) && (pending.delete(id), done({ error: 'timeout' })), 2000);
    });
  const attached = (chain, e) => {
    if (e.targetInfo.type !== 'worker') return;
    const at = [...chain, e.sessionId];
    workers.set(at.join('/'), { chain: at, url: e.targetInfo.url, peakJs: 0, peakTotal: 0, samples: 0 });
    // Its own workers too (the parse workers the ingest worker starts).
    void ask(at, 'Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  };
  /** A message from the target at the end of `chain`. */
  const received = (chain, msg) => {
    if (msg.method === 'Target.receivedMessageFromTarget') {
      received([...chain, msg.params.sessionId], JSON.parse(msg.params.message));
    } else if (msg.method === 'Target.attachedToTarget') {
      attached(chain, msg.params);
    } else if (msg.method === 'Target.detachedFromTarget') {
      const w = workers.get([...chain, msg.params.sessionId].join('/'));
      if (w) w.gone = true;
    } else if (msg.id !== undefined && pending.has(msg.id)) {
      const done = pending.get(msg.id);
      pending.delete(msg.id);
      done(msg);
    }
  };
  cdp.on('Target.attachedToTarget', (e) => attached([], e));
  cdp.on('Target.detachedFromTarget', (e) => received([], { method: 'Target.detachedFromTarget', params: e }));
  cdp.on('Target.receivedMessageFromTarget', (e) => received([e.sessionId], JSON.parse(e.message)));
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  let timer = null;
  let running = false;
  const sample = async () => {
    for (const w of workers.values()) {
      if (w.gone) continue;
      const r = await ask(w.chain, 'Runtime.getHeapUsage');
      if (!r.result) continue;
      const { usedSize, embedderHeapUsedSize = 0, backingStorageSize = 0 } = r.result;
      w.samples++;
      w.peakJs = Math.max(w.peakJs, usedSize);
      w.peakTotal = Math.max(w.peakTotal, usedSize + embedderHeapUsedSize + backingStorageSize);
    }
  };
  return {
    workers,
    start() {
      timer = setInterval(() => {
        if (running) return;
        running = true;
        sample().finally(() => (running = false));
      }, 100);
    },
    async stop() {
      clearInterval(timer);
      await sample();
      await cdp.detach().catch(() => undefined);
    },
  };
}

/** Chromium's processes: every descendant of this process (Playwright starts the browser itself). */
function browserPids() {
  const parent = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // The command name is in parentheses and may hold spaces; the parent pid is the 2nd field after it.
      parent.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // It ended while being listed.
    }
  }
  const out = [];
  const walk = [process.pid];
  while (walk.length) {
    const pid = walk.pop();
    for (const [child, ppid] of parent) {
      if (ppid !== pid) continue;
      out.push(child);
      walk.push(child);
    }
  }
  return out;
}

/** `Rss` and `Pss` of one process in bytes (PSS shares pages between processes, so PSS sums fairly). */
function processMemory(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const kb = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0) * 1024;
    return { rss: kb('Rss'), pss: kb('Pss') };
  } catch {
    return null;
  }
}

/**
 * Samples the browser's processes from /proc, 4 times a second: the peak sum
 * of PSS over all of them, and the peak RSS of the biggest one (the renderer,
 * which runs the page and its worker).
 */
function processSampler() {
  const peak = { pss: 0, biggestRss: 0, samples: 0 };
  const sample = () => {
    let pss = 0;
    for (const pid of browserPids()) {
      const m = processMemory(pid);
      if (m === null) continue;
      pss += m.pss;
      peak.biggestRss = Math.max(peak.biggestRss, m.rss);
    }
    peak.pss = Math.max(peak.pss, pss);
    peak.samples++;
  };
  let timer = null;
  return {
    peak,
    start() {
      sample();
      timer = setInterval(sample, 250);
    },
    stop() {
      clearInterval(timer);
      sample();
    },
  };
}

async function launch() {
  const profile = mkdtempSync(join(tmpdir(), 'offbrowse-bench-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(15 * 60_000);
  return {
    page,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** The worker with the highest peak (the ingest worker or a parse worker), and how many workers were sampled. */
function peakOf(sampler) {
  const ws = [...sampler.workers.values()].filter((w) => w.samples > 0);
  if (ws.length === 0) return null;
  const top = ws.reduce((a, b) => (b.peakTotal > a.peakTotal ? b : a));
  return { ...top, workers: ws.length };
}

async function benchPapa(file, root) {
  const server = await serve({ root });
  const b = await launch();
  try {
    await b.page.goto(server.url);
    const sampler = await workerHeapSampler(b.page);
    await b.page.locator('#file').setInputFiles(file);
    sampler.start();
    const started = Date.now();
    const r = await b.page.evaluate(() => window.parseInWorker(document.getElementById('file').files[0]));
    const wall = Date.now() - started;
    await sampler.stop();
    return { ms: r.ms, wallMs: wall, rows: r.rows, peak: peakOf(sampler) };
  } finally {
    await b.close();
    await server.close();
  }
}

/** How long after a run's end its long tasks are still counted. */
const AFTER_MS = 1000;

// Runs in the page before the app: collects long tasks from the start.
const LONGTASK_PROBE = () => {
  window.__longtasks = [];
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longtasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
    window.__longtaskSupported = true;
  } catch {
    window.__longtaskSupported = false;
  }
};

/** The demo: seconds from the page's navigation to the alerts shown (`?demo`, the ingest-done hook's first run). */
async function benchDemo() {
  const server = await serve({ root: distDir });
  const b = await launch();
  try {
    await b.page.goto(`${server.url}?demo`);
    await b.page.waitForFunction(
      () => document.querySelector('[data-testid="ingest-done"]')?.getAttribute('data-run') === '1',
      null,
      {
        timeout: 120_000,
        polling: 20,
      },
    );
    const ms = await b.page.evaluate(() => performance.now());
    return { ms, alerts: await b.page.getByTestId('alert-row').count() };
  } finally {
    await b.close();
    await server.close();
  }
}

async function benchApp(file, query = '') {
  const server = await serve({ root: distDir });
  const b = await launch();
  try {
    await b.page.addInitScript(LONGTASK_PROBE);
    await b.page.goto(server.url + query);
    await b.page.getByTestId('file-input').waitFor({ state: 'attached', timeout: 30_000 });
    const sampler = await workerHeapSampler(b.page);
    const processes = processSampler();
    // Marks the change event (the app's start) and the next data-run (its end) with the page's clock;
    // an error callout ends the wait too, so a failed run is reported, not waited on for 15 minutes.
    await b.page.evaluate(() => {
      const input = document.querySelector('[data-testid="file-input"]');
      const runOf = () => document.querySelector('[data-testid="ingest-done"]')?.getAttribute('data-run') ?? null;
      const before = runOf();
      window.__bench = { start: null, end: null, failed: null };
      input.addEventListener('change', () => (window.__bench.start ??= performance.now()), { capture: true });
      const check = () => {
        const run = runOf();
        if (run !== null && run !== before && window.__bench.end === null) window.__bench.end = performance.now();
        const alert = document.querySelector('[role="alert"]');
        if (alert !== null && window.__bench.failed === null) window.__bench.failed = alert.textContent;
      };
      new MutationObserver(check).observe(document.documentElement, { subtree: true, childList: true, attributes: true });
    });
    sampler.start();
    processes.start();
    const started = Date.now();
    await b.page.getByTestId('file-input').setInputFiles(file);
    await b.page.waitForFunction(() => window.__bench.end !== null || window.__bench.failed !== null, null, {
      timeout: 15 * 60_000,
      polling: 100,
    });
    const wall = Date.now() - started;
    processes.stop();
    await sampler.stop();
    // Long tasks are counted up to a second after the end too: work the results set off right after is still the run's.
    await new Promise((r) => setTimeout(r, AFTER_MS));
    const failed = await b.page.evaluate(() => window.__bench.failed);
    if (failed !== null) throw new Error(`the app did not finish ${file}: ${failed.replace(/\s+/g, ' ').trim()}`);
    const m = await b.page.evaluate(() => ({
      start: window.__bench.start,
      end: window.__bench.end,
      supported: window.__longtaskSupported,
      tasks: window.__longtasks,
    }));
    const during = m.tasks.filter((t) => t.start + t.duration >= m.start && t.start <= m.end + AFTER_MS);
    const longest = during.reduce((a, t) => Math.max(a, t.duration), 0);
    const alerts = await b.page.getByTestId('alert-row').count();
    const events = Number((await b.page.locator('[data-events]').first().getAttribute('data-events')) ?? 0);
    return {
      events,
      ms: m.end - m.start,
      wallMs: wall,
      longtaskSupported: m.supported,
      longTasks: during.length,
      // When they happened, from the pick: tells start-up, progress and the final render apart.
      longTaskTimes: during
        .sort((a, b) => b.duration - a.duration)
        .slice(0, 5)
        .map((t) => `${t.duration.toFixed(0)} ms at +${((t.start - m.start) / 1000).toFixed(2)} s`),
      longestTaskMs: longest,
      alerts,
      peak: peakOf(sampler),
      processes: processes.peak,
    };
  } finally {
    await b.close();
    await server.close();
  }
}

function table(rows) {
  const w = Math.max(...rows.map((r) => r[0].length));
  return rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join('\n') + '\n';
}

function mem(peak) {
  if (peak === null) return 'not available (no worker heap samples)';
  return `${(peak.peakTotal / MB).toFixed(0)} MB, the largest of ${peak.workers} workers (JS heap ${(peak.peakJs / MB).toFixed(0)} MB; ${peak.samples} samples)`;
}

function browserMem(p) {
  if (p.samples === 0) return 'not available (/proc unreadable)';
  return `${(p.pss / MB).toFixed(0)} MB PSS over all processes, renderer RSS ${(p.biggestRss / MB).toFixed(0)} MB`;
}

/** One big input through the app: its rows for the table. */
function bigRows(label, run, fileMb, textMb) {
  const rate = fileMb / (run.ms / 1000);
  const text =
    textMb === fileMb ? '' : `; ${(textMb / (run.ms / 1000)).toFixed(1)} MB/s of text (${(textMb / 1000).toFixed(2)} GB)`;
  return [
    [label, `${rate.toFixed(1)} MB/s (${(run.ms / 1000).toFixed(1)} s${text}; ${run.alerts} alert rows shown)`],
    ['  peak worker memory', mem(run.peak)],
    ['  peak browser memory', browserMem(run.processes)],
  ];
}

async function main() {
  if (!process.argv.includes('--no-build')) {
    const build = spawnSync(join(repo, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'warn'], {
      cwd: repo,
      stdio: 'inherit',
    });
    if (build.status !== 0) throw new Error('vite build failed');
  }
  const file = option('file', null) ?? (await benchFile(sizeMb * MB));
  const size = statSync(file).size / MB;
  const withBig = !process.argv.includes('--no-big');
  // Generated before any timing, so the machine is quiet while it is measured.
  const big = withBig ? await benchFile(bigMb * MB) : null;
  const gz = withBig ? await benchGzFile(gzMb * MB) : null;
  const heavy = withBig ? await heavyFile(heavyMb * MB) : null;
  if (!existsSync(join(distDir, 'index.html'))) throw new Error(`${distDir}/index.html is missing; build the app first`);
  const papaRoot = await buildPapaPage();
  // Every run should read from the page cache, not the first one from disk.
  await pipeline(createReadStream(file, { highWaterMark: 1 << 22 }), new Writable({ write: (_c, _e, next) => next() }));
  log(`input ${file} (${size.toFixed(0)} MB); the DuckDB peer ...`);
  const peer = await peerMs(file);
  log(`DuckDB peer ${(size / (peer / 1000)).toFixed(1)} MB/s; bare PapaParse ...`);
  const papa = await benchPapa(file, papaRoot);
  log(`bare PapaParse ${(size / (papa.ms / 1000)).toFixed(1)} MB/s; the app ...`);
  const app = await benchApp(file);
  log(`the app ${(size / (app.ms / 1000)).toFixed(1)} MB/s; the app with one parse worker ...`);
  const one = await benchApp(file, '?parse-workers=1');
  log('the demo ...');
  const demo = await benchDemo();
  const papaRate = size / (papa.ms / 1000);
  const appRate = size / (app.ms / 1000);
  const oneRate = size / (one.ms / 1000);
  const peerRate = size / (peer / 1000);
  const longest =
    app.longtaskSupported === false
      ? 'not available (no longtask observer)'
      : `${app.longestTaskMs.toFixed(0)} ms (${app.longTasks} tasks over 50 ms) ${app.longestTaskMs <= 50 ? 'ok' : 'MISSED'} (goal <= 50 ms)`;
  process.stdout.write(
    table([
      ['machine', `${availableParallelism()} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${chromiumVersion()}`],
      ['input', `${file} (${size.toFixed(0)} MB, ${papa.rows} rows)`],
      ['DuckDB peer (bench/peer/, reads the raw file)', `${peerRate.toFixed(1)} MB/s (${(peer / 1000).toFixed(2)} s)`],
      [
        'the app, pick to alerts shown',
        `${appRate.toFixed(1)} MB/s (${(app.ms / 1000).toFixed(2)} s; ${app.alerts} alert rows shown)`,
      ],
      [
        'app / DuckDB peer throughput',
        `${(appRate / peerRate).toFixed(2)}x ${appRate >= 1.5 * peerRate ? 'ok' : 'MISSED'} (goal >= 1.5x)`,
      ],
      ['the app with one parse worker', `${oneRate.toFixed(1)} MB/s (${(one.ms / 1000).toFixed(2)} s)`],
      [
        'speed-up with every core, efficiency per core',
        `${(appRate / oneRate).toFixed(2)}x, ${((appRate / oneRate / availableParallelism()) * 100).toFixed(0)}% (${availableParallelism()} parse workers)`,
      ],
      ['bare PapaParse in a worker (floor, one thread)', `${papaRate.toFixed(1)} MB/s (${(papa.ms / 1000).toFixed(2)} s)`],
      ['longest main-thread task, ingest + 1 s', longest],
      ...(app.longTaskTimes.length
        ? [['  the longest ones', `${app.longTaskTimes.join(', ')} (run ends at +${(app.ms / 1000).toFixed(2)} s)`]]
        : []),
      ['peak worker memory, PapaParse', mem(papa.peak)],
      ['peak worker memory, app', mem(app.peak)],
      ['peak browser memory, app', browserMem(app.processes)],
      [
        'the demo, page load to alerts shown',
        `${(demo.ms / 1000).toFixed(2)} s (${demo.alerts} alert rows) ${demo.ms <= 1200 ? 'ok' : 'MISSED'} (goal < 1.2 s)`,
      ],
    ]),
  );
  const rows = await bigRuns(big, gz, heavy);
  if (rows.length) process.stdout.write(table(rows));
}

function chromiumVersion() {
  const r = spawnSync(CHROMIUM_PATH, ['--version']);
  return r.status === 0 ? r.stdout.toString().trim() : 'Chromium (version unknown)';
}

/** The 2 GB file, the 300 MB .gz and the 3 GB file of mostly non-browser rows through the app; no rows without them (--no-big). */
async function bigRuns(big, gz, heavy) {
  if (big === null || gz === null || heavy === null) return [];
  const rows = [];
  for (const f of [big, gz.path])
    await pipeline(createReadStream(f, { highWaterMark: 1 << 22 }), new Writable({ write: (_c, _e, next) => next() }));
  const bigMbActual = statSync(big).size / MB;
  log(`the app on ${big} (${bigMbActual.toFixed(0)} MB) ...`);
  rows.push(...bigRows(`app, ${(bigMbActual / 1000).toFixed(2)} GB file`, await benchApp(big), bigMbActual, bigMbActual));
  const gzMbActual = statSync(gz.path).size / MB;
  log(`the app on ${gz.path} (${gzMbActual.toFixed(0)} MB, ${(gz.textBytes / MB).toFixed(0)} MB of text) ...`);
  rows.push(...bigRows(`app, ${gzMbActual.toFixed(0)} MB .gz`, await benchApp(gz.path), gzMbActual, gz.textBytes / MB));
  const heavyMbActual = statSync(heavy).size / MB;
  log(`the app on ${heavy} (${heavyMbActual.toFixed(0)} MB, mostly non-browser rows) ...`);
  const h = await benchApp(heavy);
  rows.push(
    ...bigRows(`app, ${(heavyMbActual / 1000).toFixed(2)} GB of mostly non-browser rows`, h, heavyMbActual, heavyMbActual),
  );
  rows.push([
    '  non-browser events kept',
    `${h.events.toLocaleString('en-US')} ${h.events > 2_500_000 ? 'ok' : 'MISSED'} (goal > 2,500,000)`,
  ]);
  const peakMb = h.peak === null ? Infinity : h.peak.peakTotal / MB;
  rows.push(['  worker heap bound', `${peakMb.toFixed(0)} MB ${peakMb < 512 ? 'ok' : 'MISSED'} (goal < 512 MB)`]);
  return rows;
}

main().catch((e) => {
  console.error(`bench:browser: ${e.stack ?? e}`);
  process.exit(1);
});
