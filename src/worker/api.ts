/**
 * The worker's Comlink API and the messages it sends. The page imports this
 * with `import type` only, so no worker code ends up in the page's bundle.
 */
import type { StitchCounts } from '../core/runs/stitchJoin';
import type { Alert, Explanation } from '../core/alerts/alert';
import type { ProcessInfo } from '../core/events/endpoint';
import type { ClientKind } from '../core/events/event';
import type { FileReport } from '../core/ingest/report';
import type { Settings, Suppression } from '../core/settings/settings';
import type { Triage, TriageStatus } from '../core/alerts/triage';
import type { Counts } from '../core/sources/counts';
import type { Severity } from '../core/settings/variations';
import type { Coverage } from '../core/detect/coverage';
import type { FormatId } from '../core/sources/format';
import type { SuppressionHits } from '../core/alerts/alert';
import type { VariationId } from '../core/settings/variations';
import type { DemoForm } from './inputs';

export type { Coverage, DemoForm, SuppressionHits };

/** `saving`: read to the end, being written to storage. `duplicate`: its content was already added. */
type FileState = 'queued' | 'reading' | 'saving' | 'done' | 'duplicate' | 'failed' | 'cancelled';

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

/**
 * Where a run is after reading: committing what it read, detecting over the
 * history, saving the alerts. `writing`: a run that reads no log (a removal,
 * a state import) writing the history's new events before it commits.
 */
export type RunStep = 'writing' | 'committing' | 'detecting' | 'saving-alerts';

export interface RunProgress {
  phase: 'reading' | 'analysing';
  /** Within `analysing`; null while reading. */
  step: RunStep | null;
  files: FileProgressRow[];
}

export type ProgressCallback = (p: RunProgress) => void;

/** An alert as the table shows it (the detector's fields, less its evidence); `index` asks the worker for its detail. */
export type AlertSummary = Pick<
  Alert,
  'variation' | 'host' | 'user' | 'client' | 'domain' | 'firstSeen' | 'lastSeen' | 'count'
> & {
  index: number;
  /** Stable across analyses of the same history (record.ts alertId): what triage is kept by. */
  id: string;
  severity: Severity;
  /**
   * The process image (full path, as logged) of its first event that was
   * stitched to endpoint data or came from it; null when none was.
   */
  image: string | null;
  /** The User-Agent of its first event that was stitched and claimed a browser; null when none did. */
  claimedUserAgent: string | null;
};

/** An alert a suppression leaves out, as the Suppressed view lists it (it is in no table, so it has no index). */
export type SuppressedAlert = Omit<AlertSummary, 'index'>;

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
  /** The rest of the normalised event, as the detector saw it. */
  hostname: string;
  path: string;
  textShare: boolean;
  api: boolean;
  /** Content type empty or HTML. */
  html: boolean;
  uploadMethod: boolean;
  /** An upload under the settings in force (method, and bytes sent not known to be below the smallest upload). */
  upload: boolean;
  variation: VariationId | null;
  /** The format of the file it came from; null where the file is not in the history (imported alerts). */
  format: FormatId | null;
  /** Where the event was stitched to endpoint data or came from it; null otherwise. */
  process: ProcessInfo | null;
  /** Stitched, and its User-Agent alone would have passed for a browser's. */
  uaClaimsBrowser: boolean;
}

export interface AlertDetail {
  alert: AlertSummary;
  explanation: Explanation;
  /** Whether the alert's sources log a user at all (Zeek and Suricata do not): an empty user is then "unknown", else absent. */
  sourceHasUser: boolean;
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
  /** The stored history's revision this analysis was made from (another tab's work bumps it). */
  revision: number;
  settings: Settings;
  alerts: AlertSummary[];
  /** The files added (the manifest), then those of this visit that failed or repeated an added one. */
  files: FileReport[];
  /** How many of `files` (the first ones) are in the history. */
  filesAdded: number;
  /** The key of each added file (what removeFiles takes), in the order of `files`. */
  fileKeys: string[];
  /** Which added files are demo files, in the same order. */
  fileDemo: boolean[];
  /** Added files that are not demo files. */
  realFiles: number;
  /** The form the demo was loaded in; null when the history holds no demo file. */
  demoForm: DemoForm | null;
  /** What each suppression entry of the settings left out, in the list's order. */
  suppressed: SuppressionHits[];
  /** Added files whose times are written without a zone (PAN-OS), read in `settings.timeZone`. */
  zonelessFiles: number;
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
  /**
   * What stitching did in this analysis (src/core/runs/stitchJoin.ts): URL events
   * stitched (and how many of them sent a browser's User-Agent), endpoint
   * connections that found no URL event, endpoint-only events, and why
   * non-browser URL events were not stitched; null when the history holds no
   * endpoint records. `counts.endpoint` has the endpoint records by kind.
   */
  stitch: StitchCounts | null;
  /** The file whose alerts are shown in place of the history's own ("Import alerts…"); null for the history's own. */
  importedAlerts: string | null;
}

