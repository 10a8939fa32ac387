import type { TrafficColumns } from './traffic';
import { endpointColumns, type EndpointColumns, type StoredEndpoint } from './endpointRuns';
import { FLAG_PENDING, TEXT_FIELD_COUNT, type EventColumns } from '../events/columns';
import type { ProcessInfo } from '../events/endpoint';

/**
 * Stored events, a block at a time: one byte array per block, the same in a
 * temporary file of the CLI and in IndexedDB. A block carries its own
 * dictionary (only the strings its events use), so blocks can be written as
 * events stream past and read back one by one.
 *
 * Layout (little-endian): a 32-byte header (magic, count, first and last
 * time, length of the text part), then the columns (times and byte counts
 * as float64, text codes and lines as uint32, flags as bytes), then, 8-byte
 * aligned, the texts as UTF-8 JSON: the dictionary, the URLs, the sessions.
 */
export const BLOCK_EVENTS = 4096;

const EVENTS_MAGIC = 0x314b424f; // "OBK1"
const TRAFFIC_MAGIC = 0x3154424f; // "OBT1"
const ENDPOINT_MAGIC = 0x314e424f; // "OBN1"
const HEADER = 32;

const pad8 = (n: number): number => (n + 7) & ~7;

export interface BlockHeader {
  count: number;
  minTime: number;
  maxTime: number;
}

interface BlockText {
  s: string[];
  u: string[];
  /** Sessions; 0 when all are empty (always, after the TRAFFIC join). */
  x: string[] | 0;
  /** Connections' four values (connKey); absent (blocks written before stitching) or 0 when all are empty. */
  c?: string[] | 0;
  /** Processes of stitched events; absent or 0 when none has one. */
  p?: (ProcessInfo | null)[] | 0;
}

/** Events [from, to) of `c`, which must be in time order. */
export function encodeBlock(c: EventColumns, from: number, to: number): Uint8Array {
  const n = to - from;
  const codes = new Int32Array(c.strings.length).fill(-1);
  const strings: string[] = [];
  const ids = new Uint32Array(n * TEXT_FIELD_COUNT);
  for (let k = 0; k < n * TEXT_FIELD_COUNT; k++) {
    const old = c.ids[from * TEXT_FIELD_COUNT + k];
    if (codes[old] === -1) {
      codes[old] = strings.length;
      strings.push(c.strings[old]);
    }
    ids[k] = codes[old];
  }
  const sessions = c.sessions.slice(from, to);
  const conns = c.conns.slice(from, to);
  const processes = c.processes.slice(from, to);
  const body: BlockText = {
    s: strings,
    u: c.urls.slice(from, to),
    x: sessions.some((x) => x !== '') ? sessions : 0,
    c: conns.some((x) => x !== '') ? conns : 0,
    p: processes.some((x) => x !== null) ? processes : 0,
  };
  const text = new TextEncoder().encode(JSON.stringify(body));
  const numbers = n * 8 * 3;
  const codesAt = HEADER + numbers;
  const linesAt = codesAt + n * TEXT_FIELD_COUNT * 4;
  const flagsAt = linesAt + n * 4;
  const textAt = pad8(flagsAt + n);
  const out = new Uint8Array(textAt + text.byteLength);
  const view = new DataView(out.buffer);
  view.setUint32(0, EVENTS_MAGIC, true);
  view.setUint32(4, n, true);
  view.setFloat64(8, n > 0 ? c.time[from] : 0, true);
  view.setFloat64(16, n > 0 ? c.time[to - 1] : 0, true);
  view.setUint32(24, text.byteLength, true);
  new Float64Array(out.buffer, HEADER, n).set(c.time.subarray(from, to));
  new Float64Array(out.buffer, HEADER + n * 8, n).set(c.bytesOut.subarray(from, to));
  new Float64Array(out.buffer, HEADER + n * 16, n).set(c.bytesIn.subarray(from, to));
  new Uint32Array(out.buffer, codesAt, n * TEXT_FIELD_COUNT).set(ids);
  new Uint32Array(out.buffer, linesAt, n).set(c.line.subarray(from, to));
  out.set(c.flags.subarray(from, to), flagsAt);
  out.set(text, textAt);
  return out;
}

export function blockHeader(bytes: Uint8Array): BlockHeader {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, true);
  if (magic !== EVENTS_MAGIC && magic !== TRAFFIC_MAGIC && magic !== ENDPOINT_MAGIC)
    throw new Error('not a block of stored events (bad magic number)');
  return { count: view.getUint32(4, true), minTime: view.getFloat64(8, true), maxTime: view.getFloat64(16, true) };
}

/** How many of an events block's events are kept only for stitching (FLAG_PENDING), read from its flags; 0 for other blocks. */
export function blockPending(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== EVENTS_MAGIC) return 0;
  const n = view.getUint32(4, true);
  const flagsAt = HEADER + n * 24 + n * TEXT_FIELD_COUNT * 4 + n * 4;
  let pending = 0;
  for (let i = 0; i < n; i++) if ((bytes[flagsAt + i] & FLAG_PENDING) !== 0) pending++;
  return pending;
}

