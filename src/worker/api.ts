/**
 * The worker's Comlink API and the messages it sends. The page imports this
 * with `import type` only, so no worker code ends up in the page's bundle.
 */
import type { Alert, Explanation } from '../core/detector';
import type { ClientKind } from '../core/event';
import type { FileReport } from '../core/map/report';
import type { Settings } from '../core/settings';
import type { Triage, TriageStatus } from '../core/state';
import type { Counts } from '../core/stats';
import type { Severity } from '../core/variations';
import type { Coverage } from '../core/detect/coverage';

export type { Coverage };

/** `saving`: read to the end, being written to storage. `duplicate`: its content was already added. */
export type FileState = 'queued' | 'reading' | 'saving' | 'done' | 'duplicate' | 'failed' | 'cancelled';

/** One input's progress; `bytesTotal` is null where the size is not known in advance (the demo). */
export interface FileProgressRow {
  name: string;
  state: FileState;
  bytesRead: number;
  bytesTotal: number | null;
  rows: number;
  elapsedMs: number;
  bytesPerSec: number;
  /** Null while it cannot be estimated. */
  msLeft: number | null;
  /** FileReport.error, for a file that could not be read as a log. */
  error: string | null;
  /** For a `duplicate`: the name of the earlier file with the same content. */
  duplicateOf: string | null;
}

export interface RunProgress {
  phase: 'reading' | 'analysing';
  files: FileProgressRow[];
}

export type ProgressCallback = (p: RunProgress) => void;

/** An alert as the table shows it (the detector's fields, less its evidence); `index` asks the worker for its detail. */
export type AlertSummary = Pick<Alert, 'variation' | 'host' | 'user' | 'client' | 'domain' | 'firstSeen' | 'lastSeen' | 'count'> & {
  index: number;
  /** Stable across analyses of the same history (record.ts alertId): what triage is kept by. */
  id: string;
  severity: Severity;
};

export interface EvidenceRow {
  time: number;
  host: string;
  user: string;
  method: string;
  url: string;
  userAgent: string;
  contentType: string;
  bytesOut: number | null;
  bytesIn: number | null;
  action: string;
  file: string;
  line: number;
}

export interface AlertDetail {
  alert: AlertSummary;
  explanation: Explanation;
  /** At most MAX_EVIDENCE rows; `alert.count` counts them all. */
  evidence: EvidenceRow[];
}

/** Events per UTC day by client kind, and alerts per day (of their first event) by severity. */
export interface DayBucket {
  /** UTC day number: epoch ms / 86 400 000, floored. */
  day: number;
  events: Record<ClientKind, number>;
  alerts: Record<Severity, number>;
}

export interface Timeline {
  /** Only days with events or alerts, in order. */
  days: DayBucket[];
}

export interface Analysis {
  /** Changes with every analysis the worker makes; detail and export requests name it. */
  generation: number;
  settings: Settings;
  alerts: AlertSummary[];
  /** The files added (the manifest), then those of this visit that failed or repeated an added one. */
  files: FileReport[];
  /** Everything read without error, merged. */
  counts: Counts;
  dataStart: number | null;
  activeFrom: number | null;
  inactiveEvents: number;
  timeline: Timeline;
  demoLoaded: boolean;
  coverage: Coverage;
  /** Triage by alert id, alerts no longer present included. */
  triage: Record<string, Triage>;
  /** Added files this tab cannot read again (added on an earlier visit): settings used while reading cannot apply to them. */
  filesNotHeld: number;
  /**
   * From the TRAFFIC join of the last drop that had TRAFFIC rows: URL events
   * that took their bytes from a TRAFFIC row, and those that found none near
   * them in time; null when no drop of this visit had TRAFFIC rows.
   */
  trafficJoin: { joined: number; unmatched: number } | null;
  /** The file whose alerts are shown in place of the history's own ("Import alerts…"); null for the history's own. */
  importedAlerts: string | null;
}

