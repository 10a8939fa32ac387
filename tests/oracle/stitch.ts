import type { Connection, EndpointRecord, NameLookup, ProcessInfo, ProcessStart } from '../../src/core/events/endpoint';
import type { WebEvent } from '../../src/core/events/event';
import type { Settings } from '../../src/core/settings/settings';
import { clientOf } from './classify';
import type { OracleEvent } from './detector';

/*
 * The oracle's stitching, written straight from docs/detection.md "Endpoint
 * sources and stitching" and "Endpoint-only events", holding everything in
 * memory and sharing no code with src/core/runs/stitchJoin.ts: each URL event
 * looks through every connection, each connection and lookup through every
 * event and connection. Only the product's types are shared.
 */

/** A URL event as a source gives it, with its connection's four values (empty address or null port where none). */
export interface OracleUrlEvent extends WebEvent {
  sourceAddress: string;
  sourcePort: number | null;
  destinationAddress: string;
  destinationPort: number | null;
}

const TEN_MINUTES = 10 * 60_000;

function addr(a: string): string {
  const t = a.trim().toLowerCase();
  return /^::ffff:\d+\.\d+\.\d+\.\d+$/.test(t) ? t.slice(7) : t;
}

/** Private (10/8, 172.16/12, 192.168/16, fc00::/7), loopback (127/8, ::1), link-local (169.254/16, fe80::/10), unspecified. */
function isLocal(a: string): boolean {
  const t = addr(a);
  const v4 = t.split('.').map(Number);
  if (v4.length === 4 && v4.every((n) => Number.isInteger(n) && n >= 0 && n <= 255)) {
    const [x, y] = v4;
    return (
      x === 10 ||
      x === 127 ||
      x === 0 ||
      (x === 172 && y >= 16 && y <= 31) ||
      (x === 192 && y === 168) ||
      (x === 169 && y === 254)
    );
  }
  if (!t.includes(':')) return true;
  if (t === '::1' || t === '::') return true;
  const head = parseInt(t.split(':')[0] || '0', 16);
  return (head >= 0xfe80 && head <= 0xfebf) || (head >= 0xfc00 && head <= 0xfdff);
}

