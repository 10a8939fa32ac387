import { isUpload } from './classify';
import type { Alert } from './detector';
import type { Candidate } from './event';
import { emptyCollected, type Collected, type FileReport } from './ingest';
import { toRecord, type AlertRecord } from './record';
import { resolveSettings, type Settings } from './settings';
import type { Counts } from './stats';
import { compareEvents } from './detector';
import { completeReport, type ManifestEntry, type StateHeader } from './stateLines';

/**
 * The whole state of a history as one versioned JSON file: what the app's
 * export writes and its import reads, and what `offbrowse detect --state`
 * loads and saves, so a baseline can move between a tab and the CLI.
 *
 * The events kept are the non-browser candidates (a few per cent of a log,
 * normalised, never raw lines): detection re-runs over them, which is what
 * makes files added in any order, across visits, give the answers of one
 * batch. `baseline` and `alerts` are written for readers of the file and are
 * rebuilt from the events on import.
 */
export const STATE_FORMAT = 'offbrowse-state';
export const STATE_VERSION = 1;

export type TriageStatus = 'new' | 'investigating' | 'benign' | 'malicious';
export const TRIAGE_STATUSES: readonly TriageStatus[] = ['new', 'investigating', 'benign', 'malicious'];

export interface Triage {
  status: TriageStatus;
  note: string;
  /** ISO time of the last change. */
  changedAt: string;
}

export interface BaselineRow {
  client: string;
  domain: string;
  upload: boolean;
  host: string;
  first_seen: string;
  last_seen: string;
  count: number;
}

export interface StateFile {
  format: typeof STATE_FORMAT;
  version: number;
  savedAt: string;
  settings: Settings;
  counts: Counts;
  files: FileReport[];
  events: Candidate[];
  baseline: BaselineRow[];
  alerts: AlertRecord[];
  /** By alert id (record.ts `alertId`). */
  triage: Record<string, Triage>;
}

export class StateError extends Error {}

export interface LoadedState {
  settings: Settings;
  collected: Collected;
  triage: Record<string, Triage>;
}

/** Per (client, domain, upload, host): first and last seen and how often. Derived from the events. */
export function baselineRows(events: readonly Candidate[], uploadMinBytes: number): BaselineRow[] {
  const rows = new Map<string, { row: BaselineRow; first: number; last: number }>();
  const add = (e: Candidate, upload: boolean): void => {
    const key = `${e.client}\u0000${e.domain}\u0000${upload ? 1 : 0}\u0000${e.host}`;
    const r = rows.get(key);
    if (r === undefined) {
      rows.set(key, {
        row: { client: e.client, domain: e.domain, upload, host: e.host, first_seen: '', last_seen: '', count: 1 },
        first: e.time,
        last: e.time,
      });
    } else {
      r.row.count++;
      if (e.time < r.first) r.first = e.time;
      if (e.time > r.last) r.last = e.time;
    }
  };
  for (const e of events) {
    add(e, false);
    if (isUpload(e, uploadMinBytes)) add(e, true);
  }
  return [...rows.values()].map(({ row, first, last }) => ({
    ...row,
    first_seen: new Date(first).toISOString(),
    last_seen: new Date(last).toISOString(),
  }));
}

