/**
 * The map's CSV, written by several `offbrowse events --out DIR` runs, where
 * only a later file holds a value with `"` and `,` (a User-Agent, a URL):
 * DuckDB sniffs the first file of a glob only, and without a doubled quote
 * there it picked no escape and failed on the later file. Every load is now
 * given its options (core/sql/csvLoad.ts); the alerts of DuckDB (by
 * `--events-dir`, and by the statements `sql --ddl --load` prints) and of
 * PostgreSQL (psql running the printed `\copy` lines) equal the built-in
 * engine's, byte for byte, for PAN-OS syslog, Zeek and Suricata inputs.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { offbrowse } from '../helpers/cli';
import { urlLine } from '../helpers/panos-lines';
import { psql, startPostgres, type PgServer } from '../helpers/postgres';
import { eveRow, zeekHeader, zeekTsvRow, type Req } from '../helpers/sensor-lines';

let pg: PgServer;
let dir = '';

beforeAll(async () => {
  pg = await startPostgres();
  dir = mkdtempSync(join(tmpdir(), 'offbrowse-csvquotes-'));
}, 120_000);

afterAll(() => {
  pg?.stop();
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

const HOSTILE_UA = 'python-requests/2.31.0 (probe "alpha", beta)';
const HOSTILE_URI = '/a?q="x",y&z=""';
/** A `"` inside a value as each format writes it: doubled in CSV, escaped in JSON, bare in Zeek TSV. */
const QUOTE_IN_VALUE = { syslog: /[^,]""|""[^,]/, zeek: /"/, suricata: /\\"/ } as const;
const WHEN = Date.UTC(2026, 8, 16, 12, 0, 0);

function hostileReq(i: number): Req {
  return {
    time: WHEN + i * 60_000,
    src: `10.99.0.${i + 1}`,
    hostHeader: 'quoted-site.example',
    server: '203.0.113.77',
    uri: HOSTILE_URI,
    method: 'GET',
    userAgent: HOSTILE_UA,
    contentType: 'text/html',
    bodyOut: null,
    bodyIn: 512,
    offset: 0,
  };
}

/** A later log holding the quoted values, in the form of the generated ones. */
function hostileLog(format: 'syslog' | 'zeek' | 'suricata'): string {
  const reqs = [0, 1, 2].map(hostileReq);
  if (format === 'suricata') return reqs.map((r) => eveRow(r, 0)).join('\n') + '\n';
  if (format === 'zeek')
    return [...zeekHeader().map((l) => l.text), ...reqs.map((r) => zeekTsvRow(r, false, 0))].join('\n') + '\n';
  return (
    reqs
      .map((r) =>
        urlLine({
          time: new Date(r.time).toISOString().slice(0, 19).replace('T', ' ').replace(/-/g, '/'),
          src: r.src,
          url: `${r.hostHeader}${r.uri}`,
          userAgent: r.userAgent,
          contentType: r.contentType,
          method: 'get',
        }),
      )
      .join('\n') + '\n'
  );
}