/** A name as the endpoint gives it, as a hostname: what a URL's host part would be, lower case, no trailing dot. */
function hostnameOf(name: string): string {
  let h = name.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  h = h.split(/[/?#]/)[0];
  h = h.slice(h.lastIndexOf('@') + 1);
  h = h.startsWith('[') ? h.slice(1, h.indexOf(']') === -1 ? undefined : h.indexOf(']')) : h.split(':')[0];
  h = h.toLowerCase();
  return h.endsWith('.') ? h.slice(0, -1) : h;
}

const nonEmpty = (s: string | undefined): string | null => (s === undefined || s === '' ? null : s);
const sameComputer = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/** The start of a record's process: same computer and GUID, else same computer and PID, the last start at or before `time`. */
function startOf(r: EndpointRecord, starts: readonly ProcessStart[], byPid: boolean): ProcessStart | undefined {
  if (r.guid !== '') {
    const s = starts.find((p) => sameComputer(p.computer, r.computer) && p.guid === r.guid);
    if (s !== undefined || !byPid) return s;
  }
  if (!byPid || r.pid === null) return undefined;
  let best: ProcessStart | undefined;
  for (const p of starts)
    if (
      sameComputer(p.computer, r.computer) &&
      p.pid === r.pid &&
      p.time <= r.time &&
      (best === undefined || p.time >= best.time)
    )
      best = p;
  return best;
}

function processOf(c: Connection, starts: readonly ProcessStart[]): ProcessInfo {
  const s = startOf(c, starts, true);
  return {
    computer: c.computer,
    image: c.image !== '' ? c.image : (s?.image ?? ''),
    pid: c.pid ?? s?.pid ?? null,
    user: nonEmpty(c.user) ?? nonEmpty(s?.user),
    commandLine: nonEmpty(c.commandLine) ?? nonEmpty(s?.commandLine),
    parentImage: nonEmpty(c.parentImage) ?? nonEmpty(s?.parentImage),
  };
}

function endpointEvent(r: EndpointRecord, hostname: string, p: ProcessInfo): OracleEvent {
  return {
    time: r.time,
    host: r.computer.toLowerCase(),
    user: p.user ?? '',
    userAgent: '',
    image: p.image,
    url: `${hostname}/`,
    hostname,
    path: '/',
    method: '',
    contentType: '',
    bytesOut: null,
    bytesIn: null,
    action: '',
    source: { file: r.file, line: r.line },
    session: '',
    process: p,
    uaClaimsBrowser: false,
  };
}

/**
 * The events detection sees: URL events (stitched where a connection has
 * their four values within stitchSeconds), then endpoint-only events from
 * named connections no URL event took and from lookups no connection took.
 * Browser and unknown events stay in the list; the detector leaves them out.
 */
export function stitch(
  urls: readonly OracleUrlEvent[],
  records: readonly EndpointRecord[],
  settings: Pick<Settings, 'stitchSeconds' | 'browserProcesses' | 'appTokens'>,
): OracleEvent[] {
  const w = settings.stitchSeconds * 1000;
  const starts = records.filter((r): r is ProcessStart => r.kind === 'process');
  const conns = records.filter((r): r is Connection => r.kind === 'connection');
  const lookups = records.filter((r): r is NameLookup => r.kind === 'lookup');
  const taken = new Set<Connection>();
  const out: OracleEvent[] = [];
  for (const e of urls) {
    let best: Connection | null = null;
    if (e.sourceAddress !== '' && e.destinationAddress !== '' && e.sourcePort !== null && e.destinationPort !== null) {
      for (const c of conns) {
        const same =
          addr(c.localAddress) === addr(e.sourceAddress) &&
          c.localPort === e.sourcePort &&
          addr(c.remoteAddress) === addr(e.destinationAddress) &&
          c.remotePort === e.destinationPort;
        if (!same || Math.abs(c.time - e.time) > w) continue;
        const gap = Math.abs(c.time - e.time);
        if (best === null || gap < Math.abs(best.time - e.time) || (gap === Math.abs(best.time - e.time) && c.time < best.time))
          best = c;
      }
    }
    if (best === null) {
      out.push(e);
      continue;
    }
    taken.add(best);
    const p = processOf(best, starts);
    out.push({
      ...e,
      image: p.image,
      user: e.user !== '' ? e.user : (p.user ?? ''),
      process: p,
      uaClaimsBrowser: clientOf({ userAgent: e.userAgent, image: '' }, settings).kind === 'browser',
    });
  }
  const answers = (l: NameLookup, remote: string): boolean => l.answers.some((a) => addr(a) === addr(remote));
  const sameProcess = (l: NameLookup, c: Connection): boolean =>
    l.guid !== '' && c.guid === l.guid && sameComputer(l.computer, c.computer);
  for (const c of conns) {
    if (taken.has(c) || isLocal(c.remoteAddress)) continue;
    let name = c.remoteUrl === '' ? '' : hostnameOf(c.remoteUrl);
    if (name === '') {
      let latest: NameLookup | null = null;
      for (const l of lookups)
        if (sameProcess(l, c) && l.time <= c.time && c.time - l.time <= TEN_MINUTES && answers(l, c.remoteAddress))
          if (latest === null || l.time >= latest.time) latest = l;
      if (latest !== null) name = hostnameOf(latest.query);
    }
    if (name !== '') out.push(endpointEvent(c, name, processOf(c, starts)));
  }
  for (const l of lookups) {
    const tookIt = conns.some(
      (c) => sameProcess(l, c) && c.time >= l.time && c.time - l.time <= w && answers(l, c.remoteAddress),
    );
    if (tookIt || !l.answers.some((a) => !isLocal(a))) continue;
    const s = startOf(l, starts, false);
    const name = hostnameOf(l.query);
    if (name === '') continue;
    out.push(
      endpointEvent(l, name, {
        computer: l.computer,
        image: l.image !== '' ? l.image : (s?.image ?? ''),
        pid: l.pid,
        user: nonEmpty(l.user),
        commandLine: nonEmpty(s?.commandLine),
        parentImage: nonEmpty(s?.parentImage),
      }),
    );
  }
  return out;
}
