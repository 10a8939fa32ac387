import { detach } from '../util/strings';
import type { ProcessInfo } from './endpoint';

/**
 * Compact events: the non-browser events the detector needs, column by
 * column, with every repeated text (host, client, domain, user agent, ...)
 * coded as a number into one list of distinct strings. This is what the map
 * produces, what sorted runs store and what the merge reads back.
 */

/** Text fields coded through the dictionary, in this order in `ids`. */
const TEXT_FIELDS = [
  'host',
  'user',
  'client',
  'domain',
  'userAgent',
  'method',
  'contentType',
  'action',
  'file',
  'source',
] as const;
export const TEXT_FIELD_COUNT = TEXT_FIELDS.length;
export const HOST = 0;
export const USER = 1;
export const CLIENT = 2;
export const DOMAIN = 3;
export const USER_AGENT = 4;
export const METHOD = 5;
export const CONTENT_TYPE = 6;
export const ACTION = 7;
export const FILE = 8;
/** Which added file the event came from: a key unique in the history (names can repeat), for removing a file's events. */
export const SOURCE = 9;

/** The domain key is a text-share site. */
export const FLAG_TEXT_SHARE = 1;
/** An API host or path: never a website UI. */
export const FLAG_API = 2;
/** Content type empty or HTML: a website UI when not an upload. */
export const FLAG_HTML = 4;
/** Method POST, PUT or PATCH. */
export const FLAG_UPLOAD_METHOD = 8;
/** Stitched to an endpoint connection, and its User-Agent alone would have made it a browser's (docs/detection.md "Stitching"). */
export const FLAG_UA_BROWSER = 16;
/**
 * A browser's or an unknown client's URL event, kept only so stitching can
 * find its process: never detected unless stitched (the stitch join drops it).
 */
export const FLAG_PENDING = 32;
/** Made by stitching from an endpoint connection or lookup alone: the join makes it again, so a stored one is dropped. */
export const FLAG_ENDPOINT_ONLY = 64;

export interface EventColumns {
  count: number;
  /** The dictionary: `ids` index into it. */
  strings: string[];
  /** TEXT_FIELD_COUNT ids per event. */
  ids: Uint32Array;
  /** UTC epoch ms. */
  time: Float64Array;
  /** NaN where unknown. */
  bytesOut: Float64Array;
  bytesIn: Float64Array;
  flags: Uint8Array;
  /** 1-based physical line in its file. */
  line: Uint32Array;
  /** As logged. */
  urls: string[];
  /** PAN-OS serial:session for the TRAFFIC join; '' where none (and always after the join). */
  sessions: string[];
  /** The connection's four values (connKey), '' where the source has none. */
  conns: string[];
  /** The process of a stitched or endpoint-only event; null otherwise. */
  processes: (ProcessInfo | null)[];
}

/**
 * The four values of a connection as one key: `source|sport|destination|dport`
 * (a port '' when unknown); '' when either address is unknown.
 */
export function connKey(src: string, sport: number | null, dst: string, dport: number | null): string {
  if (src === '' || dst === '') return '';
  return `${src}|${sport ?? ''}|${dst}|${dport ?? ''}`;
}

/**
 * Sets on `e` the four values of connection key `key` (connKey): '' and null
 * when it is ''. Cut without an array or an object between, since eventAt
 * does this for every event.
 */
export function readConnKey(
  key: string,
  e: Pick<CompactEvent, 'sourceAddress' | 'sourcePort' | 'destinationAddress' | 'destinationPort'>,
): void {
  const a = key === '' ? -1 : key.indexOf('|');
  const p = a < 0 ? -1 : key.indexOf('|', a + 1);
  const d = p < 0 ? -1 : key.indexOf('|', p + 1);
  e.sourceAddress = d < 0 ? '' : key.slice(0, a);
  e.sourcePort = d < 0 || p === a + 1 ? null : Number(key.slice(a + 1, p));
  e.destinationAddress = d < 0 ? '' : key.slice(p + 1, d);
  e.destinationPort = d < 0 || d === key.length - 1 ? null : Number(key.slice(d + 1));
}

