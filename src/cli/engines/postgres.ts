import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { dataCsvLine } from '../../core/sql/dataCsv';
import { EVENT_COLUMNS, type ColumnType, type EventRow } from '../../core/sql/eventRow';
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
import { postgresCsvOptions } from '../../core/sql/csvLoad';
import { DIALECTS, tableName } from '../../core/sql/dialect';
import type { ResultRow } from '../../core/sql/resultAlerts';
import { EngineError, toNumberOrNull, unreadFiles, type EngineInput, type EngineResult } from './engine';

const postgres = DIALECTS.postgres;
const CONNECT_TIMEOUT_MS = 10_000;
/** Lines per COPY write: big enough to keep the socket busy, small enough to stay out of the heap. */
const LINES_PER_CHUNK = 2000;

/** The connection string with any password hidden, for messages. */
export function redacted(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/:[^:@/]*@/, ':***@');
  }
}

interface Target {
  url: string;
  where: string;
  user: string;
  database: string;
}

/** Checks the connection string's form before anything is sent; EngineError says what is wrong. */
export function parseTarget(url: string): Target {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new EngineError(`bad connection string ${redacted(url)}: expected postgres://USER[:PASSWORD]@HOST:PORT/DATABASE`);
  }
  if (!/^postgres(ql)?:$/.test(u.protocol))
    throw new EngineError(`bad connection string ${redacted(url)}: it must start with postgres://`);
  if (u.hostname === '')
    throw new EngineError(`bad connection string ${redacted(url)}: no host (expected postgres://USER@HOST:PORT/DATABASE)`);
  if (u.port !== '' && !(Number(u.port) >= 1 && Number(u.port) <= 65535)) {
    throw new EngineError(`bad connection string ${redacted(url)}: port ${u.port} is not a port number`);
  }
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (database === '' || database.includes('/')) {
    throw new EngineError(`bad connection string ${redacted(url)}: name one database after the host (…@HOST:PORT/DATABASE)`);
  }
  return { url, where: `${u.hostname}:${u.port || '5432'}`, user: decodeURIComponent(u.username), database };
}

interface PgError extends Error {
  code?: string;
}

/** A connection failure in words, for the three things a user can get wrong: where, who, which database. */
function connectError(t: Target, e: PgError): EngineError {
  const code = e.code ?? '';
  if (code === 'ECONNREFUSED')
    return new EngineError(`cannot connect to PostgreSQL at ${t.where}: connection refused (is a server listening there?)`);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return new EngineError(`cannot connect to PostgreSQL at ${t.where}: no such host`);
  if (code === '28P01' || code === '28000') {
    return new EngineError(`PostgreSQL at ${t.where} refused the login of user "${t.user}": ${e.message}`);
  }
  // pg asks for a password only when the server wants one, and then fails with "SASL: … client password must be a string".
  if (/password must be a string|no password was provided/i.test(e.message))
    return new EngineError(
      `PostgreSQL at ${t.where} wants a password for user "${t.user}" and none was given: ` +
        'set PGPASSWORD, or put it in the URL (postgres://USER:PASSWORD@HOST:PORT/DB)',
    );
  if (code === '3D000') return new EngineError(`PostgreSQL at ${t.where} has no database "${t.database}"`);
  if (/timeout/i.test(e.message))
    return new EngineError(`cannot connect to PostgreSQL at ${t.where}: no answer within ${CONNECT_TIMEOUT_MS / 1000} s`);
  return new EngineError(`cannot connect to PostgreSQL at ${t.where}: ${e.message}`);
}

async function connect(t: Target): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: t.url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  // A server that goes away mid-run is reported by the query that fails; this keeps the process alive until then.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (e) {
    await client.end().catch(() => undefined);
    throw connectError(t, e as PgError);
  }
  return client;
}

/** PostgreSQL text cannot hold U+0000: say so rather than fail inside COPY. */
function checkNoNul(row: EventRow): void {
  for (const c of EVENT_COLUMNS) {
    const v = row[c.name];
    if (typeof v === 'string' && v.includes('\u0000')) {
      throw new EngineError(
        `PostgreSQL text cannot hold the NUL character, and the event at ${row.file} line ${row.line} has one in ${c.name}`,
      );
    }
  }
}

