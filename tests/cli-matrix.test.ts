/**
 * The CLI's error contract, command by bad input (tests/cli-matrix.test.ts):
 * every command that reads a file, against every kind of bad file; every
 * command that writes, against every kind of place it cannot write; every
 * long command, stopped by SIGINT and SIGTERM part-way. For each cell: the
 * exit code, one line (or two: the inputs not read, then the save) starting
 * `offbrowse: ` that names the bad path, no stack frame, no usage text,
 * nothing temporary left behind, and, where good inputs were given beside
 * the bad one, their alerts printed as if alone.
 *
 * A new command or kind of input is one line in ROLES, INPUTS, OUTPUTS or
 * KILLS. Files root can read anyway (chmod 000, a folder chmod 555) are
 * tried as the user `nobody` (setpriv), as tests run as root.
 */
import { copyFileSync, chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../src/core/generate/index';
import { offbrowse, type CliOptions, type CliRun } from './helpers/cli';

const root = join(tmpdir(), `offbrowse-matrix-${process.pid}`);
const IN = join(root, 'in');
const GOOD = join(IN, 'good.log');
const MORE = join(IN, 'more.log');
const PNG = new URL('../docs/screenshot.png', import.meta.url);

/** A cell's own folders: `dir` for what it writes, `tmp` as its TMPDIR (the map's temporary runs). */
interface Cell {
  dir: string;
  tmp: string;
}

/** A kind of bad input file. `empty`: a log that is merely empty is no error (nothing to read). */
interface BadInput {
  kind: string;
  path: string;
  make?: () => void;
  asNobody?: boolean;
  empty?: boolean;
}

const INPUTS: BadInput[] = [
  { kind: 'missing', path: join(IN, 'no-such-folder', 'missing.log') },
  { kind: 'a folder', path: join(IN, 'a-folder'), make: () => mkdirSync(join(IN, 'a-folder')) },
  { kind: 'under a file', path: join(GOOD, 'x.log') },
  {
    kind: 'unreadable',
    path: join(IN, 'locked.log'),
    make: () => (copyFileSync(GOOD, join(IN, 'locked.log')), chmodSync(join(IN, 'locked.log'), 0o000)),
    asNobody: true,
  },
  { kind: 'binary (PNG)', path: join(IN, 'image.png'), make: () => copyFileSync(PNG, join(IN, 'image.png')) },
  { kind: 'empty', path: join(IN, 'empty.log'), make: () => writeFileSync(join(IN, 'empty.log'), ''), empty: true },
  {
    kind: 'truncated gzip',
    path: join(IN, 'cut.log.gz'),
    make: () => {
      const gz = gzipSync(readFileSync(GOOD));
      writeFileSync(join(IN, 'cut.log.gz'), gz.subarray(0, gz.length >> 1));
    },
  },
  {
    kind: 'garbage gzip',
    path: join(IN, 'garbage.log.gz'),
    make: () =>
      writeFileSync(join(IN, 'garbage.log.gz'), Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0]), Buffer.alloc(4000, 0xa5)])),
  },
];

/**
 * How a command takes a bad input. `alerts`: the good log is given too and
 * its alerts must print as if alone ('table' or 'json'); `emptyOk`: an empty
 * input is read as nothing (exit 0).
 */
interface Role {
  name: string;
  args: (bad: string, c: Cell) => string[];
  alerts?: 'table' | 'json';
  emptyOk?: boolean;
}

const ROLES: Role[] = [
  { name: 'detect', args: (bad) => ['detect', GOOD, bad], alerts: 'table', emptyOk: true },
  {
    name: 'detect --state (a bad log)',
    args: (bad, c) => ['detect', '--json', '--state', join(c.dir, 's.jsonl.gz'), GOOD, bad],
    alerts: 'json',
    emptyOk: true,
  },
  { name: 'detect --state BAD', args: (bad) => ['detect', '--json', '--state', bad, GOOD] },
  { name: 'detect --settings BAD', args: (bad) => ['detect', '--json', '--settings', bad, GOOD] },
  {
    name: 'detect --engine duckdb',
    args: (bad) => ['detect', '--json', '--engine', 'duckdb', '--threads', '1', GOOD, bad],
    alerts: 'json',
    emptyOk: true,
  },
  { name: 'events --out (csv)', args: (bad, c) => ['events', '--out', c.dir, GOOD, bad], emptyOk: true },
  {
    name: 'events --out --format parquet',
    args: (bad, c) => ['events', '--out', c.dir, '--format', 'parquet', GOOD, bad],
    emptyOk: true,
  },
  { name: 'sql-result', args: (bad) => ['sql-result', bad] },
  { name: 'sql --settings', args: (bad) => ['sql', '--dialect', 'duckdb', '--settings', bad] },
];

/** A kind of place a command cannot write to: `folder` for an --out, `file` for a --state. */
interface BadOutput {
  kind: string;
  folder: string;
  file: string;
  asNobody?: boolean;
}

