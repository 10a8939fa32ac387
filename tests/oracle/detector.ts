import { classifyEvent } from '../../src/core/classify/classify';
import { DomainKeys } from '../../src/core/classify/domain';
import type { Candidate } from '../../src/core/events/event';
import type { Settings } from '../../src/core/settings/settings';
import { applySuppression, type SuppressionHits } from '../../src/core/alerts/suppress';
import type { VariationId } from '../../src/core/settings/variations';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
export const MAX_EVIDENCE = 100;

export interface Explanation {
  /** Other hosts that had the tested key in the training window before the first event. */
  hostsWithKeyInWindow: number;
  hostSeenKeyInWindow: boolean;
  windowDays: number;
  rareHosts: number;
  /** The tested baseline key. */
  upload: boolean;
  /**
   * History before the first event (first event - data start), in ms: less
   * than the window when the baseline had not been learning that long. Null
   * where unknown (alerts imported from a record that does not say).
   */
  historyMs: number | null;
}

/** What an alert keeps of each of its events. */
export type EvidenceEvent = Pick<
  Candidate,
  'time' | 'host' | 'user' | 'url' | 'method' | 'userAgent' | 'contentType' | 'bytesOut' | 'bytesIn' | 'action' | 'source'
>;

export interface Alert {
  variation: VariationId;
  host: string;
  user: string;
  client: string;
  domain: string;
  firstSeen: number;
  lastSeen: number;
  count: number;
  /** In time order, the first included; at most MAX_EVIDENCE. */
  evidence: EvidenceEvent[];
  explanation: Explanation;
}

export interface Detection {
  alerts: Alert[];
  /** Earliest event of any kind; null with no events. */
  dataStart: number | null;
  /** dataStart + activationDays. */
  activeFrom: number | null;
  /** Alert-capable events seen before activation (they only fed the baseline). */
  inactiveEvents: number;
  /** What each entry of the settings' suppression list left out, in the list's order. */
  suppressed: SuppressionHits[];
}

/** Order for events: time, then content, so equal times resolve the same way whatever the file order. */
export function compareEvents(a: Candidate, b: Candidate): number {
  return (
    a.time - b.time ||
    cmp(a.host, b.host) ||
    cmp(a.client, b.client) ||
    cmp(a.domain, b.domain) ||
    cmp(a.url, b.url) ||
    cmp(a.method, b.method) ||
    cmp(a.userAgent, b.userAgent) ||
    cmp(a.user, b.user) ||
    cmp(a.action, b.action) ||
    cmp(a.contentType, b.contentType) ||
    (a.bytesOut ?? -1) - (b.bytesOut ?? -1) ||
    (a.bytesIn ?? -1) - (b.bytesIn ?? -1) ||
    cmp(a.source.file, b.source.file) ||
    a.source.line - b.source.line
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The baseline: for each key, the hosts that used it and when they last did.
 * Events arrive in time order, so an entry older than the window can never
 * count again and is dropped when met.
 */
class Baseline {
  private readonly keys = new Map<string, Map<string, number>>();

  /** Whether `host` had `key` in [from, t), and how many other hosts did (stops counting at `enough`). */
  look(key: string, host: string, from: number, enough: number): { hostSeen: boolean; others: number } {
    const hosts = this.keys.get(key);
    if (hosts === undefined) return { hostSeen: false, others: 0 };
    const own = hosts.get(host);
    const hostSeen = own !== undefined && own >= from;
    let others = 0;
    for (const [h, last] of hosts) {
      if (last < from) {
        hosts.delete(h);
      } else if (h !== host && ++others >= enough) {
        break;
      }
    }
    return { hostSeen, others };
  }

  add(key: string, host: string, t: number): void {
    let hosts = this.keys.get(key);
    if (hosts === undefined) {
      hosts = new Map();
      this.keys.set(key, hosts);
    }
    hosts.set(host, t);
  }
}

function accessKey(e: Candidate): string {
  return `${e.client}\u0000${e.domain}`;
}

/**
 * Runs the detection of docs/detection.md over non-browser candidate events.
 * `dataStart` is the earliest event of any kind in the history.
 */
export function detect(events: readonly Candidate[], dataStart: number | null, settings: Settings): Detection {
  const sorted = [...events].sort(compareEvents);
  const domains = new DomainKeys(settings.textShareSites);
  const windowMs = settings.trainingDays * DAY_MS;
  const dedupMs = settings.dedupHours * HOUR_MS;
  const activeFrom = dataStart === null ? null : dataStart + settings.activationDays * DAY_MS;
  const baseline = new Baseline();
  const latest = new Map<string, Alert>();
  const alerts: Alert[] = [];
  let inactiveEvents = 0;

  for (let i = 0; i < sorted.length;) {
    const t = sorted[i].time;
    let end = i;
    while (end < sorted.length && sorted[end].time === t) end++;
    const group = sorted.slice(i, end);
    const classes = group.map((e) => classifyEvent(e, domains, settings));

    // Evaluate the whole group against the baseline as it was before t.
    for (let g = 0; g < group.length; g++) {
      const e = group[g];
      const { variation } = classes[g];
      if (variation === null) continue;
      if (activeFrom === null || t < activeFrom) {
        inactiveEvents++;
        continue;
      }
      const identity = `${variation}\u0000${e.host}\u0000${e.client}\u0000${e.domain}`;
      const open = latest.get(identity);
      if (open !== undefined && open.firstSeen >= t - dedupMs) {
        open.count++;
        open.lastSeen = t;
        if (open.evidence.length < MAX_EVIDENCE) open.evidence.push(e);
        continue;
      }
      const testsUpload = variation === 'website_upload' || variation === 'text_share_upload';
      const key = testsUpload ? `${accessKey(e)}\u0000up` : accessKey(e);
      const seen = baseline.look(key, e.host, t - windowMs, settings.rareHosts);
      if (seen.hostSeen || seen.others >= settings.rareHosts) continue;
      const alert: Alert = {
        variation,
        host: e.host,
        user: e.user,
        client: e.client,
        domain: e.domain,
        firstSeen: t,
        lastSeen: t,
        count: 1,
        evidence: [e],
        explanation: {
          hostsWithKeyInWindow: seen.others,
          hostSeenKeyInWindow: seen.hostSeen,
          windowDays: settings.trainingDays,
          rareHosts: settings.rareHosts,
          upload: testsUpload,
          historyMs: t - dataStart!,
        },
      };
      latest.set(identity, alert);
      alerts.push(alert);
    }

    for (let g = 0; g < group.length; g++) {
      const e = group[g];
      baseline.add(accessKey(e), e.host, t);
      if (classes[g].upload) baseline.add(`${accessKey(e)}\u0000up`, e.host, t);
    }
    i = end;
  }

  alerts.sort(compareAlerts);
  const shown = applySuppression(alerts, settings.suppress);
  return { alerts: shown.alerts, dataStart, activeFrom, inactiveEvents, suppressed: shown.hits };
}

export function compareAlerts(a: Alert, b: Alert): number {
  return (
    a.firstSeen - b.firstSeen ||
    cmp(a.host, b.host) ||
    cmp(a.variation, b.variation) ||
    cmp(a.client, b.client) ||
    cmp(a.domain, b.domain)
  );
}
