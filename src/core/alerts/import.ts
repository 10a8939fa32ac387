import { MAX_EVIDENCE, type Alert, type EvidenceEvent } from './alert';
import { errorMessage } from '../util/errorMessage';
import type { ProcessInfo } from '../events/endpoint';
import { alertId } from './record';
import { resolveSettings, type Settings } from '../settings/settings';
import { TRIAGE_STATUSES, type Triage, type TriageStatus } from './triage';
import { VARIATION_IDS, type VariationId } from '../settings/variations';

/**
 * Alerts detected elsewhere, brought to the tab for triage: the JSON lines of
 * `offbrowse detect --json` (any engine), of `offbrowse sql-result` (a
 * foreign engine's SQL result) or of the tab's own JSON-lines export (which
 * adds each alert's triage). Every line is checked; one bad line refuses the
 * whole file, so nothing half-read is ever shown as the result.
 */
export interface ImportedAlerts {
  alerts: Alert[];
  /** The settings that made them (every record carries the same). */
  settings: Settings;
  /** Triage carried by the records (the tab's export), by alert id. */
  triage: Record<string, Triage>;
}

export class AlertsImportError extends Error {}

const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

class Line {
  constructor(private readonly n: number) {}

  fail(what: string): never {
    throw new AlertsImportError(`line ${this.n}: ${what}`);
  }

  str(o: Obj, k: string, where = ''): string {
    const v = o[k];
    return typeof v === 'string' ? v : this.fail(`${where}"${k}" is not text`);
  }

  strOrNull(o: Obj, k: string, where = ''): string {
    const v = o[k];
    if (v === null) return '';
    return typeof v === 'string' ? v : this.fail(`${where}"${k}" is neither text nor null`);
  }

  count(o: Obj, k: string, where = '', min = 0): number {
    const v = o[k];
    return typeof v === 'number' && Number.isInteger(v) && v >= min
      ? v
      : this.fail(`${where}"${k}" is not a whole number >= ${min}`);
  }

  num(o: Obj, k: string, where = ''): number {
    const v = o[k];
    return typeof v === 'number' && Number.isFinite(v) ? v : this.fail(`${where}"${k}" is not a number`);
  }

  bytes(o: Obj, k: string, where: string): number | null {
    const v = o[k];
    if (v === null) return null;
    return typeof v === 'number' && Number.isFinite(v) && v >= 0
      ? v
      : this.fail(`${where}"${k}" is neither a byte count nor null`);
  }

  bool(o: Obj, k: string, where = ''): boolean {
    const v = o[k];
    return typeof v === 'boolean' ? v : this.fail(`${where}"${k}" is not true or false`);
  }

  time(o: Obj, k: string, where = ''): number {
    const v = this.str(o, k, where);
    const ms = ISO_MS.test(v) ? Date.parse(v) : NaN;
    return Number.isFinite(ms) ? ms : this.fail(`${where}"${k}" is not an ISO 8601 UTC time with milliseconds`);
  }

  obj(o: Obj, k: string, where = ''): Obj {
    const v = o[k];
    return isObj(v) ? v : this.fail(`${where}"${k}" is not an object`);
  }
}

/** An evidence event's process; absent in records written before stitching (null). */
function processOf(line: Line, v: unknown, where: string): ProcessInfo | null {
  if (v === undefined || v === null) return null;
  if (!isObj(v)) return line.fail(`${where}"process" is neither an object nor null`);
  const w = `${where}process `;
  const orNull = (k: string): string | null => (v[k] === null ? null : line.str(v, k, w));
  const pid = v.pid;
  return {
    computer: line.str(v, 'computer', w),
    image: line.str(v, 'image', w),
    pid: pid === null ? null : line.count(v, 'pid', w),
    user: orNull('user'),
    commandLine: orNull('command_line'),
    parentImage: orNull('parent_image'),
  };
}

function evidenceOf(line: Line, v: unknown, i: number): EvidenceEvent {
  const where = `evidence ${i + 1}: `;
  if (!isObj(v)) return line.fail(`evidence ${i + 1} is not an object`);
  const url = line.str(v, 'url', where);
  const source = line.obj(v, 'source', where);
  return {
    time: line.time(v, 'time', where),
    host: line.str(v, 'host', where),
    user: line.strOrNull(v, 'user', where),
    userAgent: line.str(v, 'user_agent', where),
    url,
    method: line.str(v, 'method', where),
    contentType: line.str(v, 'content_type', where),
    bytesOut: line.bytes(v, 'bytes_out', where),
    bytesIn: line.bytes(v, 'bytes_in', where),
    action: line.str(v, 'action', where),
    source: { file: line.str(source, 'file', `${where}source `), line: line.count(source, 'line', `${where}source `, 1) },
    process: processOf(line, v.process, where),
    uaClaimsBrowser: v.user_agent_claims_browser === undefined ? false : line.bool(v, 'user_agent_claims_browser', where),
  };
}

