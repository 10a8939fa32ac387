import { detect, type Detection } from './detector';
import type { Candidate } from './event';
import type { Collected } from './ingest';
import type { Settings } from './settings';

/** Fills unknown byte counts of URL events from their TRAFFIC rows (serial + session id). */
export function joinTraffic(candidates: Candidate[], traffic: Collected['traffic']): number {
  if (traffic.size === 0) return 0;
  let joined = 0;
  for (const c of candidates) {
    if (c.session === '' || c.bytesOut !== null) continue;
    const t = traffic.get(c.session);
    if (t === undefined) continue;
    c.bytesOut = t.sent;
    c.bytesIn = t.received;
    joined++;
  }
  return joined;
}

/** Detection over everything collected so far. */
export function analyse(collected: Collected, settings: Settings): Detection {
  joinTraffic(collected.candidates, collected.traffic);
  return detect(collected.candidates, collected.counts.minTime, settings);
}
