import { classifyFlags } from '../core/classify/classify';
import { blockHeader, decodeBlock } from '../core/runs/block';
import { CLIENT, DOMAIN, FLAG_PENDING, FLAG_TEXT_SHARE, HOST, TEXT_FIELD_COUNT, eventAt } from '../core/events/columns';
import type { RunRef, RunStore } from '../core/runs/runStore';
import type { HostActivity, HostEvent, HostPair } from './api';

/** Events handed to the page at most: the ones nearest the moment asked about. */
const HOST_EVENTS = 300;
/** Client and domain pairs at most (a host rarely has more in a few days; past this the rest are counted). */
const HOST_PAIRS = 500;

/**
 * What one host's non-browser clients did between `from` and `to`: every
 * (client, domain) pair with its counts and first and last time, and the
 * events nearest `around`. The stored runs are scanned block by block; a
 * block whose time range misses the window, or whose dictionary lacks the
 * host, is passed over without decoding its events. Memory stays at the
 * pairs and HOST_EVENTS events, however long the history.
 */
export async function hostActivity(
  store: RunStore,
  runs: readonly RunRef[],
  q: { host: string; from: number; to: number; around: number; uploadMinBytes: number },
): Promise<Omit<HostActivity, 'processes' | 'otherProcessEvents'>> {
  const pairs = new Map<string, HostPair>();
  let events: HostEvent[] = [];
  let total = 0;
  let otherPairs = 0;
  const distance = (e: HostEvent): number => Math.abs(e.time - q.around);
  for (const run of runs) {
    if (run.kind !== 'events' || run.count === 0 || run.maxTime < q.from || run.minTime > q.to) continue;
    for await (const bytes of store.blocks(run)) {
      const h = blockHeader(bytes);
      if (h.count === 0 || h.maxTime < q.from || h.minTime > q.to) continue;
      const c = decodeBlock(bytes);
      const code = c.strings.indexOf(q.host);
      if (code === -1) continue;
      for (let i = 0; i < c.count; i++) {
        const t = c.time[i];
        if (t < q.from || t > q.to || c.ids[i * TEXT_FIELD_COUNT + HOST] !== code) continue;
        // A browser's or unknown client's event kept only for stitching is not the host's non-browser activity.
        if ((c.flags[i] & FLAG_PENDING) !== 0) continue;
        total++;
        const client = c.strings[c.ids[i * TEXT_FIELD_COUNT + CLIENT]];
        const domain = c.strings[c.ids[i * TEXT_FIELD_COUNT + DOMAIN]];
        const e = eventAt(c, i);
        const upload = classifyFlags(e.flags, e.bytesOut, q.uploadMinBytes).upload;
        const key = `${client}\u0000${domain}`;
        let p = pairs.get(key);
        if (p === undefined) {
          if (pairs.size >= HOST_PAIRS) {
            otherPairs++;
          } else {
            p = { client, domain, events: 0, uploads: 0, first: t, last: t, textShare: (e.flags & FLAG_TEXT_SHARE) !== 0 };
            pairs.set(key, p);
          }
        }
        if (p !== undefined) {
          p.events++;
          if (upload) p.uploads++;
          if (t < p.first) p.first = t;
          if (t > p.last) p.last = t;
        }
        events.push({
          time: t,
          client,
          domain,
          method: e.method,
          url: e.url,
          userAgent: e.userAgent,
          action: e.action,
          bytesOut: e.bytesOut,
          upload,
          file: e.file,
          line: e.line,
        });
        if (events.length >= HOST_EVENTS * 2) events = nearest(events, distance);
      }
    }
  }
  events = nearest(events, distance).sort((a, b) => a.time - b.time || a.file.localeCompare(b.file) || a.line - b.line);
  return {
    host: q.host,
    from: q.from,
    to: q.to,
    total,
    events,
    otherPairEvents: otherPairs,
    pairs: [...pairs.values()].sort((a, b) => a.first - b.first || b.events - a.events),
  };
}

function nearest(events: HostEvent[], distance: (e: HostEvent) => number): HostEvent[] {
  if (events.length <= HOST_EVENTS) return events;
  return events.sort((a, b) => distance(a) - distance(b)).slice(0, HOST_EVENTS);
}
