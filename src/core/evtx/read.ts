import { ChunkXml, type EventFields, type XElement } from './binxml';
import {
  CH_CHECKSUM,
  CH_FIRST_ID,
  CH_LAST_ID,
  CH_FREE_SPACE,
  CH_RECORDS_CHECKSUM,
  CHUNK_BYTES,
  CHUNK_HEADER_BYTES,
  CHUNK_MAGIC,
  crc32,
  FH_CHECKED_BYTES,
  FH_CHECKSUM,
  FILE_HEADER_BYTES,
  isEvtx,
  RECORD_HEADER_BYTES,
  RECORD_MAGIC,
  startsWith,
} from './layout';
import { errorMessage } from '../util/errorMessage';
import { EvtxError } from './values';

/** One event record, as the differential test compares it and the endpoint mapping takes it. */
export interface EvtxRecord {
  /** The record's identifier (EventRecordID), from its header. */
  recordId: number;
  eventId: number;
  /** System/TimeCreated/@SystemTime as UTC epoch ms (NaN when missing); the text keeps its 100 ns. */
  time: number;
  systemTime: string;
  computer: string;
  provider: string;
  channel: string;
  /** EventData's `Data` values by their Name (unnamed ones as `Data[1]`, ...), or UserData's leaf elements by name. */
  data: Record<string, string>;
  /** The record's offset in the file. */
  offset: number;
}

/**
 * Damage met while reading: the file header (`header`: its checksum or
 * signature; the chunks are read all the same), a chunk (`chunk`: none of its
 * records could be read, or its checksums do not match and its records were
 * read unverified: `checksum`), or one record (`record`).
 */
export interface EvtxDamage {
  kind: 'header' | 'chunk' | 'checksum' | 'record';
  /** File offset of the header, chunk or record. */
  offset: number;
  /** What was wrong, in words. */
  reason: string;
}

export interface EvtxVisitor {
  record(rec: EvtxRecord): void;
  damage(d: EvtxDamage): void;
}

function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

/** Checks the 4 KB file header; the chunks are read whatever it says (a "dirty" file's counts lag its chunks). */
function checkFileHeader(bytes: Uint8Array, visitor: EvtxVisitor): void {
  if (!isEvtx(bytes)) {
    visitor.damage({ kind: 'header', offset: 0, reason: 'no EVTX file signature (ElfFile)' });
    return;
  }
  if (bytes.length < FILE_HEADER_BYTES) {
    visitor.damage({ kind: 'header', offset: 0, reason: `the file header is cut short (${bytes.length} bytes)` });
    return;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stored = view.getUint32(FH_CHECKSUM, true);
  const actual = crc32(bytes, 0, FH_CHECKED_BYTES);
  if (stored !== actual)
    visitor.damage({
      kind: 'header',
      offset: 0,
      reason: `file header checksum ${hex(stored)} does not match its content (${hex(actual)}); the chunks were read all the same`,
    });
}

/**
 * Reads a part of an EVTX file that starts at file offset `offset`: the file
 * header when `offset` is 0, then whole chunks (the last may be cut short,
 * where the file is). Parts cut at chunk boundaries are read on their own.
 */
export function readEvtxPart(bytes: Uint8Array, offset: number, visitor: EvtxVisitor): void {
  let at = 0;
  if (offset === 0) {
    checkFileHeader(bytes.subarray(0, FILE_HEADER_BYTES), visitor);
    at = FILE_HEADER_BYTES;
  }
  for (; at < bytes.length; at += CHUNK_BYTES) {
    readChunk(bytes.subarray(at, Math.min(bytes.length, at + CHUNK_BYTES)), offset + at, visitor);
  }
}

function allZero(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (bytes[i] !== 0) return false;
  return true;
}

/** Reads one chunk (`bytes`, at file offset `offset`): its records in order, its damage named. */
function readChunk(bytes: Uint8Array, offset: number, visitor: EvtxVisitor): void {
  if (!startsWith(bytes, CHUNK_MAGIC)) {
    // Space never written as a chunk (allocated ahead, zeros or a fill pattern) loses nothing; a chunk
    // whose header is damaged is known by the records still in it.
    const records = countRecords(bytes);
    if (records > 0)
      visitor.damage({
        kind: 'chunk',
        offset,
        reason: `no chunk signature (ElfChnk): the ${records} records in it could not be read`,
      });
    return;
  }
  if (bytes.length < CHUNK_HEADER_BYTES) {
    visitor.damage({ kind: 'chunk', offset, reason: `the file ends inside the chunk's header (${bytes.length} bytes)` });
    return;
  }
  // The chunk's damage is told once its records are read, naming those its header lists that were not read.
  const held: EvtxDamage[] = [];
  const ids = new Set<number>();
  readChunkRecords(bytes, offset, {
    record(rec) {
      ids.add(rec.recordId);
      visitor.record(rec);
    },
    damage: (d) => held.push(d),
  });
  if (held.length > 0) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const first = Number(view.getBigUint64(CH_FIRST_ID, true));
    const last = Number(view.getBigUint64(CH_LAST_ID, true));
    const missing = last >= first && last - first < 100_000 ? idRanges(first, last, ids) : '';
    if (missing !== '')
      held[held.length - 1].reason +=
        `; by its header the chunk holds records ${first}-${last}, of which ${missing} were not read`;
  }
  for (const d of held) visitor.damage(d);
}

