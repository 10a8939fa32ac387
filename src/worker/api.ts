/**
 * The worker's Comlink API and the messages it sends. The page imports this
 * with `import type` only, so no worker code ends up in the page's bundle.
 */
import type { Explanation } from '../core/detector';
import type { ClientKind } from '../core/event';
import type { FileReport } from '../core/ingest';
import type { Settings } from '../core/settings';
import type { Counts } from '../core/stats';
import type { Severity, VariationId } from '../core/variations';

export type FileState = 'queued' | 'reading' | 'done' | 'failed' | 'cancelled';

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
}

export interface RunProgress {
  phase: 'reading' | 'analysing';
  files: FileProgressRow[];
}

export type ProgressCallback = (p: RunProgress) => void;

/** An alert as the table shows it; `index` asks the worker for its detail. */
export interface AlertSummary {
  index: number;
  variation: VariationId;
  severity: Severity;
  host: string;
  user: string;
  client: string;
  domain: string;
  firstSeen: number;
  lastSeen: number;
  count: number;
}

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
  /** Every file read so far, failed ones included. */
  files: FileReport[];
  /** Everything read without error, merged. */
  counts: Counts;
  dataStart: number | null;
  activeFrom: number | null;
  inactiveEvents: number;
  timeline: Timeline;
  demoLoaded: boolean;
}

export type RunOutcome = { status: 'done'; analysis: Analysis } | { status: 'cancelled' };

export interface Export {
  blob: Blob;
  fileName: string;
  alerts: number;
}

export interface IngestApi {
  /** Reads more files into the history, then analyses everything. */
  addFiles(files: File[], settings: Settings, onProgress: ProgressCallback): Promise<RunOutcome>;
  /** Adds the generated demo dataset to the history, then analyses everything. */
  addDemo(settings: Settings, onProgress: ProgressCallback): Promise<RunOutcome>;
  /**
   * Reads everything again under new settings (the lists and the time zone
   * decide at ingest time); the old history stays until this one completes.
   */
  rebuild(files: File[], demo: boolean, settings: Settings, onProgress: ProgressCallback): Promise<RunOutcome>;
  /** Detection again over the loaded history under new detection settings. */
  reanalyse(settings: Settings): Promise<RunOutcome>;
  /** Stops the run in progress; the history stays as it was before it. */
  cancel(): void;
  /** Null when `generation` is no longer current. */
  detail(generation: number, index: number): Promise<AlertDetail | null>;
  exportJsonLines(generation: number): Promise<Export | null>;
  exportCsv(generation: number): Promise<Export | null>;
}
