/**
 * The SQL side of the command line as a user runs it: `events`, `sql` and
 * `detect --engine duckdb`, with what they do on bad input. The spawns start
 * together in beforeAll; the tests read their results.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_COLUMNS } from '../../src/core/sql/eventRow';
import { FILE_COLUMNS } from '../../src/core/sql/fileRow';
import { offbrowse, type CliRun } from '../helpers/cli';

const CASE = fileURLToPath(new URL('../cases/ties-equal-times/input.log', import.meta.url));

const dir = mkdtempSync(join(tmpdir(), 'offbrowse-cli-sql-'));
const r: Record<string, CliRun> = {};

beforeAll(async () => {
  writeFileSync(join(dir, 'notes.txt'), 'meeting notes\nnothing to see, here\n');
  writeFileSync(join(dir, 'lists.json'), '{"textShareSites": ["paste.example"], "rareHosts": 2}');
  const runs: Record<string, Promise<CliRun>> = {
    builtIn: offbrowse(['detect', CASE]),
    duck: offbrowse(['detect', '--engine', 'duckdb', CASE]),
    duckMissing: offbrowse(['detect', '--engine', 'duckdb', '--json', CASE, join(dir, 'missing.log')]),
    events: offbrowse(['events', '--out', join(dir, 'out'), CASE, join(dir, 'notes.txt')]),
    eventsNoOut: offbrowse(['events', CASE]),
    eventsNoFiles: offbrowse(['events', '--out', join(dir, 'out2')]),
    sqlNoDialect: offbrowse(['sql']),
    sqlOracle: offbrowse(['sql', '--dialect', 'oracle']),
    sqlBadTable: offbrowse(['sql', '--dialect', 'trino', '--events-table', 'a;b']),
    sqlLists: offbrowse(['sql', '--dialect', 'spark', '--settings', join(dir, 'lists.json')]),
    duckTables: offbrowse(['detect', '--engine', 'duckdb', '--events-table', 'e', '--files-table', 'f']),
    duckState: offbrowse(['detect', '--engine', 'duckdb', '--state', join(dir, 's.json'), CASE]),
    duckNoDir: offbrowse(['detect', '--engine', 'duckdb', '--events-dir', join(dir, 'nothing')]),
    duckEmptyDir: offbrowse(['detect', '--engine', 'duckdb', '--events-dir', dir]),
  };
  for (const [k, p] of Object.entries(runs)) r[k] = await p;
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('detect --engine duckdb', () => {
  it('prints the table and summary the built-in engine prints', () => {
    expect(r.duck.code).toBe(0);
    expect(r.duck.stdout).toBe(r.builtIn.stdout);
    expect(r.duck.stderr).toBe(r.builtIn.stderr);
  });

  it('reports an unreadable input, exits 2, and still prints the alerts of the others', () => {
    expect(r.duckMissing.code).toBe(2);
    expect(r.duckMissing.stderr).toMatch(/missing\.log.*(ENOENT|no such file)/);
    expect(r.duckMissing.stdout.split('\n').filter((l) => l !== '').length).toBeGreaterThan(0);
  });

  it('refuses options it cannot honour, with exit code 2', () => {
    expect(r.duckTables.code).toBe(2);
    expect(r.duckTables.stderr).toContain('--events-table and --files-table need --engine postgres://');
    expect(r.duckState.code).toBe(2);
    expect(r.duckState.stderr).toContain('--state works with the built-in engine only');
  });

  it('says a folder of map outputs is missing or holds none, with exit code 2', () => {
    expect(r.duckNoDir.code).toBe(2);
    expect(r.duckNoDir.stderr).toMatch(/nothing is not a folder/);
    expect(r.duckEmptyDir.code).toBe(2);
    expect(r.duckEmptyDir.stderr).toMatch(
      /holds no events-\*\.csv or events-\*\.parquet \(write them with offbrowse events --out/,
    );
  });
});

describe('offbrowse events', () => {
  it('writes an events and a files CSV with the documented columns, the unreadable input in the files CSV, and exits 2', () => {
    expect(r.events.code).toBe(2);
    expect(r.events.stderr).toMatch(/notes\.txt: NOT READ: not a recognised log format/);
    const names = readdirSync(join(dir, 'out')).sort();
    expect(names).toHaveLength(2);
    expect(names[0]).toMatch(/^events-[0-9a-f]{16}\.csv$/);
    expect(names[1]).toBe(names[0].replace('events-', 'files-'));
    const events = readFileSync(join(dir, 'out', names[0]), 'utf8').split('\n');
    expect(events[0]).toBe(EVENT_COLUMNS.map((c) => c.name).join(','));
    // The case's 11 non-browser events, and the final line end.
    expect(events.length).toBe(1 + 11 + 1);
    const files = readFileSync(join(dir, 'out', names[1]), 'utf8').split('\n');
    expect(files[0]).toBe(FILE_COLUMNS.map((c) => c.name).join(','));
    expect(files[1]).toMatch(
      /^input\.log,sha256-512k:[0-9a-f]{64},panos-syslog,0,\d+,12,1,11,0,0,1,1772323200000,1773655201000,,$/,
    );
    // Its two lines were skipped as not PAN-OS; it added nothing, so it has no time range.
    expect(files[2]).toMatch(/^notes\.txt,,,0,\d+,2,0,0,0,2,0,,,"not a recognised log format/);
  });

  it('needs --out and files', () => {
    expect(r.eventsNoOut.code).toBe(2);
    expect(r.eventsNoOut.stderr).toContain('events needs --out DIR');
    expect(r.eventsNoFiles.code).toBe(2);
    expect(r.eventsNoFiles.stderr).toContain('no input files');
  });
});

describe('offbrowse sql', () => {
  it('names the dialects and refuses others, and table names that are not names', () => {
    expect(r.sqlNoDialect.code).toBe(2);
    expect(r.sqlNoDialect.stderr).toContain('sql needs --dialect (duckdb, postgres, trino, spark)');
    expect(r.sqlOracle.code).toBe(2);
    expect(r.sqlOracle.stderr).toContain('unknown dialect "oracle"');
    expect(r.sqlBadTable.code).toBe(2);
    expect(r.sqlBadTable.stderr).toContain('not a table name: "a;b"');
  });

  it('says that lists in the settings belong to the map, and puts the numbers in the query', () => {
    expect(r.sqlLists.code).toBe(0);
    expect(r.sqlLists.stderr).toContain('textShareSites apply while reading logs: give the same settings to offbrowse events');
    expect(r.sqlLists.stdout).toContain('s.others < 2');
    expect(r.sqlLists.stdout).not.toContain('paste.example');
  });
});