/** Typed-array views need aligned offsets: a block read out of a larger buffer is copied when it is not. */
function aligned(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset % 8 === 0 ? bytes : bytes.slice();
}

export function decodeBlock(input: Uint8Array): EventColumns {
  const bytes = aligned(input);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== EVENTS_MAGIC) throw new Error('not a block of stored events (bad magic number)');
  const n = view.getUint32(4, true);
  const textBytes = view.getUint32(24, true);
  const base = bytes.byteOffset;
  const codesAt = HEADER + n * 24;
  const linesAt = codesAt + n * TEXT_FIELD_COUNT * 4;
  const flagsAt = linesAt + n * 4;
  const textAt = pad8(flagsAt + n);
  const body = JSON.parse(new TextDecoder().decode(bytes.subarray(textAt, textAt + textBytes))) as BlockText;
  return {
    count: n,
    strings: body.s,
    time: new Float64Array(bytes.buffer, base + HEADER, n),
    bytesOut: new Float64Array(bytes.buffer, base + HEADER + n * 8, n),
    bytesIn: new Float64Array(bytes.buffer, base + HEADER + n * 16, n),
    ids: new Uint32Array(bytes.buffer, base + codesAt, n * TEXT_FIELD_COUNT),
    line: new Uint32Array(bytes.buffer, base + linesAt, n),
    flags: bytes.subarray(flagsAt, flagsAt + n),
    urls: body.u,
    sessions: body.x === 0 ? new Array<string>(n).fill('') : body.x,
    conns: body.c === undefined || body.c === 0 ? new Array<string>(n).fill('') : body.c,
    processes: body.p === undefined || body.p === 0 ? new Array<ProcessInfo | null>(n).fill(null) : body.p,
  };
}

/** TRAFFIC rows [from, to) of `t`, which must be in time order. */
export function encodeTrafficBlock(t: TrafficColumns, from: number, to: number): Uint8Array {
  const n = to - from;
  const text = new TextEncoder().encode(JSON.stringify(t.sessions.slice(from, to)));
  const textAt = HEADER + n * 24;
  const out = new Uint8Array(textAt + text.byteLength);
  const view = new DataView(out.buffer);
  view.setUint32(0, TRAFFIC_MAGIC, true);
  view.setUint32(4, n, true);
  view.setFloat64(8, n > 0 ? t.time[from] : 0, true);
  view.setFloat64(16, n > 0 ? t.time[to - 1] : 0, true);
  view.setUint32(24, text.byteLength, true);
  new Float64Array(out.buffer, HEADER, n).set(t.time.subarray(from, to));
  new Float64Array(out.buffer, HEADER + n * 8, n).set(t.sent.subarray(from, to));
  new Float64Array(out.buffer, HEADER + n * 16, n).set(t.received.subarray(from, to));
  out.set(text, textAt);
  return out;
}

export function decodeTrafficBlock(input: Uint8Array): TrafficColumns {
  const bytes = aligned(input);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== TRAFFIC_MAGIC) throw new Error('not a block of stored TRAFFIC rows (bad magic number)');
  const n = view.getUint32(4, true);
  const textBytes = view.getUint32(24, true);
  const base = bytes.byteOffset;
  const textAt = HEADER + n * 24;
  return {
    count: n,
    time: new Float64Array(bytes.buffer, base + HEADER, n),
    sent: new Float64Array(bytes.buffer, base + HEADER + n * 8, n),
    received: new Float64Array(bytes.buffer, base + HEADER + n * 16, n),
    sessions: JSON.parse(new TextDecoder().decode(bytes.subarray(textAt, textAt + textBytes))) as string[],
  };
}

/** Endpoint records [from, to) of `e`, which must be in time order: a header, then the records as UTF-8 JSON. */
export function encodeEndpointBlock(e: EndpointColumns, from: number, to: number): Uint8Array {
  const n = to - from;
  const text = new TextEncoder().encode(JSON.stringify(e.records.slice(from, to)));
  const out = new Uint8Array(HEADER + text.byteLength);
  const view = new DataView(out.buffer);
  view.setUint32(0, ENDPOINT_MAGIC, true);
  view.setUint32(4, n, true);
  view.setFloat64(8, n > 0 ? e.time[from] : 0, true);
  view.setFloat64(16, n > 0 ? e.time[to - 1] : 0, true);
  view.setUint32(24, text.byteLength, true);
  out.set(text, HEADER);
  return out;
}

export function decodeEndpointBlock(bytes: Uint8Array): EndpointColumns {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== ENDPOINT_MAGIC) throw new Error('not a block of stored endpoint records (bad magic number)');
  const textBytes = view.getUint32(24, true);
  const records = JSON.parse(new TextDecoder().decode(bytes.subarray(HEADER, HEADER + textBytes))) as StoredEndpoint[];
  return endpointColumns(records);
}