/** One event with its texts looked up. */
export interface CompactEvent {
  time: number;
  host: string;
  user: string;
  client: string;
  domain: string;
  userAgent: string;
  method: string;
  contentType: string;
  action: string;
  file: string;
  source: string;
  line: number;
  flags: number;
  bytesOut: number | null;
  bytesIn: number | null;
  url: string;
  session: string;
  sourceAddress: string;
  sourcePort: number | null;
  destinationAddress: string;
  destinationPort: number | null;
  /** The process that made it: stitched, or an endpoint-only event; null otherwise. */
  process: ProcessInfo | null;
  /** Stitched, and its User-Agent alone would have classified as a browser's. */
  uaClaimsBrowser: boolean;
}

function grow<T extends Float64Array | Uint32Array | Uint8Array>(a: T, size: number): T {
  const b = new (a.constructor as new (n: number) => T)(size);
  b.set(a);
  return b;
}

const nullable = (n: number): number | null => (Number.isNaN(n) ? null : n);

/** Builds EventColumns an event at a time, or from other columns (with their ids coded again). */
export class ColumnsBuilder {
  count = 0;
  readonly strings: string[] = [];
  private readonly codes = new Map<string, number>();
  private capacity: number;
  private ids: Uint32Array;
  private time: Float64Array;
  private bytesOut: Float64Array;
  private bytesIn: Float64Array;
  private flags: Uint8Array;
  private line: Uint32Array;
  private urls: string[] = [];
  private sessions: string[] = [];
  private conns: string[] = [];
  private processes: (ProcessInfo | null)[] = [];

  constructor(capacity = 1024) {
    this.capacity = Math.max(1, capacity);
    this.ids = new Uint32Array(this.capacity * TEXT_FIELD_COUNT);
    this.time = new Float64Array(this.capacity);
    this.bytesOut = new Float64Array(this.capacity);
    this.bytesIn = new Float64Array(this.capacity);
    this.flags = new Uint8Array(this.capacity);
    this.line = new Uint32Array(this.capacity);
  }

  /** The code of `s`, adding it to the dictionary when new. */
  code(s: string): number {
    let c = this.codes.get(s);
    if (c === undefined) {
      c = this.strings.length;
      // A copy: a cut of a parsed line would keep the whole text it came from alive.
      const own = detach(s);
      this.strings.push(own);
      this.codes.set(own, c);
    }
    return c;
  }

  /** Appends an event; its texts as codes (from `code`). Returns its index. */
  push(
    time: number,
    flags: number,
    bytesOut: number | null,
    bytesIn: number | null,
    line: number,
    url: string,
    session: string,
    conn = '',
    process: ProcessInfo | null = null,
  ): number {
    if (this.count === this.capacity) this.reserve(this.capacity * 2);
    const i = this.count++;
    this.time[i] = time;
    this.flags[i] = flags;
    this.bytesOut[i] = bytesOut ?? NaN;
    this.bytesIn[i] = bytesIn ?? NaN;
    this.line[i] = line;
    this.urls.push(url);
    this.sessions.push(session);
    this.conns.push(conn === '' ? '' : detach(conn));
    this.processes.push(process);
    return i;
  }

  /** Sets text field `field` (TEXT_FIELDS index) of event `i` to code `c`. */
  setText(i: number, field: number, c: number): void {
    this.ids[i * TEXT_FIELD_COUNT + field] = c;
  }

