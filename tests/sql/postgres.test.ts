/**
 * The detection SQL on a real PostgreSQL server (tests/helpers/postgres.ts)
 * against the built-in engine, and `detect --engine postgres://…` as a user
 * runs it: its messages and exit codes for bad connection strings, refused
 * logins, unreachable servers and missing tables, and that it leaves nothing
 * behind in the database, after a success or a failure.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_GENERATE } from '../../src/core/generate/index';
import { defaultSettings, resolveSettings } from '../../src/core/settings/settings';
import { caseNames, inputs, loadCase } from '../helpers/cases';
import { detectWith, endpointRecords, generatedFiles, mapFiles, outputOf } from '../helpers/engines';
import { settingsArb, streamArb, streamFiles } from '../helpers/event-streams';
import { psql, startPostgres, type PgServer } from '../helpers/postgres';
import { urlLine } from '../helpers/panos-lines';
import { offbrowse, type CliRun } from '../helpers/cli';

const CASE = (name: string, file = 'input.log'): string => fileURLToPath(new URL(`../cases/${name}/${file}`, import.meta.url));

/** Tables, views and sequences outside the system schemas: what a run could leave behind. */
async function userRelations(pg: PgServer): Promise<string[]> {
  const rows = await pg.query(
    "SELECT n.nspname || '.' || c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace " +
      "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' ORDER BY 1",
  );
  return rows.map((r) => String(r.name));
}

let pg: PgServer;
let dir = '';

beforeAll(async () => {
  pg = await startPostgres();
  dir = mkdtempSync(join(tmpdir(), 'offbrowse-pgtest-'));
}, 120_000);