describe('map runs where only a later file holds quotes', () => {
  for (const format of ['syslog', 'zeek', 'suricata'] as const) {
    it(`load the same on every engine (${format})`, async () => {
      const data = join(dir, format);
      const gen = await offbrowse([
        'generate',
        '--out',
        data,
        '--days',
        '16',
        '--hosts',
        '40',
        '--seed',
        '9',
        '--rate',
        '4',
        '--format',
        format,
        // The map's quoted values of firewall and sensor logs are the point here, not the endpoint view.
        '--no-endpoint',
      ]);
      expect(gen.code, gen.stderr).toBe(0);
      // The generated logs hold quotes in some User-Agents (pip's): take those lines out, so that only the
      // file added below has a quote inside a value.
      for (const n of readdirSync(data).filter((x) => x !== 'truth.json')) {
        const text = readFileSync(join(data, n), 'utf8');
        writeFileSync(
          join(data, n),
          text
            .split('\n')
            .filter((l) => !QUOTE_IN_VALUE[format].test(l))
            .join('\n'),
        );
      }
      const hostile = join(data, format === 'suricata' ? 'zz-quotes.json' : 'zz-quotes.log');
      writeFileSync(hostile, hostileLog(format));
      const logs = readdirSync(data)
        .filter((n) => n !== 'truth.json')
        .sort()
        .map((n) => join(data, n));
      const out = join(dir, `${format}-events`);
      // One map run per file, two at a time, as `ls … | xargs -P 2 -n 1 offbrowse events --out DIR` runs them.
      for (let i = 0; i < logs.length; i += 2) {
        for (const r of await Promise.all(logs.slice(i, i + 2).map((f) => offbrowse(['events', '--out', out, f]))))
          expect(r.code, r.stderr).toBe(0);
      }
      // The case this is about: the glob's first file has no quote inside a value, a later one has.
      const eventFiles = readdirSync(out)
        .filter((n) => n.startsWith('events-') && n.endsWith('.csv'))
        .sort();
      expect(eventFiles).toHaveLength(logs.length);
      const inner = /[^,]""|""[^,\n]/;
      const quoted = eventFiles.map((n) => inner.test(readFileSync(join(out, n), 'utf8')));
      expect(quoted[0]).toBe(false);
      expect(quoted.filter(Boolean)).toHaveLength(1);

      const want = await offbrowse(['detect', '--json', ...logs]);
      expect(want.code, want.stderr).toBe(0);
      // The quoted values reach the alerts, so a load that mangled them would show.
      expect(want.stdout).toContain(JSON.stringify(HOSTILE_UA).slice(1, -1));
      expect(want.stdout).toContain(JSON.stringify(HOSTILE_URI).slice(1, -1));

      const fromDir = await offbrowse(['detect', '--json', '--engine', 'duckdb', '--events-dir', out]);
      expect(fromDir.stderr).not.toContain('CSV Error');
      expect(fromDir.code, fromDir.stderr).toBe(0);
      expect(fromDir.stdout).toBe(want.stdout);

      // The statements printed for a user's own DuckDB, then the query, then sql-result.
      const ddl = await offbrowse(['sql', '--dialect', 'duckdb', '--ddl', '--load', out]);
      expect(ddl.code, ddl.stderr).toBe(0);
      const printed = await offbrowse(['sql', '--dialect', 'duckdb']);
      expect(printed.code, printed.stderr).toBe(0);
      const query = printed.stdout;
      const result = join(dir, `${format}-result.csv`);
      const instance = await DuckDBInstance.create(':memory:');
      const c = await instance.connect();
      try {
        for (const statement of ddl.stdout.split(';\n').filter((s) => s.trim() !== '')) await c.run(statement);
        await c.run(`COPY (${query.replace(/^--.*$/gm, '')}) TO '${result}' (HEADER)`);
      } finally {
        c.closeSync();
        instance.closeSync();
      }
      const back = await offbrowse(['sql-result', result]);
      expect(back.code, back.stderr).toBe(0);
      expect(back.stdout).toBe(want.stdout);

      // PostgreSQL: the printed CREATE TABLEs and `\copy` lines, through psql.
      const tables = { events: `ev_${format}`, files: `fi_${format}` };
      const pgDdl = await offbrowse([
        'sql',
        '--dialect',
        'postgres',
        '--ddl',
        '--events-table',
        tables.events,
        '--files-table',
        tables.files,
        '--load',
        out,
      ]);
      expect(pgDdl.code, pgDdl.stderr).toBe(0);
      expect(pgDdl.stdout.match(/^\\copy /gm)).toHaveLength(2 * logs.length);
      const loaded = await psql(pg.url(), pgDdl.stdout);
      expect(loaded.stderr).toBe('');
      expect(loaded.code).toBe(0);
      const fromPg = await offbrowse([
        'detect',
        '--json',
        '--engine',
        pg.url(),
        '--events-table',
        tables.events,
        '--files-table',
        tables.files,
      ]);
      expect(fromPg.code, fromPg.stderr).toBe(0);
      expect(fromPg.stdout).toBe(want.stdout);
    }, 180_000);
  }
});

describe('PostgreSQL tables loaded from runs with an input that could not be read', () => {
  it('exit 2 naming it, after the alerts of the rest', async () => {
    // The syslog logs the test above wrote.
    const logs = readdirSync(join(dir, 'syslog'))
      .filter((n) => n.endsWith('.log'))
      .sort()
      .map((n) => join(dir, 'syslog', n));
    const junk = join(dir, 'junk.log');
    writeFileSync(junk, 'this is not a firewall log\n');
    const out = join(dir, 'unread-events');
    expect((await offbrowse(['events', '--out', out, junk, ...logs])).code).toBe(2);
    const tables = ['--events-table', 'ev_unread', '--files-table', 'fi_unread'];
    const ddl = await offbrowse(['sql', '--dialect', 'postgres', '--ddl', ...tables, '--load', out]);
    expect(ddl.code, ddl.stderr).toBe(0);
    const loaded = await psql(pg.url(), ddl.stdout);
    expect(loaded.code, loaded.stderr).toBe(0);
    const [got, want] = await Promise.all([
      offbrowse(['detect', '--json', '--engine', pg.url(), ...tables]),
      offbrowse(['detect', '--json', ...logs]),
    ]);
    expect(got.code).toBe(2);
    expect(got.stdout).toBe(want.stdout);
    expect(got.stderr).toContain('file junk.log: NOT READ by its map run: not a recognised log format');
  }, 120_000);
});
