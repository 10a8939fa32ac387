/**
 * docs/engines.md, as a user runs it with DuckDB: the map in
 * separate runs (each its own output), the outputs loaded as one table by a glob,
 * the printed SQL run, its result saved as CSV and turned back into alert
 * records by `offbrowse sql-result` (or all of that by `detect --engine duckdb
 * --events-dir`): the same JSON lines as one built-in `detect --json` over
 * all the files.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { offbrowse } from '../helpers/cli';

const dir = mkdtempSync(join(tmpdir(), 'offbrowse-workflow-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('map per file, DuckDB over the glob, sql-result back', () => {
  it("gives one built-in run's alerts", async () => {
    const data = join(dir, 'logs');
    expect(
      (await offbrowse(['generate', '--out', data, '--days', '16', '--hosts', '40', '--seed', '9', '--rate', '4'])).code,
    ).toBe(0);
    const logs = readdirSync(data)
      .filter((n) => n.endsWith('.log'))
      .sort()
      .map((n) => join(data, n));
    const out = join(dir, 'events');
    // Three tasks of a few files each, as a batch system would start them, side by side.
    const tasks = [0, 1, 2].map((k) => logs.filter((_, i) => i % 3 === k));
    for (const r of await Promise.all(tasks.map((files) => offbrowse(['events', '--out', out, ...files]))))
      expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(out).filter((n) => n.startsWith('events-'))).toHaveLength(tasks.length);
    // A task run again replaces its own output rather than adding a copy.
    await offbrowse(['events', '--out', out, ...tasks[1]]);
    expect(readdirSync(out).filter((n) => n.startsWith('events-'))).toHaveLength(tasks.length);

    const ddl = (await offbrowse(['sql', '--dialect', 'duckdb', '--ddl', '--load', out])).stdout;
    const query = (await offbrowse(['sql', '--dialect', 'duckdb'])).stdout;
    const result = join(dir, 'result.csv');
    const instance = await DuckDBInstance.create(':memory:');
    const c = await instance.connect();
    try {
      // The CREATE TABLEs and the COPYs with every CSV option spelled out (core/sql/csvLoad.ts).
      for (const statement of ddl.split(';\n').filter((s) => s.trim() !== '')) await c.run(statement);
      await c.run(`COPY (${query.replace(/^--.*$/gm, '')}) TO '${result}' (HEADER)`);
    } finally {
      c.closeSync();
      instance.closeSync();
    }
    const [back, want, fromDir] = await Promise.all([
      offbrowse(['sql-result', result]),
      offbrowse(['detect', '--json', ...logs]),
      offbrowse(['detect', '--json', '--engine', 'duckdb', '--events-dir', out]),
    ]);
    expect(back.code, back.stderr).toBe(0);
    expect(want.stdout).not.toBe('');
    expect(back.stdout).toBe(want.stdout);
    // The same reduce, run by offbrowse itself over the folder.
    expect(fromDir.code, fromDir.stderr).toBe(0);
    expect(fromDir.stdout).toBe(want.stdout);
    // And over the same runs written as Parquet.
    const parquet = join(dir, 'parquet');
    for (const r of await Promise.all(
      tasks.map((files) => offbrowse(['events', '--format', 'parquet', '--out', parquet, ...files])),
    )) {
      expect(r.code, r.stderr).toBe(0);
    }
    expect(readdirSync(parquet).filter((n) => n.endsWith('.parquet'))).toHaveLength(2 * tasks.length);
    const fromParquet = await offbrowse(['detect', '--json', '--engine', 'duckdb', '--events-dir', parquet]);
    expect(fromParquet.stdout).toBe(want.stdout);
    // Other settings than the query's are refused, not silently written into the records.
    const settings = join(dir, 'settings.json');
    await import('node:fs').then(({ writeFileSync }) => writeFileSync(settings, '{"rareHosts": 5}'));
    const mismatch = await offbrowse(['sql-result', '--settings', settings, result]);
    expect(mismatch.code).toBe(2);
    expect(mismatch.stderr).toContain('give sql-result the --settings given to sql');
  }, 120_000);
});
