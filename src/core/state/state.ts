import { errorMessage } from '../util/errorMessage';
import { compareCompact, type EventOrderFields } from '../events/columns';
import type { Candidate } from '../events/event';
import type { FileReport } from '../ingest/report';
import { resolveSettings, type Settings } from '../settings/settings';
import { TRIAGE_STATUSES, type Triage, type TriageStatus } from '../alerts/triage';
import { emptyCounts, ENDPOINT_KINDS, type Counts, type EndpointCounts } from '../sources/counts';

/**
 * What the state file and the triage have in common across versions, and
 * the reading of version 1 state files (one JSON object, written by builds
 * before the state file became gzip JSON lines: state/stateLines.ts).
 */
export const STATE_FORMAT = 'offbrowse-state';

export class StateError extends Error {}

/** One added file: its report, and the key its events carry (events/columns.ts SOURCE). */
export interface ManifestEntry {
  key: string;
  report: FileReport;
  /** A generated demo file (it can be made again), not a dropped one. */
  demo: boolean;
  /** When it was added, UTC ms. */
  addedAt: number;
}

export interface StateHeader {
  savedAt: string;
  settings: Settings;
  counts: Counts;
  files: ManifestEntry[];
  demoLoaded: boolean;
  /** How many event lines follow. */
  events: number;
}

/** A manifest entry's report with what the page shows filled in, for files written by hand or by an older version. */
export function completeReport(f: Record<string, unknown>): FileReport {
  const counts = isObject(f.counts) ? { ...emptyCounts(), ...(f.counts as Partial<Counts>) } : emptyCounts();
  return {
    name: f.name as string,
    bytes: isNum(f.bytes) ? f.bytes : 0,
    gzip: f.gzip === true,
    format: isStr(f.format) ? (f.format as FileReport['format']) : null,
    error: null,
    counts,
    elapsedMs: isNum(f.elapsedMs) ? f.elapsedMs : 0,
    fingerprint: isStr(f.fingerprint) ? f.fingerprint : null,
    duplicateOf: null,
  };
}