/** Runs of the ids in `[first, last]` not in `seen`, as `5-9, 12`. */
function idRanges(first: number, last: number, seen: ReadonlySet<number>): string {
  const runs: string[] = [];
  for (let id = first; id <= last; id++) {
    if (seen.has(id)) continue;
    const start = id;
    while (id + 1 <= last && !seen.has(id + 1)) id++;
    runs.push(start === id ? `${start}` : `${start}-${id}`);
  }
  return runs.join(', ');
}

/** A chunk with its signature and header: its checksums checked, its records read. */
function readChunkRecords(bytes: Uint8Array, offset: number, visitor: EvtxVisitor): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const short = bytes.length < CHUNK_BYTES;
  if (short)
    visitor.damage({
      kind: 'chunk',
      offset,
      reason: `the file ends inside this chunk (${bytes.length} of ${CHUNK_BYTES} bytes): records past the end are lost`,
    });
  const free = view.getUint32(CH_FREE_SPACE, true);
  const freeOk = free >= CHUNK_HEADER_BYTES && free <= CHUNK_BYTES;
  const end = freeOk ? Math.min(free, bytes.length) : bytes.length;
  const headerCrc = crc32(bytes, CH_CHECKSUM + 4, CHUNK_HEADER_BYTES, crc32(bytes, 0, 120));
  const problems: string[] = [];
  if (!freeOk) problems.push(`its free space offset ${free} is outside the chunk`);
  if (headerCrc !== view.getUint32(CH_CHECKSUM, true)) problems.push('its header checksum does not match');
  if (!short && freeOk && crc32(bytes, CHUNK_HEADER_BYTES, end) !== view.getUint32(CH_RECORDS_CHECKSUM, true))
    problems.push("its records' checksum does not match");
  if (problems.length > 0)
    visitor.damage({ kind: 'checksum', offset, reason: `${problems.join(', and ')}: its records were read unverified` });
  readRecords(bytes, view, offset, end, visitor);
}

/** The records of a chunk from its header to `end`; after a damaged record, the next whole one is looked for. */
function readRecords(bytes: Uint8Array, view: DataView, offset: number, end: number, visitor: EvtxVisitor): void {
  const xml = new ChunkXml(bytes);
  let p = CHUNK_HEADER_BYTES;
  while (p + RECORD_HEADER_BYTES <= end) {
    const size = recordSize(view, p, end);
    if (size === 0) {
      // Nothing but zeros left: the chunk's unused end (a free space offset that was not kept up to date).
      if (allZero(bytes, p, end)) return;
      const next = nextRecord(view, p + 1, end);
      const lost = next === -1 ? end - p : next - p;
      visitor.damage({
        kind: 'record',
        offset: offset + p,
        reason: `no readable record here (bad signature or size): ${lost} bytes passed over`,
      });
      if (next === -1) return;
      p = next;
      continue;
    }
    const recordId = Number(view.getBigUint64(p + 8, true));
    let rec: EvtxRecord | null = null;
    try {
      const start = p + RECORD_HEADER_BYTES;
      const fields = xml.fields(start, p + size - 4) ?? fieldsOf(xml.element(start, p + size - 4));
      rec = record(fields, recordId, offset + p);
    } catch (e) {
      // Whatever a damaged record makes the reader meet, it costs that record, never the file.
      const why = e instanceof EvtxError ? e.message : `${e instanceof Error ? e.name : 'error'}: ${errorMessage(e)}`;
      visitor.damage({ kind: 'record', offset: offset + p, reason: `record ${recordId} could not be read: ${why}` });
    }
    if (rec !== null) visitor.record(rec);
    p += size;
  }
}

