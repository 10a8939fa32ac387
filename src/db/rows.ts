import type { Candidate } from '../core/event';
import type { FileReport } from '../core/ingest';
import type { AlertRecord } from '../core/record';
import type { Settings } from '../core/settings';
import type { TriageStatus } from '../core/state';
import type { Counts } from '../core/stats';

/** What the database holds, row by row. Never raw log lines: normalised events and aggregates. */

/**
 * Kept non-browser events (a few per cent of a log), what detection re-runs
 * over, in blocks of up to EVENT_BLOCK from one file: IndexedDB's cost is
 * per record, and one record per event made a file of 60,000 events take
 * twenty times longer to write and ten times longer to read.
 */
export interface EventBlockRow {
  id?: number;
  /** Fingerprint of the file they came from; '' when not known (an imported state without one). */
  file: string;
  events: Candidate[];
}

export const EVENT_BLOCK = 2000;

/** One ingested file: the manifest that recognises a file read before. */
export interface FileRow {
  id?: number;
  /** Content fingerprint, computed while the file streamed; null in an old state file without one. */
  fingerprint: string | null;
  name: string;
  /** Size as read (compressed bytes for .gz). */
  bytes: number;
  /** Earliest and latest event time, UTC ms. */
  firstEvent: number | null;
  lastEvent: number | null;
  /** Lines read. */
  rows: number;
  /** When it was added, UTC ms. */
  addedAt: number;
  /** Generated demo data, which can be made again, rather than a dropped file. */
  demo: boolean;
  report: FileReport;
}

/** Per (client, domain, upload, host): when first and last seen, and how often. IndexedDB keys cannot be booleans. */
export interface BaselineDbRow {
  client: string;
  domain: string;
  upload: 0 | 1;
  host: string;
  firstSeen: number;
  lastSeen: number;
  count: number;
}

export type BaselineKey = [client: string, domain: string, upload: 0 | 1, host: string];

/**
 * The current alerts with their evidence, brought up to date after each
 * analysis (only those that changed are written). The settings live once, in meta.
 */
export interface AlertRow extends Omit<AlertRecord, 'settings'> {
  /** What changes when the alert does (alertSignature): rows whose id and signature are stored are not written again. */
  sig: string;
}

export interface TriageRow {
  /** The alert's id (record.ts alertId). */
  id: string;
  status: TriageStatus;
  note: string;
  /** ISO time of the last change, as in the state file. */
  changedAt: string;
}

/** The merged counts of everything ingested (first event, coverage by day) and a revision bumped by every write. */
export interface HistoryMeta {
  counts: Counts;
  demoLoaded: boolean;
  /** Bumped by each commit, import, rebuild and reset: a worker holding an older copy reloads. */
  revision: number;
  /** Schema 2: kept with each commit so the baseline panel need not count large tables. */
  fileCount: number;
  eventCount: number;
}

/** Which history revision the stored alerts were made from. */
export interface AlertsMeta {
  revision: number;
}

export interface MetaValues {
  history: HistoryMeta;
  settings: Settings;
  alerts: AlertsMeta;
}

export type MetaKey = keyof MetaValues;

export type MetaRow = { [K in MetaKey]: { key: K; value: MetaValues[K] } }[MetaKey];
