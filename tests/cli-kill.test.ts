/**
 * The CLI killed for real (SIGKILL, which no handler sees) while it saves a
 * state, while it writes a map's output and while `generate` writes a dataset, at named stages
 * (OFFBROWSE_TEST_PAUSE_AT, src/cli/testHook.ts) and after delays drawn from
 * a seed between 0 and the length of an uninterrupted run. After each kill:
 * the previous state is byte for byte as it was, or the complete new one;
 * the map's folder holds only whole outputs; `generate`'s folder only whole
 * files; the next run removes what the killed one left; and its alerts are those of an uninterrupted run.
 *
 * The seed is printed (`kill seed=N`); OFFBROWSE_KILL_SEED=N replays it,
 * OFFBROWSE_KILL_POINTS sets how many timed kills each test adds (default 1,
 * for CI time: the named stages run every time, and each run's new seed puts
 * the timed kill at another moment, so runs over time cover the whole run).
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../src/core/generate/index';
import { offbrowse, type CliOptions, type CliRun } from './helpers/cli';
import { KILL_POINTS, KILL_SEED, rng } from './helpers/kill-seed';

const SEED = KILL_SEED;
/** Timed kills each test adds to its named stages. */
const TIMED = KILL_POINTS;
console.log(`kill seed=${SEED} (replay: OFFBROWSE_KILL_SEED=${SEED})`);

let dir: string;
let first: string;
let second: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'offbrowse-kill-'));
  const days = generate({ days: 18, hosts: 40, seed: 7, rate: 1 }).files.map((f) => [...f.chunks()].join(''));
  first = join(dir, 'first.log');
  second = join(dir, 'second.log');
  writeFileSync(first, days.slice(0, 12).join(''));
  writeFileSync(second, days.slice(12).join(''));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A kill point: a named stage, or a delay after the start. */
type Point = { stage: string } | { afterMs: number };
const label = (p: Point): string => ('stage' in p ? `at ${p.stage}` : `after ${p.afterMs} ms`);

/** Runs `args` and SIGKILLs it at `point`; resolves when it is gone. */
function killed(args: string[], point: Point): Promise<CliRun> {
  const opts: CliOptions =
    'stage' in point
      ? {
          env: { OFFBROWSE_TEST_PAUSE_AT: point.stage },
          onStart: (child) => {
            let err = '';
            child.stderr?.on('data', (d: Buffer) => {
              err += d.toString();
              if (err.includes(`offbrowse: test pause at ${point.stage}\n`)) child.kill('SIGKILL');
            });
          },
        }
      : { onStart: (child) => void setTimeout(() => child.kill('SIGKILL'), point.afterMs) };
  return offbrowse(args, opts);
}

/** Timed points spread over a run of `ms`, drawn from the seed (each test draws its own, so it replays alone). */
function timedPoints(ms: number): Point[] {
  const rand = rng(SEED);
  return Array.from({ length: TIMED }, () => ({ afterMs: Math.floor(rand() * ms) }));
}

const temporaries = (folder: string): string[] => readdirSync(folder).filter((n) => /\.(tmp|partial)$/.test(n));

