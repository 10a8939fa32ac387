import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBAppender, type DuckDBConnection } from '@duckdb/node-api';
import { errorMessage } from '../../core/util/errorMessage';
import { EVENT_COLUMNS, type ColumnType } from '../../core/sql/eventRow';
import { FILE_COLUMNS } from '../../core/sql/fileRow';
import type { Settings } from '../../core/settings/settings';
import {
  createTablesSql,
  DEFAULT_TABLES,
  detectionSql,
  summarySql,
  unreadFilesSql,
  unsuppressed,
  type Tables,
} from '../../core/sql/detectionSql';
import { csvLoadSql } from '../../core/sql/csvLoad';
import { DIALECTS, tableName } from '../../core/sql/dialect';
import type { ResultRow } from '../../core/sql/resultAlerts';
import { checkWholeRuns, tidyEventsDir } from '../eventsDir';
import { EngineError, toNumberOrNull, unreadFiles, type EngineInput, type EngineResult, type UnreadFile } from './engine';

const duckdb = DIALECTS.duckdb;
const sqlText = (s: string): string => `'${s.replace(/'/g, "''")}'`;

export function duckTables(): Tables {
  return { events: tableName(duckdb, DEFAULT_TABLES.events)!, files: tableName(duckdb, DEFAULT_TABLES.files)! };
}

function appendCell(a: DuckDBAppender, type: ColumnType, v: unknown): void {
  if (v === null || v === undefined) a.appendNull();
  else if (type === 'int') a.appendBigInt(BigInt(v as number));
  else if (type === 'flag') a.appendInteger(v as number);
  else if (type === 'real') a.appendDouble(v as number);
  else a.appendVarchar(v as string);
}

async function append<T extends object>(
  c: DuckDBConnection,
  table: string,
  columns: readonly { name: keyof T; type: ColumnType }[],
  rows: Iterable<T> | AsyncIterable<T>,
): Promise<void> {
  const a = await c.createAppender(table);
  for await (const row of rows) {
    for (const col of columns) appendCell(a, col.type, row[col.name]);
    a.endRow();
  }
  a.closeSync();
}

/** Runs the detection SQL over tables already in `c` (the map's, or the benchmark peer's). */
export async function detectInDuckDb(c: DuckDBConnection, settings: Settings, tables: Tables): Promise<EngineResult> {
  const summary = (await c.runAndReadAll(summarySql(duckdb, settings, tables))).getRowObjectsJS()[0];
  const result = await c.runAndReadAll(detectionSql(duckdb, unsuppressed(settings), tables));
  return {
    rows: result.getRowObjectsJS() as ResultRow[],
    dataStart: toNumberOrNull(summary.data_start_ms),
    inactiveEvents: toNumberOrNull(summary.inactive_events) ?? 0,
  };
}