  /** Appends all of `from`, its lines moved on by `lineOffset`. */
  append(from: EventColumns, lineOffset = 0): void {
    const map = new Uint32Array(from.strings.length);
    for (let s = 0; s < from.strings.length; s++) map[s] = this.code(from.strings[s]);
    if (this.count + from.count > this.capacity) this.reserve(Math.max(this.capacity * 2, this.count + from.count));
    const at = this.count;
    for (let i = 0; i < from.count; i++) {
      const src = i * TEXT_FIELD_COUNT;
      const dst = (at + i) * TEXT_FIELD_COUNT;
      for (let f = 0; f < TEXT_FIELD_COUNT; f++) this.ids[dst + f] = map[from.ids[src + f]];
      this.line[at + i] = from.line[i] + lineOffset;
    }
    this.time.set(from.time.subarray(0, from.count), at);
    this.bytesOut.set(from.bytesOut.subarray(0, from.count), at);
    this.bytesIn.set(from.bytesIn.subarray(0, from.count), at);
    this.flags.set(from.flags.subarray(0, from.count), at);
    for (let i = 0; i < from.count; i++) {
      this.urls.push(from.urls[i]);
      this.sessions.push(from.sessions[i]);
      this.conns.push(from.conns[i]);
      this.processes.push(from.processes[i]);
    }
    this.count += from.count;
  }

  /** Appends one event of `from` (with its own dictionary). */
  appendOne(from: EventColumns, i: number, codes: Int32Array): void {
    const j = this.push(
      from.time[i],
      from.flags[i],
      nullable(from.bytesOut[i]),
      nullable(from.bytesIn[i]),
      from.line[i],
      from.urls[i],
      from.sessions[i],
      from.conns[i],
      from.processes[i],
    );
    const src = i * TEXT_FIELD_COUNT;
    for (let f = 0; f < TEXT_FIELD_COUNT; f++) {
      const s = from.ids[src + f];
      if (codes[s] === -1) codes[s] = this.code(from.strings[s]);
      this.ids[j * TEXT_FIELD_COUNT + f] = codes[s];
    }
  }

  /** Events [from, to) as EventColumns (copies; the dictionary is shared). */
  build(from = 0, to = this.count): EventColumns {
    return {
      count: to - from,
      strings: this.strings,
      ids: this.ids.slice(from * TEXT_FIELD_COUNT, to * TEXT_FIELD_COUNT),
      time: this.time.slice(from, to),
      bytesOut: this.bytesOut.slice(from, to),
      bytesIn: this.bytesIn.slice(from, to),
      flags: this.flags.slice(from, to),
      line: this.line.slice(from, to),
      urls: this.urls.slice(from, to),
      sessions: this.sessions.slice(from, to),
      conns: this.conns.slice(from, to),
      processes: this.processes.slice(from, to),
    };
  }

  /** Drops the events from `n` on. */
  truncate(n: number): void {
    this.count = Math.min(this.count, n);
    this.urls.length = this.count;
    this.sessions.length = this.count;
    this.conns.length = this.count;
    this.processes.length = this.count;
  }

  /** Drops every event, keeping the dictionary. */
  clear(): void {
    this.truncate(0);
  }

  private reserve(size: number): void {
    this.capacity = size;
    this.ids = grow(this.ids, size * TEXT_FIELD_COUNT);
    this.time = grow(this.time, size);
    this.bytesOut = grow(this.bytesOut, size);
    this.bytesIn = grow(this.bytesIn, size);
    this.flags = grow(this.flags, size);
    this.line = grow(this.line, size);
  }
}

/** Event `i` of `c` with its texts looked up. */
export function eventAt(c: EventColumns, i: number): CompactEvent {
  const s = c.strings;
  const b = i * TEXT_FIELD_COUNT;
  const ids = c.ids;
  const e: CompactEvent = {
    time: c.time[i],
    host: s[ids[b + HOST]],
    user: s[ids[b + USER]],
    client: s[ids[b + CLIENT]],
    domain: s[ids[b + DOMAIN]],
    userAgent: s[ids[b + USER_AGENT]],
    method: s[ids[b + METHOD]],
    contentType: s[ids[b + CONTENT_TYPE]],
    action: s[ids[b + ACTION]],
    file: s[ids[b + FILE]],
    source: s[ids[b + SOURCE]],
    line: c.line[i],
    flags: c.flags[i],
    bytesOut: nullable(c.bytesOut[i]),
    bytesIn: nullable(c.bytesIn[i]),
    url: c.urls[i],
    session: c.sessions[i],
    sourceAddress: '',
    sourcePort: null,
    destinationAddress: '',
    destinationPort: null,
    process: c.processes[i],
    uaClaimsBrowser: (c.flags[i] & FLAG_UA_BROWSER) !== 0,
  };
  readConnKey(c.conns[i], e);
  return e;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The fields events are ordered by. */
export type EventOrderFields = Pick<
  CompactEvent,
  | 'time'
  | 'host'
  | 'client'
  | 'domain'
  | 'url'
  | 'method'
  | 'userAgent'
  | 'user'
  | 'action'
  | 'contentType'
  | 'bytesOut'
  | 'bytesIn'
  | 'file'
  | 'line'
>;

/**
 * The order of events (docs/detection.md "Equal times"): time, then content,
 * so events of equal time resolve the same way whatever the order of files
 * and lines. compareAt is the same order over columns, by index.
 */
export function compareCompact(a: EventOrderFields, b: EventOrderFields): number {
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
    cmp(a.file, b.file) ||
    a.line - b.line
  );
}

