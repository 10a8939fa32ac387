import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBAppender, type DuckDBConnection } from '@duckdb/node-api';
import { errorMessage } from '../../core/errorMessage';
import { EVENT_COLUMNS, type ColumnType } from '../../core/events/eventRow';
import { FILE_COLUMNS } from '../../core/events/fileRow';
import type { Settings } from '../../core/settings';
import {
  createTablesSql,
  DEFAULT_TABLES,
  detectionSql,
  summarySql,
  unsuppressed,
  type Tables,
} from '../../core/sql/detectionSql';
import { DIALECTS, tableName } from '../../core/sql/dialect';
import type { ResultRow } from '../../core/sql/resultAlerts';
import { checkWholeRuns, tidyEventsDir } from '../eventsDir';
import { EngineError, toNumberOrNull, type EngineInput, type EngineResult } from './engine';

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
 * `detect --engine duckdb --events-dir DIR`: the reduce over the outputs of
 * many `offbrowse events --out DIR` runs, loaded as one table by a glob, as
 * README "Bigger than one machine" loads them.
 */
export function runDuckDbOnDir(dir: string, settings: Settings): Promise<EngineResult> {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new EngineError(`${dir} is not a folder (give the folder offbrowse events --out wrote)`);
  tidyEventsDir(dir);
  checkWholeRuns(dir);
  const names = readdirSync(dir);
  const has = (kind: string, ext: string): boolean => names.some((n) => n.startsWith(`${kind}-`) && n.endsWith(ext));
  const ext = has('events', '.parquet') && has('files', '.parquet') ? '.parquet' : '.csv';
  for (const kind of ['events', 'files']) {
    if (!has(kind, ext))
      throw new EngineError(`${dir} holds no ${kind}-*${ext} (write them with offbrowse events --out ${dir} FILES...)`);
  }
  const options = ext === '.csv' ? '(HEADER)' : '(FORMAT parquet)';
  return withDuckDb(async (c) => {
    const tables = duckTables();
    for (const sql of createTablesSql(duckdb, tables)) await c.run(sql);
    try {
      await c.run(`COPY ${tables.events} FROM ${sqlText(join(dir, `events-*${ext}`))} ${options}`);
      await c.run(`COPY ${tables.files} FROM ${sqlText(join(dir, `files-*${ext}`))} ${options}`);
    } catch (e) {
      throw new EngineError(`DuckDB could not load the ${ext} files in ${dir}: ${errorMessage(e)}`);
    }
    return detectInDuckDb(c, settings, tables);
  });
}
