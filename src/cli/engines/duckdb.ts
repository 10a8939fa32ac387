import { DuckDBInstance, type DuckDBAppender, type DuckDBConnection } from '@duckdb/node-api';
import { EVENT_COLUMNS, type ColumnType } from '../../core/events/eventRow';
import { FILE_COLUMNS } from '../../core/events/fileRow';
import type { Settings } from '../../core/settings';
import { createTablesSql, DEFAULT_TABLES, detectionSql, summarySql, type Tables } from '../../core/sql/detectionSql';
import { DIALECTS, tableName } from '../../core/sql/dialect';
import type { ResultRow } from '../../core/sql/resultAlerts';
import { toNumberOrNull, type EngineInput, type EngineResult } from './engine';

const duckdb = DIALECTS.duckdb;

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
  c: DuckDBConnection, table: string, columns: readonly { name: keyof T; type: ColumnType }[], rows: Iterable<T>,
): Promise<void> {
  const a = await c.createAppender(table);
  for (const row of rows) {
    for (const col of columns) appendCell(a, col.type, row[col.name]);
    a.endRow();
  }
  a.closeSync();
}

/** Runs the detection SQL over tables already in `c` (the map's, or the benchmark peer's). */
export async function detectInDuckDb(c: DuckDBConnection, settings: Settings, tables: Tables): Promise<EngineResult> {
  const summary = (await c.runAndReadAll(summarySql(duckdb, settings, tables))).getRowObjectsJS()[0];
  const result = await c.runAndReadAll(detectionSql(duckdb, settings, tables));
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

/** `detect --engine duckdb`: the map's rows appended into an in-memory DuckDB, then the SQL. */
export function runDuckDb(input: EngineInput, settings: Settings): Promise<EngineResult> {
  return withDuckDb(async (c) => {
    const tables = duckTables();
    for (const sql of createTablesSql(duckdb, tables)) await c.run(sql);
    await append(c, DEFAULT_TABLES.events, EVENT_COLUMNS, input.rows());
    await append(c, DEFAULT_TABLES.files, FILE_COLUMNS, input.fileRows());
    return detectInDuckDb(c, settings, tables);
  });
}