const OUTPUTS: BadOutput[] = [
  { kind: 'read-only folder', folder: join(IN, 'read-only'), file: join(IN, 'read-only', 's.jsonl.gz'), asNobody: true },
  { kind: 'a file where a folder goes', folder: GOOD, file: join(GOOD, 's.jsonl.gz') },
  { kind: 'a folder that cannot be made', folder: '/proc/offbrowse-matrix/out', file: '/proc/offbrowse-matrix/s.jsonl.gz' },
];

interface Writer {
  name: string;
  args: (o: BadOutput) => string[];
  alerts?: 'json';
}

const WRITERS: Writer[] = [
  { name: 'detect --state', args: (o) => ['detect', '--json', '--state', o.file, GOOD], alerts: 'json' },
  { name: 'events --out (csv)', args: (o) => ['events', '--out', o.folder, GOOD] },
  { name: 'events --out --format parquet', args: (o) => ['events', '--out', o.folder, '--format', 'parquet', GOOD] },
  { name: 'generate --out', args: (o) => ['generate', '--out', o.folder, '--days', '2', '--hosts', '40'] },
];

/** A long command stopped at a stage it reaches (src/cli/testHook.ts). `state`: it has a saved state, which must stay as it was. */
interface Kill {
  name: string;
  stage: string;
  args: (c: Cell) => string[];
  state?: boolean;
}

const KILLS: Kill[] = [
  { name: 'detect', stage: 'mapped', args: () => ['detect', GOOD] },
  {
    name: 'detect --state',
    stage: 'state-drain',
    args: (c) => ['detect', '--state', join(c.dir, 's.jsonl.gz'), MORE],
    state: true,
  },
  { name: 'detect --engine duckdb', stage: 'mapped', args: () => ['detect', '--engine', 'duckdb', GOOD] },
  { name: 'events --out (csv)', stage: 'events-events-written', args: (c) => ['events', '--out', c.dir, GOOD] },
  {
    name: 'events --out --format parquet',
    stage: 'events-written',
    args: (c) => ['events', '--out', c.dir, '--format', 'parquet', GOOD],
  },
  {
    name: 'generate --out',
    stage: 'generate-file',
    args: (c) => ['generate', '--out', join(c.dir, 'gen'), '--days', '2', '--hosts', '40'],
  },
];

const SIGNALS = [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const;

/** What a cell expects. */
interface Expect {
  code: number;
  /** Text every `offbrowse: ` line together must contain (the bad path). */
  names: string;
  alerts?: 'table' | 'json';
  /** A file that must be byte for byte what it was. */
  unchanged?: { path: string; bytes: Buffer };
  killed?: boolean;
}

/** One cell of the matrix: declared here (so each is its own test), run in beforeAll. */
interface Run {
  title: string;
  args: (c: Cell) => string[];
  opts: CliOptions;
  /** What it expects, once its folder is made (a kill cell puts a saved state there first). */
  prepare: (c: Cell) => Expect;
  cell?: Cell;
  expect?: Expect;
  ms?: number;
  got?: Promise<CliRun>;
}

const runs: Run[] = [];
let baseline: { table: string; json: string };
let savedState: Buffer;

/** At most this many runs at once: the machine is shared. */
const PARALLEL = 3;
/** A run still going after this long is stopped and fails its cell (a hang, as `events --out /proc/…` once did). */
const HANG_MS = 60_000;
let running = 0;
const waiting: (() => void)[] = [];
async function limited<T>(f: () => Promise<T>): Promise<T> {
  if (running >= PARALLEL) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await f();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

let cells = 0;
function newCell(): Cell {
  const dir = join(root, `cell-${cells++}`);
  const cell = { dir, tmp: join(dir, 'tmpdir') };
  mkdirSync(cell.tmp, { recursive: true });
  // `nobody` writes here too.
  chmodSync(dir, 0o777);
  chmodSync(cell.tmp, 0o777);
  return cell;
}

function add(title: string, args: (c: Cell) => string[], opts: CliOptions, prepare: (c: Cell) => Expect): void {
  runs.push({ title, args, opts, prepare });
}

function start(run: Run): void {
  const cell = newCell();
  run.cell = cell;
  run.expect = run.prepare(cell);
  const { opts } = run;
  run.got = limited(async () => {
    const t0 = Date.now();
    const got = await offbrowse(run.args(cell), {
      ...opts,
      env: { TMPDIR: cell.tmp, ...opts.env },
      onStart: (child) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), HANG_MS);
        child.on('close', () => clearTimeout(timer));
        opts.onStart?.(child);
      },
    });
    run.ms = Date.now() - t0;
    return got;
  });
}

/** Stops the run with `signal` once it says it reached `stage`. */
function killAt(stage: string, signal: NodeJS.Signals): CliOptions {
  return {
    env: { OFFBROWSE_TEST_PAUSE_AT: stage },
    onStart: (child) => {
      let err = '';
      let sent = false;
      child.stderr?.on('data', (d: Buffer) => {
        err += d.toString();
        // Once: a second signal would find the handler gone and kill it outright.
        if (!sent && err.includes(`offbrowse: test pause at ${stage}\n`)) {
          sent = true;
          child.kill(signal);
        }
      });
    },
  };
}

