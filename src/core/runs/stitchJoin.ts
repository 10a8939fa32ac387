import { eventFlags } from '../classify/classify';
import type { ClientClassifier } from '../classify/client';
import type { DomainKeys } from '../classify/domain';
import {
  compareCompact,
  connKey,
  FLAG_ENDPOINT_ONLY,
  FLAG_PENDING,
  FLAG_UA_BROWSER,
  readConnKey,
  type CompactEvent,
} from '../events/columns';
import type { Connection, NameLookup, ProcessInfo, ProcessStart } from '../events/endpoint';
import { isLocalAddress, normaliseAddress } from '../util/address';
import { urlParts } from '../util/url';
import type { StoredEndpoint } from './endpointRuns';

/** What stitching did, for the run's summary (docs/detection.md "Endpoint sources and stitching"). */
export interface StitchCounts {
  /** URL events given the process of an endpoint connection. */
  stitched: number;
  /** Of those, events whose User-Agent alone read as a browser's. */
  uaClaimedBrowser: number;
  /** Endpoint connections that no URL event was stitched to. */
  connectionsUnstitched: number;
  /** Events made from the endpoint alone: from named connections, and from name lookups no connection took. */
  endpointOnly: { connections: number; lookups: number };
  /** Non-browser URL events that were not stitched, by why. */
  notStitched: {
    /** The source gave no ports (or no addresses) for the event. */
    noPorts: number;
    /** No endpoint connection from the event's source address anywhere in the data. */
    noEndpointData: number;
    /** Connections from that address, but none with the same four values within stitchSeconds. */
    noMatch: number;
  };
}

/** A lookup names a connection of its process when it came at most this long before (docs/detection.md). */
const LOOKUP_NAMES_MS = 10 * 60_000;

type Conn = Connection & { source: string };
type Lookup = NameLookup & { source: string };

interface HeldConn {
  rec: Conn;
  key: string;
  process: ProcessInfo;
  /** The name of the site: Defender's RemoteUrl, or a lookup's query; '' where none. */
  name: string;
  stitched: boolean;
}

interface HeldLookup {
  rec: Lookup;
  taken: boolean;
}

interface HeldEvent {
  e: CompactEvent;
  /** What leaves: the event as stitched, as it came, or null (dropped). */
  out: CompactEvent | null;
}

function proc(computer: string, id: string | number | null): string {
  return `${computer.toLowerCase()}\u0000${id ?? ''}`;
}

/** A site's name as an endpoint gives it: lower case, no trailing dot; '' when it names nothing. */
function siteName(name: string): string {
  const host = urlParts(name).hostname;
  return host.endsWith('.') ? host.slice(0, -1) : host;
}

function eventKey(e: CompactEvent): string {
  return connKey(normaliseAddress(e.sourceAddress), e.sourcePort, normaliseAddress(e.destinationAddress), e.destinationPort);
}

/**
 * Stitching as a bounded join over one time-ordered stream of URL events and
 * endpoint records (process starts, connections, name lookups):
 *
 * - a URL event takes the connection with the same four values (local =
 *   source, remote = destination) within `windowMs`, the nearest in time, then
 *   the earliest: its client from the image, its process, the endpoint's user
 *   when it has none;
 * - a connection no event took becomes an event when it has a name (RemoteUrl,
 *   or a lookup of its process in the 10 minutes before whose answers hold its
 *   remote address) and its remote address is not local;
 * - a lookup no connection of its process took within `windowMs` after it
 *   becomes an event when an answer is not local.
 *
 * Events may come later than the endpoint records of their time (the TRAFFIC
 * join before this holds them back), so two clocks are kept: `eventClock`,
 * the last event's time, and `recordClock`, the stream's (`tick`). Each side
 * is held only as long as the window needs, and process starts by process
 * (computer + GUID, computer + PID), not by event. Events leave in time order,
 * those of equal time in event order (compareCompact).
 */
export class StitchJoin {
  readonly counts: StitchCounts = {
    stitched: 0,
    uaClaimedBrowser: 0,
    connectionsUnstitched: 0,
    endpointOnly: { connections: 0, lookups: 0 },
    notStitched: { noPorts: 0, noEndpointData: 0, noMatch: 0 },
  };
  private recordClock = -Infinity;
  private eventClock = -Infinity;
  private finished = false;
  private readonly events: HeldEvent[] = [];
  private eventsHead = 0;
  /** Index into `events` of the first event not yet decided. */
  private undecided = 0;
  private readonly conns: HeldConn[] = [];
  private connsHead = 0;
  private readonly connsByKey = new Map<string, HeldConn[]>();
  private readonly lookups: HeldLookup[] = [];
  private lookupsHead = 0;
  /** Lookups of each process (computer + GUID) of the last 10 minutes, oldest first, to name its connections. */
  private readonly recentLookups = new Map<string, HeldLookup[]>();
  private recentHead = 0;
  private readonly starts = new Map<string, ProcessStart>();
  private readonly pidStarts = new Map<string, ProcessStart>();
  /** Local addresses of every connection seen, and unstitched events by source address, to tell the two reasons apart. */
  private readonly localAddresses = new Set<string>();
  private readonly unstitchedBySource = new Map<string, number>();
  /** Decided items waiting for every earlier one, in time then event order. */
  private readonly ready: CompactEvent[] = [];