/** The state's lines, or null when it is not a whole state file (gunzip or its end line fails). */
function wholeState(path: string): string[] | null {
  try {
    const lines = gunzipSync(readFileSync(path)).toString('utf8').trim().split('\n');
    return /^\{"t":"end"/.test(lines[lines.length - 1]) ? lines : null;
  } catch {
    return null;
  }
}

describe('detect --state killed with SIGKILL', () => {
  it('leaves the previous state or the whole new one, and the next run cleans up and gives the alerts of an uninterrupted run', async () => {
    // The history before, and the run the kills interrupt, uninterrupted.
    const before = join(dir, 'before.jsonl.gz');
    expect((await offbrowse(['detect', '--state', before, first])).code).toBe(0);
    const previous = readFileSync(before);
    const ref = join(dir, 'ref.jsonl.gz');
    copyFileSync(before, ref);
    const t0 = Date.now();
    const whole = await offbrowse(['detect', '--json', '--state', ref, second]);
    const ms = Date.now() - t0;
    expect(whole.code, whole.stderr).toBe(0);
    expect(whole.stdout.length).toBeGreaterThan(0);
    const newEvents = wholeState(ref)!.length;

    const points: Point[] = [
      ...['state-drain', 'state-written', 'state-synced', 'state-renamed'].map((stage) => ({ stage })),
      ...timedPoints(ms),
    ];
    const seen = { old: 0, new: 0, leftovers: 0 };
    for (const [i, point] of points.entries()) {
      const folder = join(dir, `state-${i}`);
      mkdirSync(folder);
      const state = join(folder, 's.jsonl.gz');
      copyFileSync(before, state);
      const got = await killed(['detect', '--json', '--state', state, second], point);
      const at = `seed ${SEED}, kill ${label(point)} (${got.signal ?? `exit ${got.code}`})`;

      const now = readFileSync(state);
      if (now.equals(previous)) seen.old++;
      else {
        expect(wholeState(state)?.length, `${at}: a changed state is the whole new one`).toBe(newEvents);
        seen.new++;
      }
      if (temporaries(folder).length > 0) seen.leftovers++;

      const again = await offbrowse(['detect', '--json', '--state', state, second]);
      expect(again.code, `${at}: ${again.stderr}`).toBe(0);
      expect(temporaries(folder), `${at}: the next run removed what the killed one left`).toEqual([]);
      expect(again.stdout, `${at}: the alerts of an uninterrupted run`).toBe(whole.stdout);
    }
    console.log(
      `detect --state: ${points.length} kill points (seed ${SEED}): ${seen.old} left the old state, ${seen.new} the new one, ${seen.leftovers} left a temporary file the next run removed`,
    );
    // The stages before the rename keep the old state and leave its temporary file; the one after has the new.
    expect(seen.old).toBeGreaterThanOrEqual(3);
    expect(seen.leftovers).toBeGreaterThanOrEqual(3);
    expect(seen.new).toBeGreaterThanOrEqual(1);
  }, 600_000);
});

describe('events --out killed with SIGKILL', () => {
  it('never leaves a half-written run that the reduce reads as whole; the next run completes or cleans it', async () => {
    // An uninterrupted map of both files into one folder, and its reduce.
    const ref = join(dir, 'ref-out');
    expect((await offbrowse(['events', '--out', ref, first])).code).toBe(0);
    const t0 = Date.now();
    const mapped = await offbrowse(['events', '--out', ref, second]);
    const ms = Date.now() - t0;
    expect(mapped.code, mapped.stderr).toBe(0);
    const outputs = new Map(readdirSync(ref).map((n) => [n, readFileSync(join(ref, n))]));
    const reduce = (folder: string): Promise<CliRun> =>
      offbrowse(['detect', '--json', '--engine', 'duckdb', '--events-dir', folder]);
    const whole = await reduce(ref);
    expect(whole.code, whole.stderr).toBe(0);
    expect(whole.stdout.length).toBeGreaterThan(0);

    const points: Point[] = [
      ...['mapped', 'events-events-written', 'events-written', 'events-files-renamed'].map((stage) => ({ stage })),
      ...timedPoints(ms),
    ];
    let cleaned = 0;
    for (const [i, point] of points.entries()) {
      const folder = join(dir, `out-${i}`);
      expect((await offbrowse(['events', '--out', folder, first])).code).toBe(0);
      const got = await killed(['events', '--out', folder, second], point);
      const at = `seed ${SEED}, kill ${label(point)} (${got.signal ?? `exit ${got.code}`})`;
      if (temporaries(folder).length > 0) cleaned++;

      // Every output under its final name is whole: the same bytes as the uninterrupted run's.
      for (const name of readdirSync(folder).filter((n) => !n.startsWith('.')))
        expect(readFileSync(join(folder, name)).equals(outputs.get(name)!), `${at}: ${name} whole`).toBe(true);
      // The reduce reads the folder as it is: whole runs only, or a refusal naming what is missing.
      const early = await reduce(folder);
      if (early.code === 0) expect(readdirSync(folder).filter((n) => !n.startsWith('.')).length % 2, at).toBe(0);
      else expect(early.stderr, at).toMatch(/has no (events|files)-[0-9a-f]{16}\.csv beside it/);

      const again = await offbrowse(['events', '--out', folder, second]);
      expect(again.code, `${at}: ${again.stderr}`).toBe(0);
      expect(temporaries(folder), `${at}: the next run removed what the killed one left`).toEqual([]);
      expect(new Set(readdirSync(folder)), at).toEqual(new Set(outputs.keys()));
      const after = await reduce(folder);
      expect(after.stdout, `${at}: the alerts of an uninterrupted map`).toBe(whole.stdout);
    }
    console.log(
      `events --out: ${points.length} kill points (seed ${SEED}), ${cleaned} left temporary files the next run removed or completed`,
    );
    // The three stages after the first write each leave a temporary file.
    expect(cleaned).toBeGreaterThanOrEqual(3);
  }, 600_000);
});

describe('generate --out killed with SIGKILL', () => {
  it('leaves only whole files under their names; the next run removes what the killed one left and writes the same bytes', async () => {
    const args = (out: string, gzip: boolean): string[] => [
      'generate',
      '--out',
      out,
      '--days',
      '6',
      '--hosts',
      '300',
      ...(gzip ? ['--gzip'] : []),
    ];
    const files = new Map<boolean, Map<string, Buffer>>();
    const times = new Map<boolean, number>();
    for (const gzip of [false, true]) {
      const ref = join(dir, `gen-ref-${gzip}`);
      const t0 = Date.now();
      const r = await offbrowse(args(ref, gzip));
      times.set(gzip, Date.now() - t0);
      expect(r.code, r.stderr).toBe(0);
      files.set(gzip, new Map(readdirSync(ref).map((n) => [n, readFileSync(join(ref, n))])));
    }

    // Named stages (before the first byte; written and synced, not yet renamed), in both forms, then timed kills.
    const points: [Point, boolean][] = [
      [{ stage: 'generate-file' }, false],
      [{ stage: 'generate-synced' }, true],
      ...timedPoints(times.get(false)!).map((p): [Point, boolean] => [p, false]),
      ...timedPoints(times.get(true)!).map((p): [Point, boolean] => [p, true]),
    ];
    let left = 0;
    let partial = 0;
    for (const [i, [point, gzip]] of points.entries()) {
      const folder = join(dir, `gen-${i}`);
      const want = files.get(gzip)!;
      const got = await killed(args(folder, gzip), point);
      const at = `seed ${SEED}, generate${gzip ? ' --gzip' : ''} killed ${label(point)} (${got.signal ?? `exit ${got.code}`})`;
      // A kill before the folder was made leaves nothing at all.
      const names = existsSync(folder) ? readdirSync(folder) : [];
      // Every file under a name the dataset has is whole: the bytes of the uninterrupted run.
      for (const name of names.filter((n) => !n.endsWith('.tmp'))) {
        expect(want.has(name), `${at}: ${name} is one of the dataset's`).toBe(true);
        expect(readFileSync(join(folder, name)).equals(want.get(name)!), `${at}: ${name} whole`).toBe(true);
      }
      if (names.some((n) => n.endsWith('.tmp'))) left++;
      if (names.filter((n) => !n.endsWith('.tmp')).length < want.size) partial++;

      const again = await offbrowse(args(folder, gzip));
      expect(again.code, `${at}: ${again.stderr}`).toBe(0);
      for (const t of names.filter((n) => n.endsWith('.tmp')))
        expect(again.stderr, `${at}: says what it removed`).toContain(`removed ${join(folder, t)}, left by an earlier run`);
      expect(temporaries(folder), `${at}: the next run removed what the killed one left`).toEqual([]);
      expect(new Set(readdirSync(folder)), at).toEqual(new Set(want.keys()));
      for (const [name, bytes] of want) expect(readFileSync(join(folder, name)).equals(bytes), `${at}: ${name}`).toBe(true);
    }
    console.log(
      `generate --out: ${points.length} kill points (seed ${SEED}): ${partial} stopped before the dataset was whole, ${left} left a temporary file the next run removed`,
    );
    // The two named stages each leave a temporary file and no whole dataset.
    expect(left).toBeGreaterThanOrEqual(2);
    expect(partial).toBeGreaterThanOrEqual(2);
  }, 600_000);
});
