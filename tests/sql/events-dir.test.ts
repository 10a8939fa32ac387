/**
 * `detect --engine duckdb --events-dir DIR` over folders as batch jobs leave
 * them: runs written as CSV beside runs written as Parquet are read together
 * (a run in both forms is refused, it would count twice), and a folder whose
 * files tables record an input that could not be read exits 2 and names it,
 * after printing the alerts of the rest.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { offbrowse } from '../helpers/cli';

let dir = '';
let logs: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'offbrowse-eventsdir-'));
  const data = join(dir, 'logs');
  const gen = await offbrowse(['generate', '--out', data, '--days', '16', '--hosts', '40', '--seed', '9', '--rate', '4']);
  expect(gen.code, gen.stderr).toBe(0);
  logs = readdirSync(data)
    .filter((n) => n.endsWith('.log'))
    .sort()
    .map((n) => join(data, n));
}, 60_000);

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

describe('--events-dir', () => {
  it('reads CSV and Parquet runs in one folder together', async () => {
    const out = join(dir, 'mixed');
    const half = Math.floor(logs.length / 2);
    const csv = await offbrowse(['events', '--out', out, ...logs.slice(0, half)]);
    const parquet = await offbrowse(['events', '--format', 'parquet', '--out', out, ...logs.slice(half)]);
    expect(csv.code, csv.stderr).toBe(0);
    expect(parquet.code, parquet.stderr).toBe(0);
    const want = await offbrowse(['detect', '--json', ...logs]);
    expect(want.stdout).not.toBe('');
    const got = await offbrowse(['detect', '--json', '--engine', 'duckdb', '--events-dir', out]);
    expect(got.code, got.stderr).toBe(0);
    expect(got.stdout).toBe(want.stdout);

    // The same run written again as Parquet: its events would be counted twice.
    const again = await offbrowse(['events', '--format', 'parquet', '--out', out, ...logs.slice(0, half)]);
    expect(again.code, again.stderr).toBe(0);
    const twice = await offbrowse(['detect', '--json', '--engine', 'duckdb', '--events-dir', out]);
    expect(twice.code).toBe(2);
    expect(twice.stdout).toBe('');
    expect(twice.stderr).toMatch(
      /^offbrowse: .*mixed holds run [0-9a-f]{16} both as CSV and as Parquet, which would count its events twice/,
    );
  }, 120_000);

  it('exits 2 naming the inputs the map runs could not read, after the alerts', async () => {
    const out = join(dir, 'unread');
    const junk = join(dir, 'junk.log');
    writeFileSync(junk, 'this is not a firewall log\nnor is this\n');
    const mapped = await offbrowse(['events', '--out', out, junk, ...logs]);
    expect(mapped.code).toBe(2);
    const want = await offbrowse(['detect', '--json', ...logs]);
    const got = await offbrowse(['detect', '--json', '--engine', 'duckdb', '--events-dir', out]);
    expect(got.code).toBe(2);
    expect(got.stdout).toBe(want.stdout);
    expect(got.stderr).toContain('file junk.log: NOT READ by its map run: not a recognised log format');
    expect(got.stderr).toContain('1 input file was not read: the alerts lack their events');
  }, 120_000);

  it('reads a folder of empty-file rows without failing', async () => {
    const out = join(dir, 'empty');
    const empty = join(dir, 'empty.log');
    writeFileSync(empty, '');
    expect((await offbrowse(['events', '--out', out, empty, logs[0]])).code).toBe(0);
    const got = await offbrowse(['detect', '--json', '--engine', 'duckdb', '--events-dir', out]);
    expect(got.code, got.stderr).toBe(0);
    expect(got.stderr).not.toContain('NOT READ');
  }, 60_000);
});