  /** Decided items waiting for every earlier one, from readyHead on. */
  private readyHead = 0;

  /**
   * `lagMs`: how far behind the stream's time an event may still come (the
   * TRAFFIC join's window when it runs first; 0 when events come straight from
   * the merge).
   */
  constructor(
    private readonly windowMs: number,
    private readonly lagMs: number,
    private readonly clients: ClientClassifier,
    private readonly domains: DomainKeys,
    private readonly out: (e: CompactEvent) => void,
  ) {}

  /**
   * The merged stream has reached `time` (called after each of its items has
   * been handed on): no endpoint record still to come is earlier, and no
   * event is more than `lagMs` earlier.
   */
  tick(time: number): void {
    if (time <= this.recordClock) return;
    this.recordClock = time;
    this.release();
  }

  event(e: CompactEvent): void {
    // Made again from the endpoint records: a stored one would be counted twice.
    if ((e.flags & FLAG_ENDPOINT_ONLY) !== 0) return;
    if (e.time > this.recordClock) this.recordClock = e.time;
    if (e.time > this.eventClock) this.eventClock = e.time;
    this.events.push({ e, out: null });
    this.release();
  }

  endpoint(r: StoredEndpoint): void {
    if (r.time > this.recordClock) this.recordClock = r.time;
    if (r.kind === 'process') {
      this.starts.set(proc(r.computer, r.guid), r);
      if (r.pid !== null) this.pidStarts.set(proc(r.computer, r.pid), r);
    } else if (r.kind === 'lookup') {
      this.lookup(r);
    } else {
      this.connection(r);
    }
    this.release();
  }

  /** Hands on everything still held: the stream has ended. */
  finish(): void {
    this.finished = true;
    this.recordClock = Infinity;
    this.eventClock = Infinity;
    this.release();
    for (const [address, n] of this.unstitchedBySource) {
      if (this.localAddresses.has(address)) this.counts.notStitched.noMatch += n;
      else this.counts.notStitched.noEndpointData += n;
    }
    this.unstitchedBySource.clear();
  }

  private lookup(r: Lookup): void {
    if (r.query === '') return;
    const held: HeldLookup = { rec: r, taken: false };
    this.lookups.push(held);
    if (r.guid === '') return;
    const k = proc(r.computer, r.guid);
    let list = this.recentLookups.get(k);
    if (list === undefined) this.recentLookups.set(k, (list = []));
    list.push(held);
  }

  private connection(r: Conn): void {
    const local = normaliseAddress(r.localAddress);
    const remote = normaliseAddress(r.remoteAddress);
    if (local === '' || remote === '') return;
    this.localAddresses.add(local);
    let name = r.remoteUrl === '' ? '' : siteName(r.remoteUrl);
    if (r.guid !== '') {
      const list = this.recentLookups.get(proc(r.computer, r.guid));
      if (list !== undefined) {
        for (const l of list) {
          const gap = r.time - l.rec.time;
          if (gap < 0 || !l.rec.answers.some((a) => normaliseAddress(a) === remote)) continue;
          // The latest lookup in the 10 minutes before names it; every one within the window is taken.
          if (gap <= LOOKUP_NAMES_MS && r.remoteUrl === '') name = siteName(l.rec.query);
          if (gap <= this.windowMs) l.taken = true;
        }
      }
    }
    const held: HeldConn = {
      rec: r,
      key: connKey(local, r.localPort, remote, r.remotePort),
      process: this.processOf(r),
      name,
      stitched: false,
    };
    this.conns.push(held);
    let list = this.connsByKey.get(held.key);
    if (list === undefined) this.connsByKey.set(held.key, (list = []));
    list.push(held);
  }

  /** The process of a connection, with its command line and parent from its start where the data has it. */
  private processOf(r: Conn): ProcessInfo {
    let start = r.guid === '' ? undefined : this.starts.get(proc(r.computer, r.guid));
    if (start === undefined && r.pid !== null) {
      // Same computer and PID within the process's lifetime: the last start of that PID before the connection.
      start = this.pidStarts.get(proc(r.computer, r.pid));
    }
    const orNull = (s: string | undefined): string | null => (s === undefined || s === '' ? null : s);
    return {
      computer: r.computer,
      image: r.image !== '' ? r.image : (start?.image ?? ''),
      pid: r.pid ?? start?.pid ?? null,
      user: orNull(r.user) ?? orNull(start?.user),
      commandLine: orNull(r.commandLine) ?? orNull(start?.commandLine),
      parentImage: orNull(r.parentImage) ?? orNull(start?.parentImage),
    };
  }