export function toState(
  collected: Collected, settings: Settings, alerts: readonly Alert[], triage: Record<string, Triage>,
): StateFile {
  return {
    format: STATE_FORMAT,
    version: STATE_VERSION,
    savedAt: new Date().toISOString(),
    settings,
    counts: collected.counts,
    files: collected.files.filter((f) => f.error === null && f.duplicateOf === null),
    events: collected.candidates,
    baseline: baselineRows(collected.candidates, settings.uploadMinBytes),
    alerts: alerts.map((a) => toRecord(a, settings)),
    triage,
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isBytes = (v: unknown): boolean => v === null || isNum(v);

function checkEvent(v: unknown, i: number): Candidate {
  const bad = (what: string): never => {
    throw new StateError(`corrupt state file: event ${i + 1} ${what}`);
  };
  if (!isObject(v)) return bad('is not an object');
  for (const k of ['host', 'user', 'userAgent', 'image', 'url', 'hostname', 'path', 'method', 'contentType', 'action', 'session', 'client', 'domain']) {
    if (!isStr(v[k])) bad(`has no text field "${k}"`);
  }
  if (!isNum(v.time)) bad('has no time');
  if (!isBytes(v.bytesOut) || !isBytes(v.bytesIn)) bad('has bad byte counts');
  const src = v.source;
  if (!isObject(src) || !isStr(src.file) || !isNum(src.line)) bad('has no source');
  return v as unknown as Candidate;
}

function checkCounts(v: unknown): Counts {
  if (!isObject(v)) throw new StateError('corrupt state file: no counts');
  const base = emptyCollected().counts;
  for (const k of ['lines', 'blank', 'headers', 'browser', 'nonBrowser', 'unknown'] as const) {
    if (!isNum(v[k])) throw new StateError(`corrupt state file: counts.${k} is not a number`);
  }
  if (!(v.minTime === null || isNum(v.minTime)) || !(v.maxTime === null || isNum(v.maxTime))) {
    throw new StateError('corrupt state file: counts time range');
  }
  return { ...base, ...(v as Partial<Counts>) } as Counts;
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

/**
 * A version 1 state file (one JSON object, written by builds before version
 * 2) as version 2 reads it: the header and the events in time order, each
 * event keyed to its manifest entry where its file name names one entry only.
 */
export function legacyState(json: unknown): { header: StateHeader; events: Record<string, unknown>[]; triage: Record<string, Triage> } {
  const loaded = fromState(json);
  const { collected, settings } = loaded;
  const files: ManifestEntry[] = collected.files.map((report, i) => ({ key: `v1-${i + 1}`, report: completeReport({ ...report }), demo: false, addedAt: 0 }));
  const byName = new Map<string, string | null>();
  for (const f of files) byName.set(f.report.name, byName.has(f.report.name) ? null : f.key);
  const events = [...collected.candidates].sort(compareEvents).map((e) => ({
    time: e.time, host: e.host, user: e.user, client: e.client, domain: e.domain, userAgent: e.userAgent, url: e.url,
    method: e.method, contentType: e.contentType, bytesOut: e.bytesOut, bytesIn: e.bytesIn, action: e.action,
    file: e.source.file, line: e.source.line, key: byName.get(e.source.file) ?? '',
  }));
  const header: StateHeader = {
    savedAt: '', settings, counts: collected.counts, files, demoLoaded: false, events: events.length,
  };
  return { header, events, triage: loaded.triage };
}

/** Reads a state file's parsed JSON. Throws StateError with a message for the user; nothing is changed. */
export function fromState(json: unknown): LoadedState {
  if (!isObject(json) || json.format !== STATE_FORMAT) {
    throw new StateError('not an Offbrowse state file (expected "format": "offbrowse-state")');
  }
  if (!isNum(json.version) || json.version > STATE_VERSION) {
    throw new StateError(
      `state file version ${String(json.version)} is newer than this Offbrowse reads (${STATE_VERSION}); update Offbrowse`,
    );
  }
  let settings: Settings;
  try {
    settings = resolveSettings(json.settings);
  } catch (e) {
    throw new StateError(`corrupt state file: ${(e as Error).message}`);
  }
  if (!Array.isArray(json.events)) throw new StateError('corrupt state file: no events');
  if (!Array.isArray(json.files)) throw new StateError('corrupt state file: no file manifest');
  const collected = emptyCollected();
  collected.candidates = json.events.map(checkEvent);
  collected.counts = checkCounts(json.counts);
  collected.files = json.files.map((f, i) => {
    if (!isObject(f) || !isStr(f.name) || !(f.fingerprint === null || isStr(f.fingerprint))) {
      throw new StateError(`corrupt state file: file ${i + 1} of the manifest`);
    }
    return f as unknown as FileReport;
  });
  return { settings, collected, triage: checkTriage(json.triage) };
}