/** Where the history is kept: the browser's IndexedDB, or (when it gives none) only this tab's memory. */
export interface StorageStatus {
  mode: 'indexeddb' | 'memory';
  /** Why it is memory only, in words. */
  problem: string | null;
}

export interface Opened {
  storage: StorageStatus;
  /** The stored history, analysed (empty on a first visit). */
  analysis: Analysis;
  /** Things worth a word from opening it (its alerts could not be saved again). */
  notices: string[];
}

export interface Duplicate {
  name: string;
  /** The added file with the same content. */
  of: string;
}

/**
 * How a run ended. `done`: everything asked was done. `cancelled`: the
 * files finished before the cancel are kept, the one being read is not.
 * `stopped`: the files could not be saved (storage full): nothing of them
 * was added. `refused`: nothing was changed (a bad state file, files that
 * cannot be read again).
 */
export interface RunOutcome {
  status: 'done' | 'cancelled' | 'stopped' | 'refused';
  /** The analysis now; null when the run changed nothing. Always set when done. */
  analysis: Analysis | null;
  /** For stopped and refused runs: why, in words. */
  message: string | null;
  /** Files of this run whose content was already added. */
  duplicates: Duplicate[];
  /** Things worth a word although the run did what it should (the alerts could not be saved). */
  notices: string[];
}

export interface Export {
  blob: Blob;
  fileName: string;
  alerts: number;
}

export interface IngestApi {
  /** Opens the stored history (or falls back to memory) and analyses it; every other call waits for it. */
  open(): Promise<Opened>;
  /** Reads more files into the history, each saved as it completes, then analyses everything. */
  addFiles(files: File[], onProgress: ProgressCallback): Promise<RunOutcome>;
  /** Adds the generated demo dataset to the history, then analyses everything. */
  addDemo(onProgress: ProgressCallback): Promise<RunOutcome>;
  /**
   * Reads everything again under new settings (the lists and the time zone
   * decide at ingest time); the old history stays until this one completes.
   * Refused when files added on an earlier visit are not open in this tab.
   */
  rebuild(settings: Settings, onProgress: ProgressCallback): Promise<RunOutcome>;
  /** Detection again over the history under new detection settings; triage of alerts that remain is kept. */
  reanalyse(settings: Settings): Promise<RunOutcome>;
  /** Stops the run in progress: files already added stay, the one being read adds nothing. */
  cancel(): void;
  /** Parse workers to use from the next run on, instead of one per core (the page's `?parse-workers=N`, for benchmarks). */
  setParseWorkers(count: number): void;
  /** Null when `generation` is no longer current. */
  detail(generation: number, index: number): Promise<AlertDetail | null>;
  /** The alerts with their triage; only those whose status is in `statuses` unless it is empty. */
  exportJsonLines(generation: number, statuses: TriageStatus[]): Promise<Export | null>;
  exportCsv(generation: number, statuses: TriageStatus[]): Promise<Export | null>;
  /** Sets an alert's status and note (saved at once); returns what was saved. */
  setTriage(id: string, status: TriageStatus, note: string): Promise<Triage>;
  /** The whole history, settings and triage as one state file (gzip JSON lines, core/stateLines.ts), as the CLI reads it. */
  exportState(): Promise<Export>;
  /** Replaces everything with a state file's content; a bad file is refused and changes nothing. */
  importState(file: File): Promise<RunOutcome>;
  importState(file: File): Promise<RunOutcome>;
  /**
   * Shows alerts detected elsewhere (JSON lines of `offbrowse detect --json`, `sql-result`
   * or this page's export) for triage, in place of the history's own until the next run;
   * the stored history is not touched. A bad file is refused and changes nothing.
   */
  importAlerts(file: File): Promise<RunOutcome>;
  /** Deletes the history and triage (the settings stay). */
  reset(): Promise<RunOutcome>;
}
