import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { availableParallelism, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from '../src/cli/args';
import { run } from './run';
import { benchFile, heavyFile } from './benchData';
import { evtxRows } from './evtxBench';
import { buildPeer, repoRoot } from './peerProcess';
import { startRows } from './startBench';

/**
 * `npm run bench [-- --size-mb 800 --span-mb 250 --runs 2 --evtx-mb 150 --evtx-only]`: the CLI's detect
 * against the peer an engineer would build instead of Offbrowse
 * (bench/peer/: DuckDB reading the raw file itself, classifying with its own
 * SQL and running the detection SQL), and against `detect --engine duckdb` (our
 * map, the SQL in DuckDB), on one generated file in each PAN-OS layout
 * (syslog lines, CSV export) and one of mostly non-browser rows, each program in its own process, alternated in
 * one run so the ratios hold on a noisy machine. The outputs must equal the
 * built-in engine's, byte for byte, before any speed is reported. Then the
 * scaling from one thread to two, the PapaParse floor, and peak RSS (the
 * child's own maxRSS, median of the runs) on a file and on eight times its
 * events over eight times its span, and the start-up of each way of running
 * the CLI on a small file. The first file is 250 MB so that the process reaches the
 * working set it keeps (on a much smaller one the ratio measures start-up:
 * the run ends before the heaps have grown to their steady size).
 */

const root = repoRoot;
const MB = 1e6;

interface RunResult {
  ms: number;
  maxRssMb: number;
  /** SHA-256 of what the child printed. */
  stdoutHash: string;
  stdoutBytes: number;
  stderr: string;
}

/** Runs `node ARGS...` (or `command ARGS...`) to its end; `rusage`: the child must report its peak memory, as bin/offbrowse.js and the peer do. */
function runChild(args: string[], command = process.execPath, rusage = true): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, {
      cwd: root,
      env: { ...process.env, OFFBROWSE_RUSAGE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const hash = createHash('sha256');
    let stdoutBytes = 0;
    child.stdout.on('data', (d: Buffer) => {
      hash.update(d);
      stdoutBytes += d.length;
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const m = /rusage: (\{.*\})/.exec(err);
      if (code !== 0 || (rusage && m === null)) {
        reject(new Error(`bench child ${command} ${args.join(' ')} failed (${code}): ${err.slice(-500)}`));
        return;
      }
      const maxRssMb = m === null ? NaN : (JSON.parse(m[1]) as { maxRSS: number }).maxRSS / 1024;
      resolvePromise({ ms, maxRssMb, stdoutHash: hash.digest('hex'), stdoutBytes, stderr: err });
    });
  });
}

const bin = join(root, 'bin/offbrowse.js');
const papaOnly = (file: string): Promise<RunResult> => runChild([join(root, 'scripts/bench-papaparse.js'), file]);
const detect = (file: string, threads?: number): Promise<RunResult> =>
  runChild([bin, 'detect', '--json', ...(threads === undefined ? [] : ['--threads', String(threads)]), file]);
const detectDuckDb = (file: string): Promise<RunResult> => runChild([bin, 'detect', '--engine', 'duckdb', '--json', file]);
/** `script`: the peer's bundle (bench/peerProcess.ts). */
const peer = (script: string, file: string): Promise<RunResult> => runChild([script, '--json', file]);

