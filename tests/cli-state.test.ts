/**
 * The CLI's state file (`detect --state`): gzip JSON lines, streamed; a
 * history saved after some files and loaded before the rest gives the
 * alerts of one run; repeats are known by content; version 1 files still
 * load; bad files are refused and left as they were; temporary runs are
 * removed even when the program is stopped with Ctrl-C.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../src/core/generate/index';
import { offbrowse, type CliOptions, type CliRun } from './helpers/cli';

const cli = (args: string[], env: Record<string, string> = {}, onStart?: CliOptions['onStart']): Promise<CliRun> =>
  offbrowse(args, { env, onStart });

const V1 = fileURLToPath(new URL('./fixtures/state-v1/offbrowse-state-v1.json', import.meta.url));
const HOLD_RUNS = fileURLToPath(new URL('./helpers/hold-runs.ts', import.meta.url));

let dir: string;
let files: string[];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'offbrowse-state-test-'));
  // The dataset the version 1 fixture was written from (its README).
  files = generate({ days: 20, hosts: 40, seed: 5, rate: 2 }).files.map((f) => {
    const path = join(dir, f.name);
    writeFileSync(path, [...f.chunks()].join(''));
    return path;
  });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function stateLines(path: string): Record<string, unknown>[] {
  return gunzipSync(readFileSync(path))
    .toString('utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('detect --state', () => {
  it('two halves in reverse order, saved between, give the alerts of one run; a repeat adds nothing', async () => {
    const batch = await cli(['detect', '--json', ...files]);
    expect(batch.code, batch.stderr).toBe(0);
    expect(batch.stdout.split('\n').filter(Boolean).length).toBeGreaterThan(0);

    const state = join(dir, 'halves.jsonl.gz');
    const later = await cli(['detect', '--json', '--state', state, ...files.slice(10)]);
    expect(later.code, later.stderr).toBe(0);
    const lines = stateLines(state);
    expect(lines[0]).toMatchObject({ format: 'offbrowse-state', version: 2 });
    expect(lines[lines.length - 1]).toMatchObject({ t: 'end' });
    const times = lines.filter((l) => l.t === 'e').map((l) => l.time as number);
    expect(times.length).toBe((lines[0] as { events: number }).events);
    expect(
      times.every((t, i) => i === 0 || times[i - 1] <= t),
      'events in time order',
    ).toBe(true);

    const renamed = join(dir, 'renamed-copy.log');
    copyFileSync(files[15], renamed);
    const earlier = await cli(['detect', '--json', '--threads', '3', '--state', state, ...files.slice(0, 10), renamed]);
    expect(earlier.code, earlier.stderr).toBe(0);
    expect(earlier.stderr).toContain(`file renamed-copy.log: already read (same content as ${files[15].replace(/^.*\//, '')})`);
    expect(earlier.stdout).toBe(batch.stdout);
  }, 120_000);

  it('runs a saved state alone again under new settings, as a run of its files under them would', async () => {
    const state = join(dir, 'alone.jsonl.gz');
    expect((await cli(['detect', '--state', state, ...files])).code).toBe(0);
    const settings = join(dir, 'rare3.json');
    writeFileSync(settings, JSON.stringify({ rareHosts: 3, trainingDays: 10 }));
    const batch = await cli(['detect', '--json', '--settings', settings, ...files]);
    const alone = await cli(['detect', '--json', '--settings', settings, '--state', state]);
    expect(alone.code, alone.stderr).toBe(0);
    expect(alone.stdout).toBe(batch.stdout);
    expect(alone.stdout).not.toBe((await cli(['detect', '--json', ...files])).stdout);
    // Saved under them: run alone again, with no settings given, it gives the same.
    expect((await cli(['detect', '--json', '--state', state])).stdout).toBe(batch.stdout);
  }, 120_000);

  it('reads a version 1 state file (one JSON object), keeps its triage, and saves version 2', async () => {
    const state = join(dir, 'old.json');
    copyFileSync(V1, state);
    const batch = await cli(['detect', '--json', ...files]);
    const got = await cli(['detect', '--json', '--state', state, ...files.slice(4)]);
    expect(got.code, got.stderr).toBe(0);
    expect(got.stdout).toBe(batch.stdout);
    const lines = stateLines(state);
    expect(lines[0]).toMatchObject({ version: 2 });
    expect((lines[0] as { files: unknown[] }).files).toHaveLength(20);
    expect(lines.filter((l) => l.t === 'triage')).toEqual([
      {
        t: 'triage',
        id: 'website_access|10.20.0.7|curl|example.com|2026-09-20T10:00:00.000Z',
        status: 'benign',
        note: 'added by hand to the fixture',
        changedAt: '2026-11-01T09:00:00.000Z',
      },
    ]);
  }, 120_000);

  it('refuses a newer, a foreign and a cut-short state file, and leaves each as it was', async () => {
    const header = stateLines((await saved()).path)[0];
    const cases: [string, Buffer, RegExp][] = [
      ['newer.jsonl.gz', gzipSync(JSON.stringify({ ...header, version: 99 }) + '\n'), /newer than this Offbrowse reads/],
      ['foreign.jsonl.gz', gzipSync('{"hello":"world"}\n'), /not an Offbrowse state file/],
      [
        'cut.jsonl.gz',
        gzipSync(
          gunzipSync((await saved()).bytes)
            .toString('utf8')
            .replace(/\{"t":"end"[^\n]*\n$/, ''),
        ),
        /cut short/,
      ],
      ['garbage.json', Buffer.from('not json at all'), /not an Offbrowse state file/],
    ];
    for (const [name, bytes, message] of cases) {
      const path = join(dir, name);
      writeFileSync(path, bytes);
      const got = await cli(['detect', '--state', path, files[0]]);
      expect(got.code, name).toBe(2);
      expect(got.stderr, name).toMatch(message);
      expect(readFileSync(path).equals(bytes), `${name} unchanged`).toBe(true);
    }
  }, 120_000);

  it('removes its temporary runs when stopped with Ctrl-C', async () => {
    // A store holding a run, stopped: the folder goes, and the exit code says why.
    const holder = spawn(process.execPath, ['--import', 'tsx', HOLD_RUNS], { stdio: ['ignore', 'pipe', 'pipe'] });
    const runs = await new Promise<string>((resolve, reject) => {
      let out = '';
      holder.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /ready (\S+)\n/.exec(out);
        if (m) resolve(m[1]);
      });
      holder.on('error', reject);
      holder.on('close', (code) => reject(new Error(`hold-runs exited early (${code})`)));
    });
    expect(readdirSync(runs).length).toBe(1);
    const exited = new Promise<number | null>((resolve) => holder.on('close', (code) => resolve(code)));
    holder.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(existsSync(runs)).toBe(false);

    // The command itself, stopped while it reads.
    const tmp = mkdtempSync(join(tmpdir(), 'offbrowse-tmp-'));
    const big = join(dir, 'big.log');
    const day = readFileSync(files[10], 'utf8');
    writeFileSync(big, day.repeat(Math.ceil(60e6 / day.length)));
    const got = await cli(['detect', '--threads', '2', big], { TMPDIR: tmp }, (child) => {
      const poll = setInterval(() => {
        if (readdirSync(tmp).some((d) => d.startsWith('offbrowse-runs-'))) {
          clearInterval(poll);
          child.kill('SIGINT');
        }
      }, 5);
      child.on('close', () => clearInterval(poll));
    });
    expect(got.code, got.stderr).toBe(130);
    // tsx keeps its own cache there too; only ours must be gone.
    expect(readdirSync(tmp).filter((d) => d.startsWith('offbrowse-'))).toEqual([]);
    rmSync(tmp, { recursive: true, force: true });
  }, 120_000);
});

let savedOnce: { path: string; bytes: Buffer } | null = null;

/** A valid state file, written once. */
async function saved(): Promise<{ path: string; bytes: Buffer }> {
  if (savedOnce === null) {
    const path = join(dir, 'valid.jsonl.gz');
    if (!existsSync(path)) {
      const got = await cli(['detect', '--state', path, files[0], files[1]]);
      expect(got.code, got.stderr).toBe(0);
    }
    savedOnce = { path, bytes: readFileSync(path) };
  }
  return savedOnce;
}