/** Opens an in-process DuckDB (in memory), gives `work` a connection, and closes it whatever happens. */
export async function withDuckDb<T>(work: (c: DuckDBConnection) => Promise<T>): Promise<T> {
  const instance = await DuckDBInstance.create(':memory:');
  const c = await instance.connect();
  try {
    return await work(c);
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}

/** The map's rows as two Parquet files (typed columns, for engines that read Parquet best). */
export function writeParquet(input: EngineInput, paths: { events: string; files: string }): Promise<number> {
  return withDuckDb(async (c) => {
    const tables = duckTables();
    for (const sql of createTablesSql(duckdb, tables)) await c.run(sql);
    await append(c, DEFAULT_TABLES.events, EVENT_COLUMNS, input.rows());
    await append(c, DEFAULT_TABLES.files, FILE_COLUMNS, input.fileRows());
    await c.run(`COPY ${tables.events} TO ${sqlText(paths.events)} (FORMAT parquet)`);
    await c.run(`COPY ${tables.files} TO ${sqlText(paths.files)} (FORMAT parquet)`);
    const n = (await c.runAndReadAll(`SELECT COUNT(*) AS n FROM ${tables.events}`)).getRowObjectsJS()[0].n;
    return Number(n);
  });
}

/** The map's rows appended into the two tables, created in `c`. */
export async function loadMap(c: DuckDBConnection, input: EngineInput): Promise<Tables> {
  const tables = duckTables();
  for (const sql of createTablesSql(duckdb, tables)) await c.run(sql);
  await append(c, DEFAULT_TABLES.events, EVENT_COLUMNS, input.rows());
  await append(c, DEFAULT_TABLES.files, FILE_COLUMNS, input.fileRows());
  return tables;
}

/** `detect --engine duckdb`: the map's rows appended into an in-memory DuckDB, then the SQL. */
export function runDuckDb(input: EngineInput, settings: Settings): Promise<EngineResult> {
  return withDuckDb(async (c) => detectInDuckDb(c, settings, await loadMap(c, input)));
}

/**
 * The map runs in a folder: `events-<run>.csv|parquet` beside
 * `files-<run>.csv|parquet`. Runs written as CSV and runs written as Parquet
 * are both read (a folder filled by tasks given different `--format`s); a run
 * found in both forms would be counted twice, so that is refused.
 */
export function mapRunsIn(dir: string): { csv: boolean; parquet: boolean } {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new EngineError(`${dir} is not a folder (give the folder offbrowse events --out wrote)`);
  tidyEventsDir(dir);
  checkWholeRuns(dir);
  const names = readdirSync(dir);
  const runs = (kind: string, ext: string): string[] =>
    names.filter((n) => n.startsWith(`${kind}-`) && n.endsWith(ext)).map((n) => n.slice(kind.length + 1, -ext.length));
  const kinds = { csv: '.csv', parquet: '.parquet' } as const;
  const has = { csv: false, parquet: false };
  for (const form of ['csv', 'parquet'] as const) {
    const events = runs('events', kinds[form]);
    const files = new Set(runs('files', kinds[form]));
    const lone = events.find((r) => !files.has(r));
    if (lone !== undefined)
      throw new EngineError(
        `${dir} holds events-${lone}${kinds[form]} without its files-${lone}${kinds[form]} (run that map again)`,
      );
    has[form] = events.length > 0;
  }
  if (!has.csv && !has.parquet)
    throw new EngineError(
      `${dir} holds no events-*.csv or events-*.parquet (write them with offbrowse events --out ${dir} FILES...)`,
    );
  const csvRuns = new Set(runs('events', '.csv'));
  const both = runs('events', '.parquet').filter((r) => csvRuns.has(r));
  if (both.length > 0) {
    throw new EngineError(
      `${dir} holds run ${both[0]} both as CSV and as Parquet, which would count its events twice: remove one of events-${both[0]}.csv / events-${both[0]}.parquet (and its files- twin)`,
    );
  }
  return has;
}

/** The inputs the files table records as not read (empty files aside, as detect counts them). */
export async function unreadInDuckDb(c: DuckDBConnection, tables: Tables): Promise<UnreadFile[]> {
  const rows = (await c.runAndReadAll(unreadFilesSql(duckdb, tables))).getRowObjectsJS();
  return unreadFiles(rows);
}

/**
 * `detect --engine duckdb --events-dir DIR`: the reduce over the outputs of
 * many `offbrowse events --out DIR` runs, loaded as one table by a glob, with
 * the statements `offbrowse sql --dialect duckdb --ddl --load DIR` prints.
 */
export function runDuckDbOnDir(dir: string, settings: Settings): Promise<EngineResult> {
  const has = mapRunsIn(dir);
  return withDuckDb(async (c) => {
    const tables = duckTables();
    for (const sql of createTablesSql(duckdb, tables)) await c.run(sql);
    const statements = [
      ...(has.csv ? csvLoadSql(duckdb, tables, dir) : []),
      ...(has.parquet
        ? (['events', 'files'] as const).map(
            (k) => `COPY ${tables[k]} FROM ${sqlText(join(dir, `${k}-*.parquet`))} (FORMAT parquet)`,
          )
        : []),
    ];
    for (const sql of statements) {
      try {
        await c.run(sql);
      } catch (e) {
        const what = sql.includes('parquet') ? 'Parquet' : 'CSV';
        throw new EngineError(`DuckDB could not load the ${what} files in ${dir}: ${errorMessage(e)}`);
      }
    }
    const result = await detectInDuckDb(c, settings, tables);
    return { ...result, unread: await unreadInDuckDb(c, tables) };
  });
}
