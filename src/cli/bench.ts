import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from './args';
import { benchFile } from './benchData';

/**
 * `npm run bench`: the CLI's detect against a bare PapaParse streaming parse of
 * the same file (the floor), each in its own process, in one run, so the ratio
 * holds on a noisy machine. Peak RSS is the child's own maxRSS. Beside them,
 * the same detection in DuckDB two ways: `detect --engine duckdb` (our map,
 * the SQL in DuckDB) and the peer an engineer would build instead of Offbrowse
 * (`offbrowse peer`: DuckDB reading the raw file itself). Their outputs must
 * equal the built-in engine's, byte for byte, before any speed is reported.
 */

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const MB = 1e6;

interface RunResult {
  ms: number;
  maxRssMb: number;
  /** SHA-256 of what the child printed. */
  stdoutHash: string;
  stdoutBytes: number;
}

function runChild(args: string[]): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, args, {
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
      if (code !== 0 || m === null) {
        reject(new Error(`bench child ${args.join(' ')} failed (${code}): ${err.slice(-500)}`));
        return;
      }
      const usage = JSON.parse(m[1]) as { maxRSS: number };
      resolvePromise({ ms, maxRssMb: usage.maxRSS / 1024, stdoutHash: hash.digest('hex'), stdoutBytes });
    });
  });
}

const papaOnly = (file: string): Promise<RunResult> => runChild([join(root, 'scripts/bench-papaparse.js'), file]);
const detect = (file: string): Promise<RunResult> => runChild([join(root, 'bin/offbrowse.js'), 'detect', '--json', file]);
const detectDuckDb = (file: string): Promise<RunResult> =>
  runChild([join(root, 'bin/offbrowse.js'), 'detect', '--engine', 'duckdb', '--json', file]);
const peer = (file: string): Promise<RunResult> => runChild([join(root, 'bin/offbrowse.js'), 'peer', '--json', file]);

function best(a: RunResult, b: RunResult): RunResult {
  return a.ms <= b.ms ? a : b;
}

export async function benchCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { flags: [], values: ['size-mb', 'small-mb', 'runs'] });
  const bigBytes = Number(args.values['size-mb'] ?? 500) * MB;
  const smallBytes = Number(args.values['small-mb'] ?? 100) * MB;
  const runs = Math.max(1, Number(args.values.runs ?? 2));
  const dataDir = join(root, 'bench-data');
  const log = (msg: string): boolean => process.stderr.write(`bench: ${msg}\n`);
  const big = await benchFile(dataDir, bigBytes, log);
  const small = await benchFile(dataDir, smallBytes, log);
  const bigMb = statSync(big).size / MB;
  const smallMb = statSync(small).size / MB;

  // Alternate the two programs so drift on a shared machine hits both alike; keep each one's best.
  let floor: RunResult | null = null;
  let full: RunResult | null = null;
  let duck: RunResult | null = null;
  let peerRun: RunResult | null = null;
  const speed = (r: RunResult): string => `${(bigMb / (r.ms / 1000)).toFixed(1)} MB/s`;
  for (let i = 0; i < runs; i++) {
    const p = await papaOnly(big);
    floor = floor ? best(floor, p) : p;
    const d = await detect(big);
    full = full ? best(full, d) : d;
    const e = await detectDuckDb(big);
    duck = duck ? best(duck, e) : e;
    const q = await peer(big);
    peerRun = peerRun ? best(peerRun, q) : q;
    process.stderr.write(
      `bench: run ${i + 1}/${runs}: papaparse ${speed(p)}, detect ${speed(d)}, detect --engine duckdb ${speed(e)}, DuckDB peer ${speed(q)}\n`,
    );
    // Every run's answers, not only the best ones: a speed is only worth reporting for the same alerts.
    for (const [name, r] of [['detect --engine duckdb', e], ['the DuckDB peer', q]] as const) {
      if (r.stdoutHash !== d.stdoutHash) {
        process.stderr.write(`bench: ${name} printed other alerts than detect on ${big} (${r.stdoutBytes} vs ${d.stdoutBytes} bytes): no speeds reported\n`);
        return 1;
      }
    }
  }
  const smallRun = await detect(small);
  if (floor === null || full === null || duck === null || peerRun === null) return 1;

  const rows: [string, string][] = [
    ['input', `${big} (${bigMb.toFixed(0)} MB)`],
    ['bare PapaParse stream parse', `${(bigMb / (floor.ms / 1000)).toFixed(1)} MB/s (${(floor.ms / 1000).toFixed(2)} s, peak RSS ${floor.maxRssMb.toFixed(0)} MB)`],
    ['offbrowse detect, end to end', `${(bigMb / (full.ms / 1000)).toFixed(1)} MB/s (${(full.ms / 1000).toFixed(2)} s)`],
    ['time ratio detect / PapaParse', `${(full.ms / floor.ms).toFixed(2)} (goal <= 1.25)`],
    [`peak RSS, detect on ${smallMb.toFixed(0)} MB`, `${smallRun.maxRssMb.toFixed(0)} MB`],
    [`peak RSS, detect on ${bigMb.toFixed(0)} MB`, `${full.maxRssMb.toFixed(0)} MB`],
    ['peak RSS growth', `${(full.maxRssMb / smallRun.maxRssMb).toFixed(2)}x for ${(bigMb / smallMb).toFixed(1)}x input (goal < 1.5x)`],
    ['same alerts (detect, --engine duckdb, peer)', `yes: ${full.stdoutBytes} bytes of JSON lines, sha256 ${full.stdoutHash.slice(0, 16)}…`],
    ['offbrowse detect --engine duckdb', `${speed(duck)} (${(duck.ms / 1000).toFixed(2)} s, peak RSS ${duck.maxRssMb.toFixed(0)} MB)`],
    ['DuckDB peer (reads the raw file)', `${speed(peerRun)} (${(peerRun.ms / 1000).toFixed(2)} s, peak RSS ${peerRun.maxRssMb.toFixed(0)} MB)`],
    ['speed ratio built-in / DuckDB peer', `${(peerRun.ms / full.ms).toFixed(2)} (above 1: the built-in engine is faster)`],
  ];
  const w = Math.max(...rows.map((r) => r[0].length));
  process.stdout.write(rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join('\n') + '\n');
  return 0;
}