/** Temporary files of ours anywhere under `dir`: a `.tmp`, a `.partial`, a folder of temporary runs. */
function leftovers(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((p) => /\.(tmp|partial)$|(^|\/)offbrowse-runs-/.test(p))
    .map((p) => relative(root, join(dir, p)));
}

for (const role of ROLES) {
  for (const input of INPUTS) {
    add(
      `${role.name} × ${input.kind}`,
      (c) => role.args(input.path, c),
      { asNobody: input.asNobody },
      () => ({
        code: input.empty && role.emptyOk ? 0 : 2,
        names: input.path,
        alerts: role.alerts,
      }),
    );
  }
}
for (const writer of WRITERS) {
  for (const output of OUTPUTS) {
    add(
      `${writer.name} × ${output.kind}`,
      () => writer.args(output),
      { asNobody: output.asNobody },
      () => ({
        code: 2,
        names: writer.name === 'detect --state' ? output.file : output.folder,
        alerts: writer.alerts,
      }),
    );
  }
}
for (const kill of KILLS) {
  for (const [signal, code] of SIGNALS) {
    add(`${kill.name} × ${signal} part-way`, kill.args, killAt(kill.stage, signal), (c) => {
      if (!kill.state) return { code, names: signal, killed: true };
      const path = join(c.dir, 's.jsonl.gz');
      writeFileSync(path, savedState);
      return { code, names: signal, killed: true, unchanged: { path, bytes: savedState } };
    });
  }
}

beforeAll(async () => {
  mkdirSync(IN, { recursive: true });
  chmodSync(root, 0o755);
  chmodSync(IN, 0o755);
  const data = generate({ days: 16, hosts: 40, seed: 5, rate: 1 });
  writeFileSync(GOOD, data.files.map((f) => [...f.chunks()].join('')).join(''));
  const more = generate({ days: 2, hosts: 40, seed: 6, rate: 1, start: '2026-09-21' });
  writeFileSync(MORE, more.files.map((f) => [...f.chunks()].join('')).join(''));
  for (const input of INPUTS) input.make?.();
  mkdirSync(join(IN, 'read-only'));
  chmodSync(join(IN, 'read-only'), 0o555);

  // The good log alone (this also builds the CLI's bundle, before any run as `nobody` needs it).
  const table = await offbrowse(['detect', GOOD]);
  const json = await offbrowse(['detect', '--json', GOOD]);
  expect(table.code, table.stderr).toBe(0);
  expect(json.code, json.stderr).toBe(0);
  expect(json.stdout.split('\n').filter(Boolean).length, 'the good log has alerts').toBeGreaterThan(0);
  baseline = { table: table.stdout, json: json.stdout };
  const state = join(root, 'saved.jsonl.gz');
  const saved = await offbrowse(['detect', '--state', state, GOOD]);
  expect(saved.code, saved.stderr).toBe(0);
  savedState = readFileSync(state);

  for (const run of runs) start(run);
  await Promise.all(runs.map((r) => r.got));
}, 600_000);

afterAll(() => {
  chmodSync(join(IN, 'read-only'), 0o755);
  rmSync(root, { recursive: true, force: true });
});

describe('the CLI error contract', () => {
  it(`covers ${ROLES.length} commands × ${INPUTS.length} bad inputs, ${WRITERS.length} writers × ${OUTPUTS.length} bad places, ${KILLS.length} runs × ${SIGNALS.length} signals`, () => {
    expect(runs.length).toBe(ROLES.length * INPUTS.length + WRITERS.length * OUTPUTS.length + KILLS.length * SIGNALS.length);
  });

  it.each(runs.map((r) => [r.title, r] as const))('%s', async (_title, run) => {
    const got = await run.got!;
    const want = run.expect!;
    const context = `exit ${got.code} ${got.signal ?? ''} after ${run.ms} ms\n${got.stderr}`;
    expect(got.code, context).toBe(want.code);
    const lines = got.stderr.split('\n').filter((l) => l.startsWith('offbrowse: ') && !l.startsWith('offbrowse: test pause at'));
    if (want.code === 0) {
      expect(lines, context).toEqual([]);
    } else {
      expect(lines.length, context).toBeGreaterThanOrEqual(1);
      expect(lines.length, context).toBeLessThanOrEqual(2);
      expect(lines.join('\n'), context).toContain(want.names);
    }
    expect(got.stderr, 'no stack frame').not.toMatch(/^\s+at /m);
    expect(got.stderr, 'no usage text').not.toContain('usage:');
    if (want.alerts !== undefined) expect(got.stdout, 'the good log’s alerts, as if alone').toBe(baseline[want.alerts]);
    if (want.unchanged)
      expect(readFileSync(want.unchanged.path).equals(want.unchanged.bytes), 'the saved state as it was').toBe(true);
    expect([...leftovers(run.cell!.dir), ...leftovers(IN)], 'nothing temporary left').toEqual([]);
  });
});