async function* csvChunks<T extends object>(
  rows: Iterable<T> | AsyncIterable<T>,
  columns: readonly { name: keyof T; type: ColumnType }[],
  check?: (r: T) => void,
): AsyncIterable<string> {
  let chunk = '';
  let n = 0;
  for await (const row of rows) {
    check?.(row);
    chunk += dataCsvLine(row, columns);
    if (++n === LINES_PER_CHUNK) {
      yield chunk;
      chunk = '';
      n = 0;
    }
  }
  if (chunk !== '') yield chunk;
}

async function copyInto(
  client: pg.Client,
  table: string,
  columns: readonly { name: PropertyKey }[],
  chunks: AsyncIterable<string>,
): Promise<void> {
  const cols = columns.map((c) => postgres.ident(String(c.name))).join(', ');
  await pipeline(
    Readable.from(chunks),
    client.query(copyStreams.from(`COPY ${table} (${cols}) FROM STDIN WITH (${postgresCsvOptions(false)})`)),
  );
}

async function detectIn(client: pg.Client, settings: Settings, tables: Tables): Promise<EngineResult> {
  const summary = (await client.query(summarySql(postgres, settings, tables))).rows[0] as Record<string, unknown>;
  const result = await client.query(detectionSql(postgres, unsuppressed(settings), tables));
  return {
    rows: result.rows as ResultRow[],
    dataStart: toNumberOrNull(summary.data_start_ms),
    inactiveEvents: toNumberOrNull(summary.inactive_events) ?? 0,
  };
}

/** Runs `work` in a transaction that is always rolled back: whatever it made is gone afterwards, success or not. */
async function inRolledBackTransaction<T>(t: Target, readOnly: boolean, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = await connect(t);
  try {
    await client.query(readOnly ? 'BEGIN READ ONLY' : 'BEGIN');
    try {
      return await work(client);
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
    }
  } catch (e) {
    if (e instanceof EngineError) throw e;
    const err = e as PgError;
    if (err.code === '42P01') throw new EngineError(`PostgreSQL at ${t.where}: ${err.message}`);
    if (err.code !== undefined && /^[0-9A-Z]{5}$/.test(err.code))
      throw new EngineError(`PostgreSQL at ${t.where} failed: ${err.message} (SQLSTATE ${err.code})`);
    throw new EngineError(`PostgreSQL at ${t.where}: ${err.message}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * `detect --engine postgres://…`: the map's rows COPYed into temporary tables
 * inside one transaction, the detection SQL run there, and the transaction
 * rolled back, so the database is left exactly as it was, after a success or
 * a failure (a dropped connection aborts the transaction on the server too).
 */
export function runPostgres(url: string, input: EngineInput, settings: Settings): Promise<EngineResult> {
  const target = parseTarget(url);
  return inRolledBackTransaction(target, false, async (client) => {
    const tables: Tables = { events: postgres.ident(DEFAULT_TABLES.events), files: postgres.ident(DEFAULT_TABLES.files) };
    for (const sql of createTablesSql(postgres, tables))
      await client.query(sql.replace(/^CREATE TABLE/, 'CREATE TEMPORARY TABLE'));
    await copyInto(client, tables.events, EVENT_COLUMNS, csvChunks(input.rows(), EVENT_COLUMNS, checkNoNul));
    await copyInto(client, tables.files, FILE_COLUMNS, csvChunks(input.fileRows(), FILE_COLUMNS));
    return detectIn(client, settings, tables);
  });
}

/** The detection over tables already in the database (loaded from many map runs), read only. */
export function runPostgresOnTables(
  url: string,
  names: { events: string; files: string },
  settings: Settings,
): Promise<EngineResult> {
  const target = parseTarget(url);
  const events = tableName(postgres, names.events);
  const files = tableName(postgres, names.files);
  if (events === null) throw new EngineError(`not a table name: "${names.events}"`);
  if (files === null) throw new EngineError(`not a table name: "${names.files}"`);
  return inRolledBackTransaction(target, true, async (client) => {
    const result = await detectIn(client, settings, { events, files });
    const unread = (await client.query(unreadFilesSql(postgres, { events, files }))).rows as Record<string, unknown>[];
    return { ...result, unread: unreadFiles(unread) };
  });
}