afterAll(() => {
  pg?.stop();
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

describe("PostgreSQL gives the built-in engine's alerts", () => {
  for (const name of caseNames()) {
    it(`case ${name}`, async () => {
      const c = loadCase(name);
      const map = await mapFiles(inputs(c), c.settings);
      const want = outputOf(await detectWith('built-in', map, c.settings), c.settings);
      // A case with endpoint data has stitched evidence: the engine must carry the process too.
      if (endpointRecords(map) > 0) expect(want.json).toContain('"process":{"computer"');
      expect(outputOf(await detectWith('postgres', map, c.settings, pg.url()), c.settings)).toEqual(want);
    });
  }

  it('the demo dataset', async () => {
    const settings = defaultSettings();
    const map = await mapFiles(generatedFiles(DEFAULT_GENERATE), settings);
    const want = outputOf(await detectWith('built-in', map, settings), settings);
    expect(outputOf(await detectWith('postgres', map, settings, pg.url()), settings)).toEqual(want);
  }, 60_000);

  it('a generated dataset with other settings', async () => {
    const settings = resolveSettings({ trainingDays: 7, activationDays: 5, dedupHours: 6, rareHosts: 2, uploadMinBytes: 500 });
    const map = await mapFiles(generatedFiles({ days: 20, hosts: 40, seed: 5, rate: 6 }), settings);
    const want = outputOf(await detectWith('built-in', map, settings), settings);
    expect(want.json).not.toBe('');
    expect(outputOf(await detectWith('postgres', map, settings, pg.url()), settings)).toEqual(want);
  }, 60_000);

  it('random event streams under random settings (the database orders text linguistically unless told)', async () => {
    await fc.assert(
      fc.asyncProperty(streamArb, settingsArb, async (events, settingsInput) => {
        // Past the ranges users may set (resolveSettings): the engines must agree on the edges too.
        const settings = { ...defaultSettings(), ...settingsInput };
        const map = await mapFiles(streamFiles(events), settings);
        const want = outputOf(await detectWith('built-in', map, settings), settings);
        expect(outputOf(await detectWith('postgres', map, settings, pg.url()), settings)).toEqual(want);
      }),
      { numRuns: 15 },
    );
  }, 120_000);
});

describe('offbrowse detect --engine postgres://…', () => {
  const runs: Record<string, CliRun> = {};
  let before: string[] = [];
  let afterSuccess: string[] = [];
  let afterFailure: string[] = [];

  beforeAll(async () => {
    before = await userRelations(pg);
    const good = CASE('ties-equal-times');
    runs.builtIn = await offbrowse(['detect', '--json', good]);
    runs.ok = await offbrowse(['detect', '--json', '--engine', pg.url(), good]);
    runs.table = await offbrowse(['detect', '--engine', pg.url(), good]);
    runs.builtInTable = await offbrowse(['detect', good]);
    afterSuccess = await userRelations(pg);
    // PostgreSQL text cannot hold NUL: the COPY stops part-way, and the transaction goes with it.
    const nul = join(dir, 'nul.log');
    const row = (ua: string, src: string): string =>
      urlLine({ time: '2026/03/16 10:00:00', src, url: 'www.example.com/', userAgent: ua });
    writeFileSync(
      nul,
      Array.from({ length: 3000 }, (_, i) => row('curl/8.4.0', `10.0.${i % 250}.1`)).join('\n') +
        '\n' +
        row('curl/8\u0000x', '10.9.9.9') +
        '\n',
    );
    runs.nul = await offbrowse(['detect', '--json', '--engine', pg.url(), nul]);
    afterFailure = await userRelations(pg);
    const closed = await new Promise<number>((resolve) => {
      import('node:net').then(({ createServer }) => {
        const s = createServer();
        s.listen(0, '127.0.0.1', () => {
          const a = s.address();
          s.close(() => resolve(typeof a === 'object' && a !== null ? a.port : 1));
        });
      });
    });
    const results = await Promise.all([
      offbrowse(['detect', '--engine', 'postgres://', good]),
      offbrowse(['detect', '--engine', 'postgres://user@127.0.0.1:99999/db', good]),
      offbrowse(['detect', '--engine', `postgres://${pg.user}@127.0.0.1:${pg.port}`, good]),
      offbrowse(['detect', '--engine', 'mysql://x@127.0.0.1/db', good]),
      offbrowse(['detect', '--engine', pg.url({ password: 'wrong' }), good]),
      offbrowse(['detect', '--engine', pg.url({ user: 'nobody' }), good]),
      offbrowse(['detect', '--engine', pg.url({ database: 'nodb' }), good]),
      offbrowse(['detect', '--engine', pg.url({ port: closed }), good]),
      offbrowse(['detect', '--engine', pg.url(), '--events-table', 'missing_events', '--files-table', 'missing_files']),
      offbrowse(['detect', '--engine', pg.url(), '--events-table', 'x; DROP TABLE y', '--files-table', 'f']),
    ]);
    [
      runs.empty,
      runs.badPort,
      runs.noDatabase,
      runs.otherScheme,
      runs.wrongPassword,
      runs.unknownUser,
      runs.missingDb,
      runs.refused,
      runs.missingTable,
      runs.badTableName,
    ] = results;
  }, 120_000);

  it('prints exactly what the built-in engine prints, JSON lines and table', () => {
    expect(runs.ok.code).toBe(0);
    expect(runs.ok.stdout).not.toBe('');
    expect(runs.ok.stdout).toBe(runs.builtIn.stdout);
    expect(runs.ok.stderr).toBe(runs.builtIn.stderr);
    expect(runs.table.stdout).toBe(runs.builtInTable.stdout);
  });

  it('leaves nothing in the database after a success or a failure', () => {
    expect(afterSuccess).toEqual(before);
    expect(runs.nul.code).toBe(2);
    expect(runs.nul.stderr).toMatch(/cannot hold the NUL character.*nul\.log line 3001/);
    expect(afterFailure).toEqual(before);
  });

  it('says what is wrong with a connection string, and exits 2', () => {
    for (const [r, pattern] of [
      [runs.empty, /bad connection string postgres:\/\/: no host/],
      [runs.badPort, /bad connection string postgres:\/\/user@127\.0\.0\.1:99999\/db: expected/],
      [runs.noDatabase, /name one database/],
      [runs.otherScheme, /unknown engine "mysql:/],
    ] as const) {
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(pattern);
      expect(r.stdout).toBe('');
    }
  });

  it('says a login was refused, or the server or database is not there, and exits 2', () => {
    expect(runs.wrongPassword.stderr).toMatch(/refused the login of user "offbrowse_user": password authentication failed/);
    expect(runs.wrongPassword.stderr).not.toContain('wrong');
    expect(runs.unknownUser.stderr).toMatch(/refused the login of user "nobody"/);
    expect(runs.missingDb.stderr).toMatch(/has no database "nodb"/);
    expect(runs.refused.stderr).toMatch(/cannot connect to PostgreSQL at 127\.0\.0\.1:\d+: connection refused/);
    for (const r of [runs.wrongPassword, runs.unknownUser, runs.missingDb, runs.refused]) {
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('says a table is missing, refuses a table name that is not a name, and exits 2', () => {
    expect(runs.missingTable.code).toBe(2);
    expect(runs.missingTable.stderr).toMatch(/relation "missing_files" does not exist|relation "missing_events" does not exist/);
    expect(runs.badTableName.code).toBe(2);
    expect(runs.badTableName.stderr).toContain('not a table name: "x; DROP TABLE y"');
  });
});

describe('map runs per file, loaded into PostgreSQL as one table', () => {
  it('gives the alerts of one built-in run over all the files', async () => {
    const files = readdirSync(fileURLToPath(new URL('../cases/files-out-of-order/', import.meta.url)))
      .filter((f) => f.startsWith('input'))
      .map((f) => CASE('files-out-of-order', f));
    const out = join(dir, 'events');
    for (const f of files) expect((await offbrowse(['events', '--out', out, f])).code).toBe(0);
    const ddl = await offbrowse(['sql', '--dialect', 'postgres', '--ddl']);
    const names = readdirSync(out).sort();
    expect(names.filter((n) => n.startsWith('events-'))).toHaveLength(files.length);
    const statements = [ddl.stdout];
    for (const n of names) {
      const table = n.startsWith('events-') ? 'offbrowse_events' : 'offbrowse_files';
      // What `\copy TABLE FROM 'FILE' WITH (FORMAT csv, HEADER true)` sends, with the file inline.
      statements.push(`COPY ${table} FROM STDIN WITH (FORMAT csv, HEADER true);\n${readFileSync(join(out, n), 'utf8')}\\.\n`);
    }
    // psql is Debian's client, as an operator would use it.
    const loaded = await psql(pg.url(), statements.join('\n'));
    expect(loaded.stderr).toBe('');
    expect(loaded.code).toBe(0);
    const got = await offbrowse([
      'detect',
      '--json',
      '--engine',
      pg.url(),
      '--events-table',
      'offbrowse_events',
      '--files-table',
      'offbrowse_files',
    ]);
    const want = await offbrowse(['detect', '--json', ...files]);
    expect(got.code).toBe(0);
    expect(want.stdout).not.toBe('');
    expect(got.stdout).toBe(want.stdout);
    await pg.query('DROP TABLE offbrowse_events, offbrowse_files');
  }, 60_000);
});
