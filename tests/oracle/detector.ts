import { DomainKeys } from '../../src/core/classify/domain';
import type { Candidate } from '../../src/core/events/event';
import type { Settings } from '../../src/core/settings/settings';
import { applySuppression } from '../../src/core/alerts/suppress';
import { compareAlerts, compareEvents, MAX_EVIDENCE, type Alert, type Detection } from '../../src/core/alerts/alert';
import { classifyEvent } from './classify';

/**
 * The batch detector: the tests' oracle for the streaming detector of src/core/detect/, which is what ships.
 * It holds every event in memory, so it is only for tests.
 */

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

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
