import type { Alert } from './alert';
import type { ProcessInfo } from '../events/endpoint';
import type { Settings } from '../settings/settings';

const DAY_MS = 86_400_000;
import { isoTime } from '../util/time';
import { MITRE, VARIATIONS } from '../settings/variations';

/** The alert record (docs/detection.md "The alert record"): the CLI's `--json` line and the app's JSON export. */
export interface AlertRecord {
  id: string;
  variation: string;
  name: string;
  severity: string;
  description: string;
  host: string;
  user: string | null;
  client: string;
  domain: string;
  first_seen: string;
  last_seen: string;
  count: number;
  mitre: { tactic: string; technique: string };
  explanation: {
    hosts_with_key_in_window: number;
    host_seen_key_in_window: boolean;
    window_days: number;
    rare_hosts: number;
    tested_key: { client: string; domain: string; upload: boolean };
    /**
     * The history the test could look at: from the data start (the first
     * event ever added) to the alert's first event. Null where not known.
     */
    history_start: string | null;
    /** Its length in days, rounded down to hundredths (never more than there was). */
    history_days: number | null;
    /** Whether that history was at least the window long; false: the window reached back past the first event. */
    history_covers_window: boolean | null;
  };
  evidence: EvidenceRecord[];
  settings: Settings;
}

export interface EvidenceRecord {
  time: string;
  host: string;
  user: string | null;
  url: string;
  method: string;
  user_agent: string;
  content_type: string;
  bytes_out: number | null;
  bytes_in: number | null;
  action: string;
  source: { file: string; line: number };
  /** The process that made the request (stitched to an endpoint, or an endpoint-only event); null otherwise. */
  process: ProcessRecord | null;
  /** Stitched, and its User-Agent alone would have read as a browser's: the program sent a browser's User-Agent. */
  user_agent_claims_browser: boolean;
}

/** An evidence event's process; a field is null where unknown. */
interface ProcessRecord {
  computer: string;
  image: string;
  pid: number | null;
  user: string | null;
  command_line: string | null;
  parent_image: string | null;
}

function processRecord(p: ProcessInfo | null): ProcessRecord | null {
  if (p === null) return null;
  return {
    computer: p.computer,
    image: p.image,
    pid: p.pid,
    user: p.user,
    command_line: p.commandLine,
    parent_image: p.parentImage,
  };
}

/** A stable identity for an alert: same history, same id. */
export function alertId(a: Pick<Alert, 'variation' | 'host' | 'client' | 'domain' | 'firstSeen'>): string {
  return [a.variation, a.host, a.client, a.domain, isoTime(a.firstSeen)].join('|');
}

function historyFields(a: Alert): Pick<AlertRecord['explanation'], 'history_start' | 'history_days' | 'history_covers_window'> {
  const ms = a.explanation.historyMs;
  if (ms === null) return { history_start: null, history_days: null, history_covers_window: null };
  return {
    history_start: isoTime(a.firstSeen - ms),
    history_days: Math.floor((ms / DAY_MS) * 100) / 100,
    history_covers_window: ms >= a.explanation.windowDays * DAY_MS,
  };
}

export function toRecord(a: Alert, settings: Settings): AlertRecord {
  const v = VARIATIONS[a.variation];
  return {
    id: alertId(a),
    variation: a.variation,
    name: v.name,
    severity: v.severity,
    description: v.description,
    host: a.host,
    user: a.user === '' ? null : a.user,
    client: a.client,
    domain: a.domain,
    first_seen: isoTime(a.firstSeen),
    last_seen: isoTime(a.lastSeen),
    count: a.count,
    mitre: { tactic: MITRE.tactic, technique: MITRE.technique },
    explanation: {
      hosts_with_key_in_window: a.explanation.hostsWithKeyInWindow,
      host_seen_key_in_window: a.explanation.hostSeenKeyInWindow,
      window_days: a.explanation.windowDays,
      rare_hosts: a.explanation.rareHosts,
      tested_key: { client: a.client, domain: a.domain, upload: a.explanation.upload },
      ...historyFields(a),
    },
    evidence: a.evidence.map((e) => ({
      time: isoTime(e.time),
      host: e.host,
      user: e.user === '' ? null : e.user,
      url: e.url,
      method: e.method,
      user_agent: e.userAgent,
      content_type: e.contentType,
      bytes_out: e.bytesOut,
      bytes_in: e.bytesIn,
      action: e.action,
      source: { file: e.source.file, line: e.source.line },
      process: processRecord(e.process),
      user_agent_claims_browser: e.uaClaimsBrowser,
    })),
    settings,
  };
}