/** The size of a record whose signature and both size fields agree at `p`, else 0. */
function recordSize(view: DataView, p: number, end: number): number {
  if (view.getUint32(p, true) !== RECORD_MAGIC) return 0;
  const size = view.getUint32(p + 4, true);
  if (size < RECORD_HEADER_BYTES + 4 || p + size > end || size % 8 !== 0) return 0;
  return view.getUint32(p + size - 4, true) === size ? size : 0;
}

function countRecords(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let n = 0;
  for (let p = nextRecord(view, CHUNK_HEADER_BYTES, bytes.length); p !== -1; p = nextRecord(view, p + 1, bytes.length)) n++;
  return n;
}

function nextRecord(view: DataView, from: number, end: number): number {
  for (let p = from; p + RECORD_HEADER_BYTES <= end; p++) if (recordSize(view, p, end) !== 0) return p;
  return -1;
}

function child(el: XElement, name: string): XElement | undefined {
  for (const c of el.children) if (typeof c !== 'string' && c.name === name) return c;
  return undefined;
}

function attr(el: XElement | undefined, name: string): string {
  if (el === undefined) return '';
  for (const [n, v] of el.attrs) if (n === name) return v;
  return '';
}

/** An element's own text (its direct text children, joined). */
function textOf(el: XElement | undefined): string {
  if (el === undefined) return '';
  let s = '';
  for (const c of el.children) if (typeof c === 'string') s += c;
  return s;
}

const SYSTEM_TIME = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d+))?Z$/;

function digits(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return NaN;
    n = n * 10 + d;
  }
  return n;
}

function systemTimeMs(text: string): number {
  // The shape values.ts writes (`2017-12-26T13:10:29.136879200Z`), read by position; any other by the pattern.
  if (text.length === 30 && text[4] === '-' && text[10] === 'T' && text[19] === '.' && text[29] === 'Z') {
    const ms = Date.UTC(
      digits(text, 0, 4),
      digits(text, 5, 7) - 1,
      digits(text, 8, 10),
      digits(text, 11, 13),
      digits(text, 14, 16),
      digits(text, 17, 19),
      digits(text, 20, 23),
    );
    if (!Number.isNaN(ms)) return ms;
  }
  const m = SYSTEM_TIME.exec(text);
  if (m === null) return NaN;
  const ms = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], ms);
}

/** Leaf elements under `el` by name, deeper ones by their path (`A/B`). */
function leaves(el: XElement, prefix: string, out: [string, string][]): void {
  for (const c of el.children) {
    if (typeof c === 'string') continue;
    const name = prefix + c.name;
    if (c.children.some((x) => typeof x !== 'string')) leaves(c, `${name}/`, out);
    else out.push([name, textOf(c)]);
  }
}

/** The fields of an event read as XML, as the template plan gives them (binxml.ts EventFields). */
function fieldsOf(event: XElement): EventFields {
  if (event.name !== 'Event') throw new EvtxError(`an event element named ${event.name}`);
  const system = child(event, 'System');
  if (system === undefined) throw new EvtxError('an event without System');
  const data: [string, string][] = [];
  const eventData = child(event, 'EventData');
  const userData = child(event, 'UserData');
  if (eventData !== undefined) {
    for (const c of eventData.children)
      if (typeof c !== 'string') data.push([c.name === 'Data' ? attr(c, 'Name') : c.name, textOf(c)]);
  } else if (userData !== undefined) {
    for (const c of userData.children) if (typeof c !== 'string') leaves(c, '', data);
  }
  return {
    provider: attr(child(system, 'Provider'), 'Name'),
    eventId: textOf(child(system, 'EventID')),
    systemTime: attr(child(system, 'TimeCreated'), 'SystemTime'),
    computer: textOf(child(system, 'Computer')),
    channel: textOf(child(system, 'Channel')),
    data,
  };
}

function record(f: EventFields, recordId: number, offset: number): EvtxRecord {
  // No prototype: a field may be named `__proto__` or `constructor`.
  const data = Object.create(null) as Record<string, string>;
  let unnamed = 0;
  for (const [name, value] of f.data) {
    const key = name === '' ? `Data[${++unnamed}]` : name;
    // A name given twice (as an array's items are) keeps every value, a line apart.
    data[key] = Object.hasOwn(data, key) ? `${data[key]}\n${value}` : value;
  }
  const id = f.eventId.trim();
  return {
    recordId,
    eventId: /^\d+$/.test(id) ? Number(id) : NaN,
    time: systemTimeMs(f.systemTime),
    systemTime: f.systemTime,
    computer: f.computer,
    provider: f.provider,
    channel: f.channel,
    data,
    offset,
  };
}