/**
 * Where the history is kept: the browser's IndexedDB, or (when it gives none)
 * only this tab's memory, and why. `no-database`: the browser gave no database
 * (`reason`: the storage problem); `unreadable`: it did, but the stored history
 * could not be read; `separate-session`: a demo session beside the stored
 * history, which keeps nothing on purpose.
 */
export type StorageStatus =
  | { mode: 'indexeddb' }
  | { mode: 'memory'; cause: 'separate-session' }
  | { mode: 'memory'; cause: 'no-database' | 'unreadable'; reason: string };

/** Work that changes the history, as its durable marker names it (src/db/rows.ts WorkMarker). */
type WorkKind = 'drop' | 'demo' | 'settings' | 'remove' | 'import';

/**
 * Work a tab was doing when it (or the browser) died. `committed` false: it
 * never became part of the history, which is as it was before it;
 * true: the history holds it, and its alerts were worked out again on opening.
 */
export interface InterruptedWork {
  kind: WorkKind;
  /** The files dropped or removed, the state file imported, or the demo's form. */
  names: string[];
  /** For a removal: the keys of the files it took out (Analysis.fileKeys), so it can be done again. */
  keys?: string[];
  committed: boolean;
}

/** Work on the history as it is marked when it starts (src/worker/store.ts `begin`). */
export type WorkAsked = Omit<InterruptedWork, 'committed'>;

export interface Opened {
  /** Work cut off on an earlier visit (or in a tab since closed); null when none was. */
  interrupted: InterruptedWork | null;
  storage: StorageStatus;
  /** The stored history, analysed (empty on a first visit). */
  analysis: Analysis;
  /** Things worth a word from opening it (saved settings not used, alerts not saved again). */
  notices: Notice[];
}

export interface Duplicate {
  name: string;
  /** The added file with the same content. */
  of: string;
}

/** A file of a run that was not read: its name, and the reader's reason (FileReport.error). */
interface NotRead {
  name: string;
  error: string;
}

/** What a run that read dropped files (or the demo) did with them. */
export interface FilesRead {
  /** Files this run added to the history. */
  added: number;
  /** Files of this run whose content was already added. */
  duplicates: Duplicate[];
  /** Files of this run that were not read, with why (repeats are in `duplicates`). */
  notRead: NotRead[];
}

/**
 * Why a run changed nothing, as data: the page words it (src/ui/messages.ts).
 * `reason` is the lower layer's own clause, shown as it is: a storage
 * problem (src/db/problems.ts), what is wrong with a state or alerts file,
 * or why a log could not be read.
 */
export type Refusal =
  /** removeFiles: none of the files asked for is in the history any more (another tab changed it). */
  | { kind: 'files-gone' }
  /** removeFiles: storage failed; `names` are the files that were to go. */
  | { kind: 'files-not-removed'; names: string[]; reason: string }
  /** rebuild: reading again needs every file, and these (added on an earlier visit) are not open in this tab. */
  | { kind: 'files-not-held'; names: string[] }
  /** rebuild: another tab changed the stored history while this one waited its turn; nothing was changed. */
  | { kind: 'history-changed' }
  /** rebuild: storage failed while reading again or saving. */
  | { kind: 'settings-not-applied'; reason: string }
  /** rebuild: a file held in this tab could not be read again. */
  | { kind: 'file-not-read-again'; name: string; reason: string }
  /** importState: `cause` says whether the file is at fault (nothing was changed) or storage is (the stored history is unchanged). */
  | { kind: 'state-not-imported'; file: string; reason: string; cause: 'file' | 'storage' }
  /** importAlerts: the file is not alerts this page reads. */
  | { kind: 'alerts-not-imported'; file: string; reason: string }
  /** reset: storage failed. */
  | { kind: 'not-deleted'; reason: string };

/** Why a drop was not added: it is saved whole or not at all, and saving failed (`reason`, a storage problem). */
export interface NotSaved {
  /** Every file of the drop. */
  names: string[];
  /** Their size as dropped (the demo's is not known): stored, they take a fraction of it. */
  bytes: number | null;
  reason: string;
}

/** Something worth a word although the run (or the opening) did what it should, as data. */
export type Notice =
  /** Saving the alerts and settings failed; they are made again from the saved files on the next visit. */
  | { kind: 'alerts-not-saved'; reason: string }
  /** Alerts detected elsewhere are shown in place of the history's own. */
  | { kind: 'imported-alerts'; count: number; file: string }
  /** The saved settings were outside this version's ranges: the defaults apply. */
  | { kind: 'settings-not-used'; reason: string };

/**
 * How a run ended. `done`: everything asked was done. `cancelled`: the
 * files finished before the cancel are kept, the one being read is not
 * (`analysis` null when nothing changed). `stopped`: the files could not be
 * saved (storage full): nothing of them was added. `refused`: nothing was
 * changed. `files` is set for runs that read dropped files or the demo.
 */
