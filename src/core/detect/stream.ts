import { classifyFlags } from '../classify/classify';
import { compareAlerts, MAX_EVIDENCE, type Alert, type Detection, type EvidenceEvent } from '../alerts/alert';
import { compareCompact, type CompactEvent } from '../events/columns';
import type { Settings } from '../settings/settings';
import { detach } from '../util/strings';
import { applySuppression } from '../alerts/suppress';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** The hosts that used one baseline key, and when each last did. */
type Hosts = Map<string, number>;

/**
 * The detection of docs/detection.md over events that arrive in time order, in
 * memory bounded by the keys: for each key only the hosts that used it
 * inside the training window (with their last time), and the alerts still
 * open for deduplication. Its answers equal the batch detector's
 * (tests/oracle/detector.ts `detect`), the tests' oracle.
 */
export class StreamDetector {
  readonly alerts: Alert[] = [];
  inactiveEvents = 0;
  private readonly windowMs: number;
  private readonly dedupMs: number;
  private readonly activeFrom: number | null;
  /** client → domain → [hosts with the access key, hosts with the upload key]. */
  private readonly baseline = new Map<string, Map<string, [Hosts, Hosts]>>();
  /** Latest alert per identity (variation, host, client, domain), while it can still take events. */
  private readonly open = new Map<string, Alert>();
  private group: CompactEvent[] = [];
  private groupTime = NaN;
  private lastSweep = -Infinity;
  private lastTime = -Infinity;

  constructor(
    private readonly settings: Settings,
    private readonly dataStart: number | null,
  ) {
    this.windowMs = settings.trainingDays * DAY_MS;
    this.dedupMs = settings.dedupHours * HOUR_MS;
    this.activeFrom = dataStart === null ? null : dataStart + settings.activationDays * DAY_MS;
  }

  /** The next event; times never go back. Events of equal time are taken together. */
  push(e: CompactEvent): void {
    if (e.time !== this.groupTime) {
      if (e.time < this.lastTime) throw new Error('events must come in time order');
      this.flush();
      this.groupTime = e.time;
      this.lastTime = e.time;
    }
    this.group.push(e);
  }

  finish(): Detection {
    this.flush();
    this.alerts.sort(compareAlerts);
    const shown = applySuppression(this.alerts, this.settings.suppress);
    return {
      alerts: shown.alerts,
      dataStart: this.dataStart,
      activeFrom: this.activeFrom,
      inactiveEvents: this.inactiveEvents,
      suppressed: shown.hits,
    };
  }

  /** Baseline keys held now (for measuring memory). */
  get keysHeld(): number {
    let n = 0;
    for (const byDomain of this.baseline.values()) n += byDomain.size;
    return n;
  }

  private flush(): void {
    const group = this.group;
    if (group.length === 0) return;
    const t = this.groupTime;
    if (t - this.lastSweep >= DAY_MS) this.sweep(t);
    // Content order within a time, so the first event of an alert does not depend on file or line order.
    if (group.length > 1) group.sort(compareCompact);
    const { settings } = this;
    const uploads: boolean[] = new Array<boolean>(group.length);
    // Evaluate the whole group against the baseline as it was before t.
    for (let g = 0; g < group.length; g++) {
      const e = group[g];
      const { variation, upload } = classifyFlags(e.flags, e.bytesOut, settings.uploadMinBytes);
      uploads[g] = upload;
      if (variation === null) continue;
      if (this.activeFrom === null || t < this.activeFrom) {
        this.inactiveEvents++;
        continue;
      }
      const identity = `${variation}\u0000${e.host}\u0000${e.client}\u0000${e.domain}`;
      const open = this.open.get(identity);
      if (open !== undefined && open.firstSeen >= t - this.dedupMs) {
        open.count++;
        open.lastSeen = t;
        if (open.evidence.length < MAX_EVIDENCE) open.evidence.push(evidence(e));
        continue;
      }
      const testsUpload = variation === 'website_upload' || variation === 'text_share_upload';
      const hosts = this.baseline.get(e.client)?.get(e.domain)?.[testsUpload ? 1 : 0];
      const from = t - this.windowMs;
      const own = hosts?.get(e.host);
      const hostSeen = own !== undefined && own >= from;
      if (hostSeen) continue;
      let others = 0;
      if (hosts !== undefined) {
        for (const [h, last] of hosts) {
          if (last < from) hosts.delete(h);
          else if (h !== e.host && ++others >= settings.rareHosts) break;
        }
      }
      if (others >= settings.rareHosts) continue;
      const alert: Alert = {
        variation,
        host: e.host,
        user: e.user,
        client: e.client,
        domain: e.domain,
        firstSeen: t,
        lastSeen: t,
        count: 1,
        evidence: [evidence(e)],
        explanation: {
          hostsWithKeyInWindow: others,
          hostSeenKeyInWindow: false,
          windowDays: settings.trainingDays,
          rareHosts: settings.rareHosts,
          upload: testsUpload,
          historyMs: t - this.dataStart!,
        },
      };
      this.open.set(identity, alert);
      this.alerts.push(alert);
    }
    for (let g = 0; g < group.length; g++) {
      const e = group[g];
      const keys = this.keysOf(e.client, e.domain);
      keys[0].set(e.host, t);
      if (uploads[g]) keys[1].set(e.host, t);
    }
    this.group = [];
  }

  private keysOf(client: string, domain: string): [Hosts, Hosts] {
    let byDomain = this.baseline.get(client);
    if (byDomain === undefined) this.baseline.set(client, (byDomain = new Map()));
    let keys = byDomain.get(domain);
    if (keys === undefined) byDomain.set(domain, (keys = [new Map(), new Map()]));
    return keys;
  }

  /** Lets go of hosts that fell out of the window and alerts past deduplication: memory follows the keys in use. */
  private sweep(t: number): void {
    this.lastSweep = t;
    const from = t - this.windowMs;
    for (const [client, byDomain] of this.baseline) {
      for (const [domain, keys] of byDomain) {
        for (const hosts of keys) for (const [h, last] of hosts) if (last < from) hosts.delete(h);
        if (keys[0].size === 0 && keys[1].size === 0) byDomain.delete(domain);
      }
      if (byDomain.size === 0) this.baseline.delete(client);
    }
    for (const [identity, alert] of this.open) if (alert.firstSeen < t - this.dedupMs) this.open.delete(identity);
  }
}

/** An event as evidence: its own copy, so it holds no block of stored events alive. */
function evidence(e: CompactEvent): EvidenceEvent {
  return {
    time: e.time,
    host: e.host,
    user: e.user,
    url: detach(e.url),
    method: e.method,
    userAgent: e.userAgent,
    contentType: e.contentType,
    bytesOut: e.bytesOut,
    bytesIn: e.bytesIn,
    action: e.action,
    source: { file: e.file, line: e.line },
    process: e.process,
    uaClaimsBrowser: e.uaClaimsBrowser,
  };
}
