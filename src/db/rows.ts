import type { FileReport } from '../core/ingest/report';
import type { AlertRecord } from '../core/alerts/record';
import type { Settings } from '../core/settings/settings';
import type { TriageStatus } from '../core/alerts/triage';
import type { Counts } from '../core/sources/counts';
import type { Coverage } from '../core/detect/coverage';

/** What the database holds, row by row. Never raw log lines: compact events in sorted runs, and aggregates. */

/**
 * A sorted run of compact events (or of TRAFFIC rows, while a drop is being
 * joined), stored as blocks in `blocks`. A run is `pending` while the drop
 * that writes it runs, and becomes part of the history only when the drop
 * commits; pending runs of a tab that went away are deleted.
 */
export interface RunRow {
  id?: number;
  state: 'pending' | 'committed';
  kind: 'events' | 'traffic' | 'endpoint';
  /** The run (drop) that wrote it, and holds a Web Lock named after it while it runs. */
  owner: string;
  count: number;
  minTime: number;
  maxTime: number;
  /** Blocks written so far (all of them once the run is finished). */
  blocks: number;
  createdAt: number;
}

/** One block of a run (core/runs/block.ts), keyed by run and position. */
export interface BlockRow {
  run: number;
  no: number;
  bytes: ArrayBuffer;
}

/** One ingested file: the manifest that recognises a file read before. */
export interface FileRow {
  id?: number;
  /** The key its events carry (events/columns.ts SOURCE), unique in the history. */
  key: string;
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
  /** Kept with each commit so the baseline panel need not count large tables. */
  fileCount: number;
  eventCount: number;
}

/** Which history revision the stored alerts were made from, and what that history covers. */
interface AlertsMeta {
  revision: number;
  /** Worked out in the same pass over the events as the alerts (absent in databases from before version 3). */
  coverage?: Coverage;
}

/**
 * Work on the history in progress (src/db/work.ts): written when it starts,
 * marked `committed` by the transaction that makes it part of the history,
 * deleted when it ends. One found on opening, with nobody working, was cut off.
 */
export interface WorkMarker {
  /** The work's key; it holds the Web Lock named after it while it runs (src/worker/runLock.ts). */
  owner: string;
  kind: 'drop' | 'demo' | 'settings' | 'remove' | 'import';
  /** The files dropped or removed, or the state file imported. */
  names: string[];
  /** For a removal: the keys of the files it takes out. */
  keys?: string[];
  startedAt: number;
  /** Its commit went through: the history holds it; what came after (its alerts) may not have. */
  committed: boolean;
}

export interface MetaValues {
  history: HistoryMeta;
  settings: Settings;
  alerts: AlertsMeta;
  work: WorkMarker;
}

export type MetaKey = keyof MetaValues;

export type MetaRow = { [K in MetaKey]: { key: K; value: MetaValues[K] } }[MetaKey];
