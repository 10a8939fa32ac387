import type { EventRow } from '../../core/sql/eventRow';
import type { FileRow } from '../../core/sql/fileRow';
import { isEmptyReport } from '../../core/ingest/report';
import type { ResultRow } from '../../core/sql/resultAlerts';

/** What an engine is given: the map's rows. */
export interface EngineInput {
  rows(): AsyncIterable<EventRow>;
  fileRows(): FileRow[];
}

/** What the detection SQL gave back. */
export interface EngineResult {
  rows: ResultRow[];
  /** The data start the SQL took from the files table; null with no events. */
  dataStart: number | null;
  inactiveEvents: number;
  /** Over tables loaded elsewhere: the inputs their files table records as not read. */
  unread?: UnreadFile[];
}

/** An input a map run could not read, as its files table records it. */
export interface UnreadFile {
  file: string;
  error: string;
}

/** The rows of unreadFilesSql, with the files passed over for being empty left out (detect does not fail on those). */
export function unreadFiles(rows: readonly Record<string, unknown>[]): UnreadFile[] {
  return rows.map((r) => ({ file: String(r.file), error: String(r.error) })).filter((f) => !isEmptyReport(f));
}

/** A failure the user can act on (bad connection string, refused login, missing table): exit code 2. */
export class EngineError extends Error {}

export function toNumberOrNull(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}
