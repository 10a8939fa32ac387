import type { Candidate, WebEvent } from '../../src/core/events/event';
import type { Settings } from '../../src/core/settings/settings';
import type { Alert, Detection, EvidenceEvent } from '../../src/core/alerts/alert';
import { classOf, clientOf, domainKeyOf, type OracleClass } from './classify';

/**
 * The batch detector: the tests' oracle for the streaming detector of src/core/detect/, which is what ships.
 * It holds every event in memory, so it is only for tests. It classifies
 * (./classify.ts), orders, caps evidence and suppresses on its own, from
 * docs/detection.md; it takes only types from the product.
 */

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** "Evidence": at most this many events per alert. */
const MAX_EVIDENCE = 100;

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

/** "Equal times": time, then host, client, domain key, URL, method, User-Agent, user, action, content type, bytes sent, bytes received (unknown first), file, line. */
function eventOrder(a: Candidate, b: Candidate): number {
  if (a.time !== b.time) return a.time - b.time;
  const texts = (e: Candidate) => [e.host, e.client, e.domain, e.url, e.method, e.userAgent, e.user, e.action, e.contentType];
  const ta = texts(a);
  const tb = texts(b);
  for (let i = 0; i < ta.length; i++) if (ta[i] !== tb[i]) return ta[i] < tb[i] ? -1 : 1;
  const bytes = (n: number | null) => (n === null ? -1 : n);
  return (
    bytes(a.bytesOut) - bytes(b.bytesOut) ||
    bytes(a.bytesIn) - bytes(b.bytesIn) ||
    (a.source.file === b.source.file ? 0 : a.source.file < b.source.file ? -1 : 1) ||
    a.source.line - b.source.line
  );
}

/** "Order of alerts": first event time, then host, variation, client, domain key. */
function alertOrder(a: Alert, b: Alert): number {
  if (a.firstSeen !== b.firstSeen) return a.firstSeen - b.firstSeen;
  for (const k of ['host', 'variation', 'client', 'domain'] as const) if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
  return 0;
}

/** "Suppression": after detection, alerts matching an entry left out and counted per entry (the first entry that matches). */
function suppress(alerts: readonly Alert[], settings: Settings): Pick<Detection, 'alerts' | 'suppressed'> {
  const suppressed = settings.suppress.map(() => ({ alerts: 0, events: 0 }));
  const shown = alerts.filter((a) => {
    const i = settings.suppress.findIndex(
      (s) => s.client === a.client && s.domain === a.domain && (s.host === undefined || s.host === a.host),
    );
    if (i === -1) return true;
    suppressed[i].alerts++;
    suppressed[i].events += a.count;
    return false;
  });
  return { alerts: shown, suppressed };
}

/** The non-browser events, with their client key and domain key ("Clients", "Domain keys"). */
function candidates(events: readonly WebEvent[], settings: Settings): Candidate[] {
  const out: Candidate[] = [];
  for (const e of events) {
    const client = clientOf(e, settings);
    if (client.kind !== 'non-browser') continue;
    out.push({ ...e, client: client.key, domain: domainKeyOf(e.hostname, settings.textShareSites) });
  }
  return out;
}

/**
 * Runs the detection of docs/detection.md over full events of any client.
 * `dataStart` is the earliest event of any kind in the history.
 */
export function detect(events: readonly WebEvent[], dataStart: number | null, settings: Settings): Detection {
  const sorted = candidates(events, settings).sort(eventOrder);
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
    const classes: OracleClass[] = group.map((e) => classOf(e, e.domain, settings));

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
        if (open.evidence.length < MAX_EVIDENCE) open.evidence.push(asEvidence(e));
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
        evidence: [asEvidence(e)],
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

  alerts.sort(alertOrder);
  return { ...suppress(alerts, settings), dataStart, activeFrom, inactiveEvents };
}

/** The oracle's events come from URL logs alone: none carries a process. */
function asEvidence(e: Candidate): EvidenceEvent {
  return { ...e, process: null, uaClaimsBrowser: false };
}
