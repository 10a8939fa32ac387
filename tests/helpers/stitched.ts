// Alerts whose events were stitched to endpoint data, built by hand: for the
// page's process views before (and apart from) the readers and the stitching.
import type { Alert, EvidenceEvent } from '../../src/core/alerts/alert';

export const CHROME_120 =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
export const POWERSHELL = 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe';
/** 2026-10-20 10:15:30 UTC. */
export const T = Date.UTC(2026, 9, 20, 10, 15, 30);

/** A GET of a paste site's raw page from 10.20.0.77 with a Chrome User-Agent, no process; `over` changes it. */
export function evidenceEvent(over: Partial<EvidenceEvent> = {}): EvidenceEvent {
  return {
    time: T,
    host: '10.20.0.77',
    user: 'corp\\ann',
    url: 'pastebin.com/raw/Xk2c9A',
    method: 'GET',
    userAgent: CHROME_120,
    contentType: 'text/plain',
    bytesOut: null,
    bytesIn: 2048,
    action: 'alert',
    source: { file: 'url-2026-10-20.log', line: 12 },
    process: null,
    uaClaimsBrowser: false,
    ...over,
  };
}

/** A powershell.exe text-share download alert of these events (first and last seen, count, host and user from them). */
export function alertOf(evidence: EvidenceEvent[], over: Partial<Alert> = {}): Alert {
  return {
    variation: 'text_share_download',
    host: evidence[0].host,
    user: evidence[0].user,
    client: 'powershell.exe',
    domain: 'pastebin.com',
    firstSeen: evidence[0].time,
    lastSeen: evidence[evidence.length - 1].time,
    count: evidence.length,
    evidence,
    explanation: {
      hostsWithKeyInWindow: 0,
      hostSeenKeyInWindow: false,
      windowDays: 30,
      rareHosts: 3,
      upload: false,
      historyMs: null,
    },
    ...over,
  };
}