/** The same order over the events of one EventColumns, by index, without building objects. */
function compareAt(c: EventColumns, i: number, j: number): number {
  const d = c.time[i] - c.time[j];
  if (d !== 0) return d;
  const s = c.strings;
  const ids = c.ids;
  const bi = i * TEXT_FIELD_COUNT;
  const bj = j * TEXT_FIELD_COUNT;
  const textAt = (f: number): number => {
    const x = ids[bi + f];
    const y = ids[bj + f];
    return x === y ? 0 : cmp(s[x], s[y]);
  };
  return (
    textAt(HOST) ||
    textAt(CLIENT) ||
    textAt(DOMAIN) ||
    cmp(c.urls[i], c.urls[j]) ||
    textAt(METHOD) ||
    textAt(USER_AGENT) ||
    textAt(USER) ||
    textAt(ACTION) ||
    textAt(CONTENT_TYPE) ||
    orMinus(c.bytesOut[i]) - orMinus(c.bytesOut[j]) ||
    orMinus(c.bytesIn[i]) - orMinus(c.bytesIn[j]) ||
    textAt(FILE) ||
    c.line[i] - c.line[j]
  );
}

function orMinus(n: number): number {
  return Number.isNaN(n) ? -1 : n;
}

/** `c` in event order (a new EventColumns sharing the dictionary). */
export function sortColumns(c: EventColumns): EventColumns {
  const order: number[] = new Array<number>(c.count);
  let sorted = true;
  for (let i = 0; i < c.count; i++) {
    order[i] = i;
    if (sorted && i > 0 && compareAt(c, i - 1, i) > 0) sorted = false;
  }
  if (sorted) return c;
  // Logs come mostly in time order, which TimSort takes in near-linear time.
  order.sort((i, j) => compareAt(c, i, j));
  return permute(c, order);
}

function permute(c: EventColumns, order: readonly number[]): EventColumns {
  const n = order.length;
  const out: EventColumns = {
    count: n,
    strings: c.strings,
    ids: new Uint32Array(n * TEXT_FIELD_COUNT),
    time: new Float64Array(n),
    bytesOut: new Float64Array(n),
    bytesIn: new Float64Array(n),
    flags: new Uint8Array(n),
    line: new Uint32Array(n),
    urls: new Array<string>(n),
    sessions: new Array<string>(n),
    conns: new Array<string>(n),
    processes: new Array<ProcessInfo | null>(n),
  };
  for (let k = 0; k < n; k++) {
    const i = order[k];
    out.ids.set(c.ids.subarray(i * TEXT_FIELD_COUNT, (i + 1) * TEXT_FIELD_COUNT), k * TEXT_FIELD_COUNT);
    out.time[k] = c.time[i];
    out.bytesOut[k] = c.bytesOut[i];
    out.bytesIn[k] = c.bytesIn[i];
    out.flags[k] = c.flags[i];
    out.line[k] = c.line[i];
    out.urls[k] = c.urls[i];
    out.sessions[k] = c.sessions[i];
    out.conns[k] = c.conns[i];
    out.processes[k] = c.processes[i];
  }
  return out;
}