export type RunOutcome =
  | { status: 'done'; analysis: Analysis; notices: Notice[]; files: FilesRead | null }
  | { status: 'cancelled'; analysis: Analysis | null; notices: Notice[]; files: FilesRead | null }
  | { status: 'stopped'; notSaved: NotSaved; duplicates: Duplicate[] }
  | { status: 'refused'; refusal: Refusal };

/** One (client, domain) pair of a host in a stretch of time. */
export interface HostPair {
  client: string;
  domain: string;
  events: number;
  uploads: number;
  first: number;
  last: number;
  textShare: boolean;
}

export interface HostEvent {
  time: number;
  client: string;
  domain: string;
  method: string;
  url: string;
  userAgent: string;
  action: string;
  bytesOut: number | null;
  upload: boolean;
  file: string;
  line: number;
}

/** One process image of a host in a stretch of time, from the events stitched to endpoint data or taken from it. */
export interface HostProcess {
  /** Full path, as first logged (images are told apart without regard to case, as Windows does). */
  image: string;
  /** The computer names it was seen on (usually one). */
  computers: string[];
  events: number;
  /** The domain keys it went to, most events first; at most HOST_PROCESS_DOMAINS. */
  domains: string[];
  /** Domains past those listed. */
  otherDomains: number;
  /** More domains than could be told apart (500): `otherDomains` is then a least count. */
  domainsCut: boolean;
  first: number;
  last: number;
}

/** A host's non-browser activity around a moment: every pair, and the events nearest the moment. */
export interface HostActivity {
  host: string;
  from: number;
  to: number;
  /** Its events in [from, to]. */
  total: number;
  pairs: HostPair[];
  /** Events of pairs past the HOST_PAIRS first ones (counted in `total`, not in `pairs`). */
  otherPairEvents: number;
  /**
   * The processes that made its events over the whole history, where endpoint
   * data named them, first seen first; null where they were not kept (more
   * than 50,000 hosts had processes).
   */
  processes: HostProcess[] | null;
  /** Its events of processes past the first 200. */
  otherProcessEvents: number;
  /** At most HOST_EVENTS, the nearest to the alert, in time order. */
  events: HostEvent[];
}

/** A triage change for one alert (several at once: bulk triage). */
export interface TriageChange {
  id: string;
  status: TriageStatus;
  note: string;
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
  /** Adds the generated demo dataset, in the form asked for (the firewall's or a sensor's view), then analyses everything. */
  addDemo(form: DemoForm, onProgress: ProgressCallback): Promise<RunOutcome>;
  /**
   * Takes files out of the history (by key, Analysis.fileKeys): their events
   * and counts go, detection runs again, and triage of the alerts that remain
   * is kept. One transaction: on failure nothing changes.
   */
  removeFiles(keys: string[], onProgress: ProgressCallback): Promise<RunOutcome>;
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
  /** The alerts at these indexes, in this order (what the table shows), with their triage. */
  exportJsonLines(generation: number, order: number[]): Promise<Export | null>;
  exportCsv(generation: number, order: number[]): Promise<Export | null>;
  /** Sets an alert's status and note (saved at once); returns what was saved. */
  setTriage(id: string, status: TriageStatus, note: string): Promise<Triage>;
  /** Several alerts' triage in one transaction (bulk triage); returns what was saved, by id. */
  setTriageMany(changes: TriageChange[]): Promise<Record<string, Triage>>;
  /** Indexes of the alerts whose row or evidence (URLs, user agents, users) holds every word; null when `generation` is gone. */
  searchAlerts(generation: number, text: string): Promise<number[] | null>;
  /** The alerts shown now that a new suppression entry would leave out (it goes last in the list); null when `generation` is gone. */
  suppressionPreview(generation: number, entry: Suppression): Promise<SuppressedAlert[] | null>;
  /** What each entry of the settings' suppression list leaves out, in the list's order; null when `generation` is gone. */
  suppressedAlerts(generation: number): Promise<SuppressedAlert[][] | null>;
  /** Alert `index`'s host: its non-browser activity `spanMs` either side of the alert's first event. */
  hostActivity(generation: number, index: number, spanMs: number): Promise<HostActivity | null>;
  /** The whole history, settings and triage as one state file (gzip JSON lines, core/state/stateLines.ts), as the CLI reads it. */
  exportState(): Promise<Export>;
  /** Replaces everything with a state file's content; a bad file is refused and changes nothing. */
  importState(file: File, onProgress: ProgressCallback): Promise<RunOutcome>;
  /**
   * Shows alerts detected elsewhere (JSON lines of `offbrowse detect --json`, `sql-result`
   * or this page's export) for triage, in place of the history's own until the next run;
   * the stored history is not touched. A bad file is refused and changes nothing.
   */
  importAlerts(file: File): Promise<RunOutcome>;
  /** Deletes the history and triage (the settings stay). */
  reset(): Promise<RunOutcome>;
  /** The stored history as it is now (another tab changed it), analysed; nothing is written. */
  refresh(): Promise<Analysis>;
}