  private release(): void {
    const w = this.windowMs;
    // 1. Events whose window of connections has been read.
    while (this.undecided < this.events.length) {
      const h = this.events[this.undecided];
      if (!this.finished && h.e.time + w >= this.recordClock) break;
      h.out = this.decide(h.e);
      this.undecided++;
    }
    // 2. Connections every event of whose window is decided.
    const floor = this.eventFloor();
    const firstUndecided = this.undecided < this.events.length ? this.events[this.undecided].e.time : Infinity;
    while (this.connsHead < this.conns.length) {
      const c = this.conns[this.connsHead];
      const end = c.rec.time + w;
      if (!this.finished && (end >= floor || end >= firstUndecided)) break;
      this.connsHead++;
      const list = this.connsByKey.get(c.key)!;
      list.splice(list.indexOf(c), 1);
      if (list.length === 0) this.connsByKey.delete(c.key);
      if (c.stitched) continue;
      this.counts.connectionsUnstitched++;
      if (c.name !== '' && !isLocalAddress(c.rec.remoteAddress)) {
        const e = this.endpointEvent(c.rec, c.name, c.process, c.key);
        if (e !== null) {
          this.counts.endpointOnly.connections++;
          this.toReady(e);
        }
      }
    }
    // 3. Lookups whose window of connections has been read.
    while (this.lookupsHead < this.lookups.length) {
      const l = this.lookups[this.lookupsHead];
      if (!this.finished && l.rec.time + w >= this.recordClock) break;
      this.lookupsHead++;
      if (l.taken || !l.rec.answers.some((a) => !isLocalAddress(a))) continue;
      const r = l.rec;
      const process: ProcessInfo = {
        computer: r.computer,
        image: r.image,
        pid: r.pid,
        user: r.user === '' ? null : r.user,
        commandLine: null,
        parentImage: null,
      };
      const start = r.guid === '' ? undefined : this.starts.get(proc(r.computer, r.guid));
      if (start !== undefined) {
        process.commandLine = start.commandLine === '' ? null : start.commandLine;
        process.parentImage = start.parentImage === '' ? null : start.parentImage;
        if (process.image === '') process.image = start.image;
      }
      const e = this.endpointEvent(r, siteName(r.query), process, '');
      if (e !== null) {
        this.counts.endpointOnly.lookups++;
        this.toReady(e);
      }
    }
    this.pruneLookups();
    this.emit();
  }

  /** A URL event's fate: stitched (a new event), as it came, or null (a browser's, or a pending one no connection took). */
  private decide(e: CompactEvent): CompactEvent | null {
    const pending = (e.flags & FLAG_PENDING) !== 0;
    const key = eventKey(e);
    const best = key === '' || e.sourcePort === null || e.destinationPort === null ? null : this.nearest(key, e.time);
    if (e.process !== null) {
      // Stitched before (a saved history): its connection is taken again, the event left as it is.
      if (best !== null) best.stitched = true;
      return e;
    }
    if (best === null) {
      if (pending) return null;
      if (key === '' || e.sourcePort === null || e.destinationPort === null) this.counts.notStitched.noPorts++;
      else {
        const a = normaliseAddress(e.sourceAddress);
        this.unstitchedBySource.set(a, (this.unstitchedBySource.get(a) ?? 0) + 1);
      }
      return e;
    }
    best.stitched = true;
    this.counts.stitched++;
    const p = best.process;
    const uaBrowser = this.clients.classify(e.userAgent).kind === 'browser';
    if (uaBrowser) this.counts.uaClaimedBrowser++;
    let client = e.client;
    if (p.image !== '') {
      const c = this.clients.classify('', p.image);
      if (c.kind !== 'non-browser') return null;
      client = c.key;
    } else if (pending) {
      return null;
    }
    return {
      ...e,
      client,
      user: e.user !== '' ? e.user : (p.user ?? ''),
      process: p,
      uaClaimsBrowser: uaBrowser,
      flags: (e.flags & ~FLAG_PENDING) | (uaBrowser ? FLAG_UA_BROWSER : 0),
    };
  }