function triageOf(line: Line, v: unknown): Triage | null {
  if (v === undefined) return null;
  if (!isObj(v)) return line.fail('"triage" is not an object');
  const status = line.str(v, 'status', 'triage ');
  if (!TRIAGE_STATUSES.includes(status as TriageStatus))
    line.fail(`triage status "${status}" is not one of ${TRIAGE_STATUSES.join(', ')}`);
  const changedAt = v.changed_at;
  // An alert nobody triaged is exported as status new with no time: nothing to keep.
  if (changedAt === null) return null;
  if (typeof changedAt !== 'string') return line.fail('triage "changed_at" is neither text nor null');
  return { status: status as TriageStatus, note: line.str(v, 'note', 'triage '), changedAt };
}

/** Reads alert records, one JSON object a line (blank lines allowed). Throws AlertsImportError naming the line. */
export function parseAlertLines(text: string): ImportedAlerts {
  const alerts: Alert[] = [];
  const triage: Record<string, Triage> = {};
  let settings: Settings | null = null;
  let settingsText = '';
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n].trim();
    if (raw === '') continue;
    const line = new Line(n + 1);
    let v: unknown;
    try {
      v = JSON.parse(raw);
    } catch {
      line.fail('not JSON (expected one alert record a line, as offbrowse detect --json writes)');
    }
    if (!isObj(v)) return line.fail('not a JSON object');
    const variation = line.str(v, 'variation');
    if (!(VARIATION_IDS as readonly string[]).includes(variation)) line.fail(`unknown variation "${variation}"`);
    const recordSettings = JSON.stringify(v.settings);
    if (settings === null) {
      try {
        settings = resolveSettings(line.obj(v, 'settings'));
      } catch (e) {
        line.fail(`settings: ${errorMessage(e)}`);
      }
      settingsText = recordSettings;
    } else if (recordSettings !== settingsText) {
      line.fail("made under other settings than line 1's alerts; import the alerts of one detection run at a time");
    }
    const explanation = line.obj(v, 'explanation');
    const testedKey = line.obj(explanation, 'tested_key', 'explanation ');
    const count = line.count(v, 'count', '', 1);
    const alert: Alert = {
      variation: variation as VariationId,
      host: line.str(v, 'host'),
      user: line.strOrNull(v, 'user'),
      client: line.str(v, 'client'),
      domain: line.str(v, 'domain'),
      firstSeen: line.time(v, 'first_seen'),
      lastSeen: line.time(v, 'last_seen'),
      count,
      evidence: [],
      explanation: {
        hostsWithKeyInWindow: line.count(explanation, 'hosts_with_key_in_window', 'explanation '),
        hostSeenKeyInWindow: line.bool(explanation, 'host_seen_key_in_window', 'explanation '),
        windowDays: line.num(explanation, 'window_days', 'explanation '),
        rareHosts: line.count(explanation, 'rare_hosts', 'explanation ', 1),
        upload: line.bool(testedKey, 'upload', 'explanation tested_key '),
        historyMs: null,
      },
    };
    // Records of earlier versions do not say how much history there was.
    if (explanation.history_start !== undefined && explanation.history_start !== null) {
      alert.explanation.historyMs = alert.firstSeen - line.time(explanation, 'history_start', 'explanation ');
    }
    const evidence: unknown = v.evidence;
    if (!Array.isArray(evidence) || evidence.length === 0) return line.fail('"evidence" is not a list of events');
    if (evidence.length > Math.min(count, MAX_EVIDENCE)) line.fail(`${evidence.length} evidence events for a count of ${count}`);
    alert.evidence = evidence.map((e: unknown, i: number) => evidenceOf(line, e, i));
    if (alert.lastSeen < alert.firstSeen || alert.evidence[0].time !== alert.firstSeen)
      line.fail('first_seen, last_seen and the first evidence event disagree');
    const id = alertId(alert);
    if (v.id !== undefined && v.id !== id)
      line.fail(`"id" is ${JSON.stringify(v.id)}, but the record's fields make ${JSON.stringify(id)}`);
    const t = triageOf(line, v.triage);
    if (t !== null) triage[id] = t;
    alerts.push(alert);
  }
  if (settings === null) throw new AlertsImportError('no alert records in it (an empty result: nothing to import)');
  return { alerts, settings, triage };
}
