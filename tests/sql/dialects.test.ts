/**
 * Trino and Spark SQL cannot run here: their text is the tested DuckDB and
 * PostgreSQL text with the dialect's pieces swapped in. These tests pin those
 * pieces, and that nothing else differs.
 */
import { describe, expect, it } from 'vitest';
import { defaultSettings, resolveSettings } from '../../src/core/settings/settings';
import {
  createTablesSql,
  detectionSql,
  numberLiteral,
  sqlParams,
  summarySql,
  type Tables,
} from '../../src/core/sql/detectionSql';
import { csvLoadSql } from '../../src/core/sql/csvLoad';
import { DIALECTS, dialectNamed, tableName, type Dialect } from '../../src/core/sql/dialect';

const settings = defaultSettings();
const tablesOf = (d: Dialect): Tables => ({ events: tableName(d, 'offbrowse_events')!, files: tableName(d, 'offbrowse_files')! });
const withoutNotes = (sql: string): string =>
  sql
    .split('\n')
    .filter((l) => !l.startsWith('-- '))
    .join('\n');

describe('dialects', () => {
  it('Trino gets the DuckDB query, only its comments differ', () => {
    const duck = detectionSql(DIALECTS.duckdb, settings, tablesOf(DIALECTS.duckdb));
    const trino = detectionSql(DIALECTS.trino, settings, tablesOf(DIALECTS.trino));
    expect(withoutNotes(trino)).toBe(withoutNotes(duck));
    expect(trino).toContain('SET SESSION max_recursion_depth');
    expect(trino).toContain('Not run on a live cluster');
  });

  it('Spark gets the DuckDB query with backquoted names', () => {
    const duck = detectionSql(DIALECTS.duckdb, settings, tablesOf(DIALECTS.duckdb));
    const spark = detectionSql(DIALECTS.spark, settings, tablesOf(DIALECTS.spark));
    expect(withoutNotes(spark)).toBe(withoutNotes(duck).replace(/"([a-z_]+)"/g, '`$1`'));
    expect(spark).toContain('Not run on a live cluster');
    // Recursive CTEs came in Apache Spark 4.1.0; its level limit (100 by default) is a session setting.
    expect(spark).toContain('Spark SQL 4.1.0 or later');
    expect(spark).toContain('-- SET spark.sql.cteRecursionLevelLimit = 1000;');
    expect(spark).not.toContain('"');
  });

  it('PostgreSQL orders every text by bytes, and no other dialect needs to', () => {
    const pg = detectionSql(DIALECTS.postgres, settings, tablesOf(DIALECTS.postgres));
    const duck = detectionSql(DIALECTS.duckdb, settings, tablesOf(DIALECTS.duckdb));
    expect(withoutNotes(pg).replace(/ COLLATE "C"/g, '')).toBe(withoutNotes(duck));
    // The event order's seven texts, and the output order's four.
    expect(withoutNotes(pg).match(/COLLATE "C"/g)).toHaveLength(11);
    for (const d of [DIALECTS.duckdb, DIALECTS.trino, DIALECTS.spark])
      expect(detectionSql(d, settings, tablesOf(d))).not.toContain('COLLATE');
  });

  it('every dialect recurses with WITH RECURSIVE over a named column list', () => {
    for (const d of Object.values(DIALECTS)) {
      const sql = detectionSql(d, settings, tablesOf(d));
      expect(sql).toMatch(/^WITH RECURSIVE$/m);
      expect(sql).toContain('chain (variation, host, client, dom, t) AS (');
      expect(sql.match(/FROM chain a JOIN/g)).toHaveLength(2);
    }
  });

  it('quotes names per dialect, and the column named user always', () => {
    expect(DIALECTS.postgres.ident('user')).toBe('"user"');
    expect(DIALECTS.spark.ident('user')).toBe('`user`');
    expect(DIALECTS.spark.ident('a`b')).toBe('`a``b`');
    expect(DIALECTS.trino.ident('a"b')).toBe('"a""b"');
    for (const d of Object.values(DIALECTS)) expect(detectionSql(d, settings, tablesOf(d))).toContain(`e.${d.ident('user')}`);
  });

  it('types the tables per dialect', () => {
    const [events] = createTablesSql(DIALECTS.postgres, tablesOf(DIALECTS.postgres));
    expect(events).toMatch(/^CREATE TABLE "offbrowse_events" \("time_ms" BIGINT, "time" TEXT,/);
    expect(events).toContain('"bytes_out" DOUBLE PRECISION');
    expect(createTablesSql(DIALECTS.spark, tablesOf(DIALECTS.spark))[0]).toContain('`text_share` INT, ');
    expect(createTablesSql(DIALECTS.spark, tablesOf(DIALECTS.spark))[0]).toContain('`host` STRING');
    expect(createTablesSql(DIALECTS.trino, tablesOf(DIALECTS.trino))[0]).toContain('"host" VARCHAR');
    expect(createTablesSql(DIALECTS.trino, tablesOf(DIALECTS.trino))[1]).toContain('"min_time_ms" BIGINT');
  });

  it('takes only plain dotted names as tables', () => {
    expect(tableName(DIALECTS.postgres, 'logs.events')).toBe('"logs"."events"');
    expect(tableName(DIALECTS.spark, 'cat.db.t')).toBe('`cat`.`db`.`t`');
    for (const bad of ['', 'a b', 'x;drop', 'a..b', '"q"', 'a.b.c.d', '1abc']) expect(tableName(DIALECTS.duckdb, bad)).toBeNull();
    expect(dialectNamed('oracle')).toBeNull();
    expect(dialectNamed('trino')).toBe(DIALECTS.trino);
  });
});

/**
 * DuckDB and PostgreSQL run these statements in tests/sql/csv-quotes.test.ts.
 * Trino and Spark cannot run here: this only checks that they are told the
 * same quote and escape, and every other reader option that the map's CSV
 * (core/events/dataCsv.ts) needs, explicitly rather than by a sniffer's guess.
 */
describe('CSV load statements', () => {
  const load = (d: Dialect): string => csvLoadSql(d, tablesOf(d), '/shared/events', ['events-a.csv', 'files-a.csv']).join('\n');

  it('gives DuckDB and PostgreSQL the quote, the escape and the header explicitly', () => {
    const duck = load(DIALECTS.duckdb);
    expect(duck.match(/QUOTE '"', ESCAPE '"'/g)).toHaveLength(2);
    expect(duck).toContain(
      "COPY \"offbrowse_events\" FROM '/shared/events/events-*.csv' (FORMAT csv, HEADER true, DELIMITER ','",
    );
    expect(duck).toContain('AUTO_DETECT false');
    // An empty cell is NULL, a quoted empty text is '' (the files table's error and the events' user differ so).
    expect(duck).toContain("NULL '', ALLOW_QUOTED_NULLS false");
    const pg = load(DIALECTS.postgres);
    expect(pg).toBe(
      [
        `\\copy "offbrowse_events" FROM '/shared/events/events-a.csv' WITH (FORMAT csv, HEADER true, DELIMITER ',', QUOTE '"', ESCAPE '"', NULL '')`,
        `\\copy "offbrowse_files" FROM '/shared/events/files-a.csv' WITH (FORMAT csv, HEADER true, DELIMITER ',', QUOTE '"', ESCAPE '"', NULL '')`,
      ].join('\n'),
    );
  });

  it("gives Spark's CSV reader the same quote and escape (its default escape is a backslash)", () => {
    const spark = load(DIALECTS.spark);
    expect(
      spark.match(/header 'true', sep ',', quote '"', escape '"', multiLine 'true', nullValue '', emptyValue ''/g),
    ).toHaveLength(2);
    expect(spark).toContain("path '/shared/events/events-*.csv'");
    expect(spark).toContain('INSERT INTO `offbrowse_events` SELECT * FROM `offbrowse_events_csv`');
    // The view has the table's types, so nothing is inferred.
    expect(spark).toContain('`offbrowse_events_csv` (`time_ms` BIGINT, `time` STRING,');
  });

  it("gives Trino's Hive CSV reader the same quote, and no escape character", () => {
    const trino = load(DIALECTS.trino);
    // Trino reads a doubled quote as one by itself, and turns an escape given as '"' into a backslash.
    expect(
      trino.match(/skip_header_line_count = 1, csv_separator = ',', csv_quote = '"', csv_escape = U&'\\0000'/g),
    ).toHaveLength(2);
    expect(trino).toContain('CAST(NULLIF("time_ms", \'\') AS BIGINT)');
    expect(trino).toContain('WHERE "$path" LIKE \'%/events-%.csv\'');
  });

  it('quotes the folder as a string literal', () => {
    expect(csvLoadSql(DIALECTS.duckdb, tablesOf(DIALECTS.duckdb), "/it's")[0]).toContain("FROM '/it''s/events-*.csv'");
  });
});

describe('settings become literals', () => {
  it('rounds to whole milliseconds the way that keeps the answers', () => {
    const p = sqlParams({
      ...defaultSettings(),
      trainingDays: 1.5,
      activationDays: 1e-9,
      dedupHours: 0.5,
      rareHosts: 2,
      uploadMinBytes: 100.5,
    });
    expect(p).toMatchObject({ windowMs: 129_600_000, activationMs: 1, dedupMs: 1_800_000, rareHosts: 2, uploadMinBytes: 100.5 });
  });

  it('puts each setting into the query', () => {
    const s = resolveSettings({ trainingDays: 7, activationDays: 2, dedupHours: 6, rareHosts: 5, uploadMinBytes: 333 });
    const sql = detectionSql(DIALECTS.duckdb, s, tablesOf(DIALECTS.duckdb));
    expect(sql).toContain('<= 604800000 THEN 0 ELSE 1 END AS fresh');
    expect(sql).toContain('c.t - d.t0 >= 172800000');
    expect(sql).toContain('t + 21600000 AS pos');
    expect(sql).toContain('s.others < 5');
    expect(sql).toContain('< 333)) AS upload');
    expect(summarySql(DIALECTS.duckdb, s, tablesOf(DIALECTS.duckdb))).toContain('< 172800000');
  });

  it('caps settings past any time span, and refuses what is not a number', () => {
    expect(sqlParams({ ...settings, trainingDays: 1e300 }).windowMs).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => sqlParams({ ...settings, trainingDays: Number.NaN })).toThrow(/trainingDays/);
    expect(() => sqlParams({ ...settings, rareHosts: 0 })).toThrow(/rareHosts/);
    expect(() => numberLiteral(Number.POSITIVE_INFINITY)).toThrow();
    expect(numberLiteral(1e21)).toBe('1e+21');
  });
});