/** A version 1 file, checked. */
interface LegacyFile {
  settings: Settings;
  counts: Counts;
  files: FileReport[];
  events: Candidate[];
  triage: Record<string, Triage>;
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
export const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isBytes = (v: unknown): boolean => v === null || isNum(v);

function checkEvent(v: unknown, i: number): Candidate {
  const bad = (what: string): never => {
    throw new StateError(`corrupt state file: event ${i + 1} ${what}`);
  };
  if (!isObject(v)) return bad('is not an object');
  for (const k of [
    'host',
    'user',
    'userAgent',
    'image',
    'url',
    'hostname',
    'path',
    'method',
    'contentType',
    'action',
    'session',
    'client',
    'domain',
  ]) {
    if (!isStr(v[k])) bad(`has no text field "${k}"`);
  }
  if (!isNum(v.time)) bad('has no time');
  if (!isBytes(v.bytesOut) || !isBytes(v.bytesIn)) bad('has bad byte counts');
  const src = v.source;
  if (!isObject(src) || !isStr(src.file) || !isNum(src.line)) bad('has no source');
  return v as unknown as Candidate;
}

export function checkCounts(v: unknown): Counts {
  if (!isObject(v)) throw new StateError('corrupt state file: no counts');
  for (const k of ['lines', 'blank', 'headers', 'browser', 'nonBrowser', 'unknown'] as const) {
    if (!isNum(v[k])) throw new StateError(`corrupt state file: counts.${k} is not a number`);
  }
  if (!(v.minTime === null || isNum(v.minTime)) || !(v.maxTime === null || isNum(v.maxTime))) {
    throw new StateError('corrupt state file: counts time range');
  }
  // Counts saved before endpoint records were read have none: zero of each.
  const endpoint = v.endpoint ?? emptyCounts().endpoint;
  if (!isObject(endpoint) || !ENDPOINT_KINDS.every((k) => isNum(endpoint[k])))
    throw new StateError('corrupt state file: counts.endpoint is not a count of each kind of endpoint record');
  return { ...emptyCounts(), ...(v as Partial<Counts>), endpoint: { ...(endpoint as unknown as EndpointCounts) } } as Counts;
}

function checkTriage(v: unknown): Record<string, Triage> {
  if (v === undefined) return {};
  if (!isObject(v)) throw new StateError('corrupt state file: triage is not an object');
  const out: Record<string, Triage> = {};
  for (const [id, t] of Object.entries(v)) {
    if (!isObject(t) || !TRIAGE_STATUSES.includes(t.status as TriageStatus) || !isStr(t.note) || !isStr(t.changedAt)) {
      throw new StateError(`corrupt state file: triage of ${id}`);
    }
    out[id] = { status: t.status as TriageStatus, note: t.note, changedAt: t.changedAt };
  }
  return out;
}

/** Reads a version 1 file's parsed JSON. Throws StateError with a message for the user. */
function fromLegacyJson(json: unknown): LegacyFile {
  if (!isObject(json) || json.format !== STATE_FORMAT) {
    throw new StateError('not an Offbrowse state file (expected "format": "offbrowse-state")');
  }
  if (!isNum(json.version) || json.version > 1) {
    throw new StateError(
      json.version === 2
        ? 'a version 2 state file is gzip-compressed JSON lines, and this one is not compressed'
        : `state file version ${String(json.version)} is newer than this Offbrowse reads (2); update Offbrowse`,
    );
  }
  let settings: Settings;
  try {
    settings = resolveSettings(json.settings);
  } catch (e) {
    throw new StateError(`its settings are not accepted: ${errorMessage(e)}`);
  }
  if (!Array.isArray(json.events)) throw new StateError('corrupt state file: no events');
  if (!Array.isArray(json.files)) throw new StateError('corrupt state file: no file manifest');
  const files = json.files.map((f, i) => {
    if (!isObject(f) || !isStr(f.name) || !(f.fingerprint === null || isStr(f.fingerprint))) {
      throw new StateError(`corrupt state file: file ${i + 1} of the manifest`);
    }
    return completeReport(f);
  });
  const seen = new Set<string>();
  for (const f of files) {
    if (f.fingerprint === null) continue;
    if (seen.has(f.fingerprint)) throw new StateError(`corrupt state file: the manifest lists the content of ${f.name} twice`);
    seen.add(f.fingerprint);
  }
  return {
    settings,
    counts: checkCounts(json.counts),
    files,
    events: json.events.map(checkEvent),
    triage: checkTriage(json.triage),
  };
}

/**
 * A version 1 state file as version 2 reads it: the header and the events
 * (as event-line objects) in time order, each keyed to its manifest entry
 * where its file name names one entry only.
 */
/** The text fields of a state file's event line (docs/state-file.md), in the order they are written. */
export const EVENT_LINE_TEXT = [
  'host',
  'user',
  'client',
  'domain',
  'userAgent',
  'url',
  'method',
  'contentType',
  'action',
  'file',
  'key',
] as const;

/** What a state file keeps of an event, beside `t`, its fields in the order they are written. */
export type EventLine = Record<(typeof EVENT_LINE_TEXT)[number], string> &
  Pick<EventOrderFields, 'time' | 'bytesOut' | 'bytesIn' | 'line'>;

/** An event line's object, its fields in the order written; `key` names the added file it came from. */
export function eventLineOf(e: EventOrderFields, key: string): EventLine {
  return {
    time: e.time,
    host: e.host,
    user: e.user,
    client: e.client,
    domain: e.domain,
    userAgent: e.userAgent,
    url: e.url,
    method: e.method,
    contentType: e.contentType,
    bytesOut: e.bytesOut,
    bytesIn: e.bytesIn,
    action: e.action,
    file: e.file,
    line: e.line,
    key,
  };
}

export function legacyState(json: unknown): {
  header: StateHeader;
  events: EventLine[];
  triage: Record<string, Triage>;
} {
  const loaded = fromLegacyJson(json);
  const files: ManifestEntry[] = loaded.files.map((report, i) => ({ key: `v1-${i + 1}`, report, demo: false, addedAt: 0 }));
  const byName = new Map<string, string | null>();
  for (const f of files) byName.set(f.report.name, byName.has(f.report.name) ? null : f.key);
  const events = loaded.events.map((e) =>
    eventLineOf({ ...e, file: e.source.file, line: e.source.line }, byName.get(e.source.file) ?? ''),
  );
  events.sort(compareCompact);
  const header: StateHeader = {
    savedAt: '',
    settings: loaded.settings,
    counts: loaded.counts,
    files,
    demoLoaded: false,
    events: events.length,
  };
  return { header, events, triage: loaded.triage };
}