function best(a: RunResult | null, b: RunResult): RunResult {
  return a !== null && a.ms <= b.ms ? a : b;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/**
 * The serial fraction s that Amdahl's law, S(n) = 1 / (s + (1 - s) / n), gives for the speed-up
 * measured from one thread to two (s = 2 / S - 1), and what it predicts for 8 cores: on paper only,
 * as this machine has two.
 */
function amdahl(speedUp: number, name: string): [string, string] {
  const s = Math.min(1, Math.max(0, 2 / speedUp - 1));
  const eight = 1 / (s + (1 - s) / 8);
  return [
    `serial fraction (Amdahl, 1 to 2 threads), 8 cores on paper (${name})`,
    `${(s * 100).toFixed(0)}% serial: 8 cores would give ${eight.toFixed(2)}x one thread, ${((eight / 8) * 100).toFixed(0)}% per core`,
  ];
}

const seconds = (r: RunResult): string => `${(r.ms / 1000).toFixed(2)} s`;

/**
 * One layout's file: detect (every core), detect --engine duckdb and the
 * peer, alternated, best of `runs`; null (and a message) when their alerts
 * differ, since a speed is only worth reporting for the same answers.
 */
async function layout(
  file: string,
  runs: number,
  peerScript: string,
  log: (m: string) => void,
): Promise<{ full: RunResult; duck: RunResult; peer: RunResult } | null> {
  const mb = statSync(file).size / MB;
  let full: RunResult | null = null;
  let duck: RunResult | null = null;
  let peerRun: RunResult | null = null;
  const speed = (r: RunResult): string => `${(mb / (r.ms / 1000)).toFixed(1)} MB/s`;
  for (let i = 0; i < runs; i++) {
    const d = await detect(file);
    const e = await detectDuckDb(file);
    const q = await peer(peerScript, file);
    full = best(full, d);
    duck = best(duck, e);
    peerRun = best(peerRun, q);
    log(`${file} run ${i + 1}/${runs}: detect ${speed(d)}, detect --engine duckdb ${speed(e)}, DuckDB peer ${speed(q)}`);
    for (const [name, r] of [
      ['detect --engine duckdb', e],
      ['the DuckDB peer', q],
    ] as const) {
      if (r.stdoutHash !== d.stdoutHash) {
        log(
          `${name} printed other alerts than detect on ${file} (${r.stdoutBytes} vs ${d.stdoutBytes} bytes): no speeds reported`,
        );
        return null;
      }
    }
  }
  return { full: full!, duck: duck!, peer: peerRun! };
}

async function bench(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { flags: ['evtx-only'], values: ['size-mb', 'span-mb', 'runs', 'evtx-mb'] });
  const bytes = Number(args.values['size-mb'] ?? 800) * MB;
  const spanBytes = Number(args.values['span-mb'] ?? 250) * MB;
  const runs = Math.max(1, Number(args.values.runs ?? 2));
  const dataDir = join(root, 'bench-data');
  const log = (msg: string): boolean => process.stderr.write(`bench: ${msg}\n`);
  // EVTX: the CLI against evtxexport on the same files (bench/evtxBench.ts).
  const evtx = await evtxRows(
    dataDir,
    Number(args.values['evtx-mb'] ?? 150) * MB,
    runs,
    (files) => runChild([bin, 'detect', '--json', ...files]),
    log,
  );
  if (evtx === null) return 1;
  if (args.flags['evtx-only']) {
    const w = Math.max(...evtx.map((r) => r[0].length));
    process.stdout.write(evtx.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join('\n') + '\n');
    return 0;
  }
  const peerScript = await buildPeer();
  const syslog = await benchFile(dataDir, bytes, log, 'syslog');
  const csv = await benchFile(dataDir, bytes, log, 'csv');
  // The same size again, of mostly non-browser rows (70%; 20% browser, 10% without a User-Agent): the detector's work.
  const heavy = await heavyFile(dataDir, bytes, 30, log);
  // Memory: the same hosts and keys, eight times the events over eight times the span.
  const span1 = await heavyFile(dataDir, spanBytes, 30, log);
  const span8 = await heavyFile(dataDir, spanBytes * 8, 240, log);

  const rows: [string, string][] = [
    ['machine', `${availableParallelism()} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.versions.node}`],
  ];
  const mbOf = (f: string): number => statSync(f).size / MB;
  const speed = (f: string, r: RunResult): string =>
    `${(mbOf(f) / (r.ms / 1000)).toFixed(1)} MB/s (${seconds(r)}, peak RSS ${r.maxRssMb.toFixed(0)} MB)`;
  for (const [name, file] of [
    ['syslog lines', syslog],
    ['CSV export', csv],
    ['mostly non-browser rows (syslog)', heavy],
  ] as const) {
    const got = await layout(file, runs, peerScript, log);
    if (got === null) return 1;
    rows.push(
      [`${name}: input`, `${file} (${mbOf(file).toFixed(0)} MB)`],
      [`${name}: offbrowse detect`, speed(file, got.full)],
      [`${name}: offbrowse detect --engine duckdb`, speed(file, got.duck)],
      [`${name}: DuckDB peer (reads the raw file)`, speed(file, got.peer)],
      [
        `${name}: same alerts from all three`,
        `yes: ${got.full.stdoutBytes} bytes of JSON lines, sha256 ${got.full.stdoutHash.slice(0, 16)}…`,
      ],
      [`${name}: throughput, detect / DuckDB peer`, `${(got.peer.ms / got.full.ms).toFixed(2)}x (goal >= 2.5x, moonshot 3.5x)`],
    );
  }

  // Scaling with cores, on the mix and on mostly non-browser rows (where the reduce, on one thread, weighs most).
  for (const [name, file] of [
    ['syslog file', syslog],
    ['mostly non-browser', heavy],
  ] as const) {
    let one: RunResult | null = null;
    let two: RunResult | null = null;
    for (let i = 0; i < runs; i++) {
      one = best(one, await detect(file, 1));
      two = best(two, await detect(file, 2));
    }
    rows.push(
      [`detect --threads 1 (${name})`, speed(file, one!)],
      [`detect --threads 2 (${name})`, speed(file, two!)],
      [
        `speed-up with 2 threads, efficiency per core (${name})`,
        `${(one!.ms / two!.ms).toFixed(2)}x, ${((one!.ms / two!.ms / 2) * 100).toFixed(0)}%`,
      ],
      amdahl(one!.ms / two!.ms, name),
    );
  }
  // The floor: PapaParse doing nothing but parse.
  let floor: RunResult | null = null;
  for (let i = 0; i < runs; i++) floor = best(floor, await papaOnly(syslog));
  rows.push(['bare PapaParse stream parse (one thread)', speed(syslog, floor!)]);

  // Peak RSS moves by tens of MB from run to run of the same file: each size is run `runs` times, alternating, and the medians compared.
  const rss1: number[] = [];
  const rss8: number[] = [];
  for (let i = 0; i < runs; i++) {
    rss1.push((await detect(span1)).maxRssMb);
    rss8.push((await detect(span8)).maxRssMb);
  }
  const m1 = median(rss1);
  const m8 = median(rss8);
  const spread = (xs: number[]): string => (runs === 1 ? '' : ` (median of ${runs}: ${xs.map((x) => x.toFixed(0)).join(', ')})`);
  rows.push(
    [`peak RSS, ${mbOf(span1).toFixed(0)} MB over 30 days`, `${m1.toFixed(0)} MB${spread(rss1)}`],
    [`peak RSS, ${mbOf(span8).toFixed(0)} MB over 240 days (same hosts and keys)`, `${m8.toFixed(0)} MB${spread(rss8)}`],
    ['peak RSS growth for 8x the events over 8x the span', `${(m8 / m1).toFixed(2)}x (goal <= 1.3x)`],
  );
  // Start-up: each way of starting the CLI on a small file (bench/startBench.ts).
  const start = await startRows(syslog, bin, runs, (command, argv, cli) => runChild(argv, command, cli), log);
  if (start === null) return 1;
  rows.push(...start);
  rows.push(...evtx);
  const w = Math.max(...rows.map((r) => r[0].length));
  process.stdout.write(rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join('\n') + '\n');
  return 0;
}

await run('bench', bench);
