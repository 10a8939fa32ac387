import { classifyFlags, eventFlags } from '../core/classify/classify';
import type { Coverage } from '../core/detect/coverage';
import type { Alert, Detection, EvidenceEvent } from '../core/alerts/alert';
import type { FileReport } from '../core/ingest/report';
import { alertId } from '../core/alerts/record';
import type { Settings } from '../core/settings/settings';
import { isPanosFormat, type FormatId } from '../core/sources/format';
import { urlParts } from '../core/util/url';
import { FLAG_API, FLAG_HTML, FLAG_TEXT_SHARE, FLAG_UPLOAD_METHOD } from '../core/events/columns';
import { demoFormOf } from './inputs';
import type { Triage } from '../core/alerts/triage';
import { DAY_MS } from '../core/sources/counts';
import { VARIATIONS, type Severity } from '../core/settings/variations';
import type { AlertDetail, AlertSummary, Analysis, DayBucket, EvidenceRow, Timeline } from './api';
import type { History } from './history';

/** What the page shows of the worker's state; never the candidate events themselves. */

export function alertSummary(a: Alert, index: number): AlertSummary {
  return {
    index,
    id: alertId(a),
    variation: a.variation,
    severity: VARIATIONS[a.variation].severity,
    host: a.host,
    user: a.user,
    client: a.client,
    domain: a.domain,
    firstSeen: a.firstSeen,
    lastSeen: a.lastSeen,
    count: a.count,
    image: a.evidence.find((e) => e.process !== null)?.process?.image ?? null,
    claimedUserAgent: a.evidence.find((e) => e.uaClaimsBrowser)?.userAgent ?? null,
  };
}

/** What the detail needs to know of the history: each file's format by name, and the settings of the alert. */
export interface DetailContext {
  formats: ReadonlyMap<string, FormatId | null>;
  isTextShare: (domain: string) => boolean;
  uploadMinBytes: number;
}

/** Formats that log no user: an empty user there is absent, not unknown. */
const NO_USER: ReadonlySet<FormatId> = new Set(['zeek-tsv', 'zeek-json', 'suricata-eve']);

function evidenceRow(e: EvidenceEvent, domain: string, ctx: DetailContext): EvidenceRow {
  const parts = urlParts(e.url);
  const flags = eventFlags(ctx.isTextShare(domain), parts.hostname, parts.path, e.contentType, e.method);
  const cls = classifyFlags(flags, e.bytesOut, ctx.uploadMinBytes);
  return {
    time: e.time,
    host: e.host,
    user: e.user,
    method: e.method,
    url: e.url,
    userAgent: e.userAgent,
    contentType: e.contentType,
    bytesOut: e.bytesOut,
    bytesIn: e.bytesIn,
    action: e.action,
    file: e.source.file,
    line: e.source.line,
    hostname: parts.hostname,
    path: parts.path,
    textShare: (flags & FLAG_TEXT_SHARE) !== 0,
    api: (flags & FLAG_API) !== 0,
    html: (flags & FLAG_HTML) !== 0,
    uploadMethod: (flags & FLAG_UPLOAD_METHOD) !== 0,
    upload: cls.upload,
    variation: cls.variation,
    format: ctx.formats.get(e.source.file) ?? null,
    process: e.process,
    uaClaimsBrowser: e.uaClaimsBrowser,
  };
}

export function alertDetail(a: Alert, index: number, ctx: DetailContext): AlertDetail {
  const evidence = a.evidence.map((e) => evidenceRow(e, a.domain, ctx));
  // A user is absent where every event came from a source that logs none; unknown where one could have.
  const sourceHasUser = evidence.some((e) => e.format === null || !NO_USER.has(e.format));
  return { alert: alertSummary(a, index), explanation: { ...a.explanation }, sourceHasUser, evidence };
}

function emptyBucket(day: number): DayBucket {
  return {
    day,
    events: { browser: 0, 'non-browser': 0, unknown: 0 },
    alerts: { informational: 0, low: 0, medium: 0, high: 0 },
  };
}

function timeline(history: History, alerts: readonly Alert[]): Timeline {
  const days = new Map<number, DayBucket>();
  const bucket = (day: number): DayBucket => {
    let b = days.get(day);
    if (b === undefined) {
      b = emptyBucket(day);
      days.set(day, b);
    }
    return b;
  };
  for (const [day, [browser, nonBrowser, unknown]] of Object.entries(history.counts.perDay)) {
    const b = bucket(Number(day));
    b.events.browser += browser;
    b.events['non-browser'] += nonBrowser;
    b.events.unknown += unknown;
  }
  for (const a of alerts) {
    const severity: Severity = VARIATIONS[a.variation].severity;
    bucket(Math.floor(a.firstSeen / DAY_MS)).alerts[severity]++;
  }
  return { days: [...days.values()].sort((x, y) => x.day - y.day) };
}

/** What the page is sent after each analysis, beside the history itself. */
export interface ViewExtras {
  /** Files of this visit that failed or repeated an added one. */
  notAdded: readonly FileReport[];
  triage: Record<string, Triage>;
  filesNotHeld: number;
  coverage: Coverage;
  trafficJoin: Analysis['trafficJoin'];
  stitch: Analysis['stitch'];
  /** Non-browser events held. */
  events: number;
  importedAlerts: string | null;
}

export function analysisView(
  generation: number,
  history: History,
  detection: Detection,
  settings: Settings,
  extras: ViewExtras,
): Analysis {
  return {
    generation,
    revision: history.revision,
    settings,
    alerts: detection.alerts.map(alertSummary),
    files: [...history.files.map((f) => f.report), ...extras.notAdded],
    filesAdded: history.files.length,
    fileKeys: history.files.map((f) => f.key),
    fileDemo: history.files.map((f) => f.demo),
    realFiles: history.files.filter((f) => !f.demo).length,
    demoForm: demoFormOf(history.files),
    suppressed: detection.suppressed,
    zonelessFiles: history.files.filter((f) => isPanosFormat(f.report.format)).length,
    counts: history.counts,
    dataStart: detection.dataStart,
    activeFrom: detection.activeFrom,
    inactiveEvents: detection.inactiveEvents,
    timeline: timeline(history, detection.alerts),
    demoLoaded: history.demoLoaded,
    coverage: extras.coverage,
    triage: { ...extras.triage },
    filesNotHeld: extras.filesNotHeld,
    trafficJoin: extras.trafficJoin,
    stitch: extras.stitch,
    importedAlerts: extras.importedAlerts,
  };
}
