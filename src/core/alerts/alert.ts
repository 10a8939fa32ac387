import type { ProcessInfo } from '../events/endpoint';
import type { Candidate } from '../events/event';
import type { VariationId } from '../settings/variations';

/** What the detection produces (docs/detection.md): alerts, their evidence and explanation, and their order. */
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
> & {
  /** The process that made it (stitched, or an endpoint-only event); null otherwise. */
  process: ProcessInfo | null;
  /** Stitched, and its User-Agent alone would have classified as a browser's. */
  uaClaimsBrowser: boolean;
};

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

/** What one suppression entry left out of a detection. */
export interface SuppressionHits {
  alerts: number;
  /** The events of those alerts (their counts). */
  events: number;
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

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
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