  /** The connection with `key` nearest `time` within the window; of equal distance, the earliest. */
  private nearest(key: string, time: number): HeldConn | null {
    const list = this.connsByKey.get(key);
    if (list === undefined) return null;
    let best: HeldConn | null = null;
    let bestGap = Infinity;
    for (const c of list) {
      const gap = Math.abs(c.rec.time - time);
      if (gap > this.windowMs) continue;
      if (gap < bestGap || (gap === bestGap && best !== null && c.rec.time < best.rec.time)) {
        best = c;
        bestGap = gap;
      }
    }
    return best;
  }

  /** An event from the endpoint alone (docs/detection.md "Endpoint-only events"); null when its process is a browser's or unknown. */
  private endpointEvent(r: Conn | Lookup, hostname: string, p: ProcessInfo, key: string): CompactEvent | null {
    if (hostname === '' || p.image === '') return null;
    const client = this.clients.classify('', p.image);
    if (client.kind !== 'non-browser') return null;
    const domain = this.domains.key(hostname);
    const e: CompactEvent = {
      time: r.time,
      host: r.computer.toLowerCase(),
      user: p.user ?? '',
      client: client.key,
      domain,
      userAgent: '',
      method: '',
      contentType: '',
      action: '',
      file: r.file,
      source: r.source,
      line: r.line,
      flags: eventFlags(this.domains.isTextShare(domain), hostname, '/', '', '') | FLAG_ENDPOINT_ONLY,
      bytesOut: null,
      bytesIn: null,
      url: `${hostname}/`,
      session: '',
      sourceAddress: '',
      sourcePort: null,
      destinationAddress: '',
      destinationPort: null,
      process: p,
      uaClaimsBrowser: false,
    };
    readConnKey(key, e);
    return e;
  }

  private pruneLookups(): void {
    // Held to name connections (10 minutes) and to be taken by one (the window), whichever is longer.
    const from = this.recordClock - Math.max(LOOKUP_NAMES_MS, this.windowMs);
    while (this.recentHead < this.lookups.length) {
      const l = this.lookups[this.recentHead];
      if (!this.finished && l.rec.time >= from) break;
      this.recentHead++;
      if (l.rec.guid === '') continue;
      const k = proc(l.rec.computer, l.rec.guid);
      const list = this.recentLookups.get(k);
      if (list === undefined) continue;
      list.shift();
      if (list.length === 0) this.recentLookups.delete(k);
    }
    // Held arrays are cut once most of them has been passed, so memory follows the window, not the stream.
    const cut = Math.min(this.lookupsHead, this.recentHead);
    if (cut > 4096 && cut * 2 > this.lookups.length) {
      this.lookups.splice(0, cut);
      this.lookupsHead -= cut;
      this.recentHead -= cut;
    }
    if (this.connsHead > 4096 && this.connsHead * 2 > this.conns.length) {
      this.conns.splice(0, this.connsHead);
      this.connsHead = 0;
    }
  }

  /**
   * Hands on, in time order, what is decided and cannot be preceded any more:
   * everything earlier than the first undecided event, connection and lookup
   * and than either clock. Equal times leave together, in event order.
   */
  private emit(): void {
    for (; this.eventsHead < this.undecided; this.eventsHead++) {
      const out = this.events[this.eventsHead].out;
      if (out !== null) this.toReady(out);
    }
    if (this.eventsHead > 4096 && this.eventsHead * 2 > this.events.length) {
      this.events.splice(0, this.eventsHead);
      this.undecided -= this.eventsHead;
      this.eventsHead = 0;
    }
    if (this.readyHead === this.ready.length) return;
    let safe = Math.min(this.eventFloor(), this.recordClock);
    if (this.undecided < this.events.length) safe = Math.min(safe, this.events[this.undecided].e.time);
    if (this.connsHead < this.conns.length) safe = Math.min(safe, this.conns[this.connsHead].rec.time);
    if (this.lookupsHead < this.lookups.length) safe = Math.min(safe, this.lookups[this.lookupsHead].rec.time);
    if (this.finished) safe = Infinity;
    const ready = this.ready;
    while (this.readyHead < ready.length && ready[this.readyHead].time < safe) this.out(ready[this.readyHead++]);
    if (this.readyHead > 4096 && this.readyHead * 2 > ready.length) {
      ready.splice(0, this.readyHead);
      this.readyHead = 0;
    }
  }

  /** The time no event still to come can be earlier than. */
  private eventFloor(): number {
    return this.finished ? Infinity : Math.max(this.eventClock, this.recordClock - this.lagMs);
  }

  /** Into `ready` in order: items come nearly sorted, so the place is found from the end. */
  private toReady(e: CompactEvent): void {
    const ready = this.ready;
    let i = ready.length;
    while (i > this.readyHead && compareCompact(ready[i - 1], e) > 0) i--;
    if (i === ready.length) ready.push(e);
    else ready.splice(i, 0, e);
  }
}
