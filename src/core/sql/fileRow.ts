import type { FileReport } from '../ingest/report';
import { isAdded } from '../pipeline/pipeline';
import { totalSkipped } from '../sources/counts';
import type { ColumnType } from './eventRow';

/**
 * One input file of a map run, beside its events. `min_time_ms` is the
 * earliest event of any client kind: the data start that activation counts
 * from is the least of it over every run, which the events alone cannot give
 * (they hold only non-browser events).
 */
export interface FileRow {
  file: string;
  /** Content fingerprint (fingerprint.ts), when worked out. */
  fingerprint: string | null;
  format: string | null;
  gzip: 0 | 1;
  /** Bytes read (compressed bytes for .gz). */
  bytes: number;
  lines: number;
  browser: number;
  non_browser: number;
  unknown: number;
  skipped: number;
  /** 1 when the file's events are in the run's events; 0 for a file that could not be read or repeats another. */
  added: 0 | 1;
  /** Null unless added. */
  min_time_ms: number | null;
  max_time_ms: number | null;
  error: string | null;
  /** Name of the earlier file of the run with the same content. */
  duplicate_of: string | null;
}

export const FILE_COLUMNS: readonly { name: keyof FileRow; type: ColumnType }[] = [
  { name: 'file', type: 'text' },
  { name: 'fingerprint', type: 'text' },
  { name: 'format', type: 'text' },
  { name: 'gzip', type: 'flag' },
  { name: 'bytes', type: 'int' },
  { name: 'lines', type: 'int' },
  { name: 'browser', type: 'int' },
  { name: 'non_browser', type: 'int' },
  { name: 'unknown', type: 'int' },
  { name: 'skipped', type: 'int' },
  { name: 'added', type: 'flag' },
  { name: 'min_time_ms', type: 'int' },
  { name: 'max_time_ms', type: 'int' },
  { name: 'error', type: 'text' },
  { name: 'duplicate_of', type: 'text' },
];

export function fileRow(f: FileReport): FileRow {
  const added = isAdded(f);
  return {
    file: f.name,
    fingerprint: f.fingerprint,
    format: f.format,
    gzip: f.gzip ? 1 : 0,
    bytes: f.bytes,
    lines: f.counts.lines,
    browser: f.counts.browser,
    non_browser: f.counts.nonBrowser,
    unknown: f.counts.unknown,
    skipped: totalSkipped(f.counts),
    added: added ? 1 : 0,
    min_time_ms: added ? f.counts.minTime : null,
    max_time_ms: added ? f.counts.maxTime : null,
    error: f.error,
    duplicate_of: f.duplicateOf,
  };
}
