import {
  CH_CHECKSUM,
  CH_FREE_SPACE,
  CH_RECORDS_CHECKSUM,
  CHUNK_BYTES,
  CHUNK_HEADER_BYTES,
  CHUNK_MAGIC,
  crc32,
  FH_CHECKED_BYTES,
  FH_CHECKSUM,
  FILE_HEADER_BYTES,
  FILE_MAGIC,
  RECORD_MAGIC,
} from './layout';
import { T_FILETIME, T_HEX64, T_NULL, T_STRING, T_UINT16, T_UINT64, T_UINT8 } from './values';

/** A value of another type than text: its BinXML type (values.ts) and its bytes as the format holds them. */
export interface TypedValue {
  type: number;
  bytes: Uint8Array;
}

/** One event to write (an EventData `Data` element per entry of `data`, in order). */
export interface WindowsEventToWrite {
  eventId: number;
  provider: string;
  channel: string;
  computer: string;
  /** UTC epoch ms (TimeCreated/@SystemTime). */
  time: number;
  /** EventRecordID; by default one more than the event before (the first is 1). */
  recordId?: number;
  data: [name: string, value: string | TypedValue][];
}

const EVENT_NS = 'http://schemas.microsoft.com/win/2004/08/events/event';
/** Windows leaves a record's header and template instance this much room before it starts a new chunk. */
const MAX_RECORD_BYTES = CHUNK_BYTES - CHUNK_HEADER_BYTES;

/** A growing little-endian byte buffer. */
class Bytes {
  buf = new Uint8Array(1024);
  len = 0;

  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const bigger = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    bigger.set(this.buf.subarray(0, this.len));
    this.buf = bigger;
  }

  u8(v: number): void {
    this.room(1);
    this.buf[this.len++] = v;
  }

  u16(v: number): void {
    this.room(2);
    this.buf[this.len++] = v & 0xff;
    this.buf[this.len++] = (v >>> 8) & 0xff;
  }

  u32(v: number): void {
    this.u16(v & 0xffff);
    this.u16(v >>> 16);
  }

  u64(v: bigint): void {
    this.u32(Number(v & 0xffffffffn));
    this.u32(Number(v >> 32n));
  }

  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  utf16(s: string): void {
    for (let i = 0; i < s.length; i++) this.u16(s.charCodeAt(i));
  }

  setU32(at: number, v: number): void {
    this.buf[at] = v & 0xff;
    this.buf[at + 1] = (v >>> 8) & 0xff;
    this.buf[at + 2] = (v >>> 16) & 0xff;
    this.buf[at + 3] = (v >>> 24) & 0xff;
  }

  view(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }
}

function utf16Bytes(s: string): Uint8Array {
  const out = new Uint8Array(2 * s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out[2 * i] = c & 0xff;
    out[2 * i + 1] = c >>> 8;
  }
  return out;
}

function le(n: number, v: bigint): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = Number((v >> BigInt(8 * i)) & 0xffn);
  return out;
}

/** The hash of a name in a chunk's string table (a multiply-by-65599 hash of its UTF-16 units, low 16 bits). */
function nameHash(name: string): number {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (Math.imul(h, 65599) + name.charCodeAt(i)) >>> 0;
  return h & 0xffff;
}

/** One template: the System part and one `Data` per name, each filled by a substitution. */
interface TemplateKey {
  key: string;
  names: string[];
  types: number[];
}

const SYSTEM_SUBSTITUTIONS = 8;

/** One chunk being filled: records go in from offset 512, names and templates are defined where first used. */
class ChunkWriter {
  readonly out = new Bytes();
  private readonly names = new Map<string, number>();
  private readonly nameBuckets = new Array<number>(64).fill(0);
  private readonly templates = new Map<string, number>();
  private readonly templateBuckets = new Array<number>(32).fill(0);
  firstId = -1;
  lastId = -1;
  lastRecord = 0;

  constructor() {
    this.out.bytes(new Uint8Array(CHUNK_HEADER_BYTES));
  }

  /** Names and templates defined by the record being written: taken back if it does not fit. */
  private undo: (() => void)[] = [];

  /** A record for `ev`, or false when it does not fit (the chunk is left as it was). */
  add(ev: WindowsEventToWrite, id: number): boolean {
    const mark = this.out.len;
    this.undo = [];
    this.record(ev, id);
    if (this.out.len > CHUNK_BYTES) {
      this.out.len = mark;
      for (const u of this.undo.reverse()) u();
      return false;
    }
    if (this.firstId === -1) this.firstId = id;
    this.lastId = id;
    this.lastRecord = mark;
    return true;
  }

  private record(ev: WindowsEventToWrite, id: number): void {
    const o = this.out;
    const start = o.len;
    const ticks = BigInt(Math.round(ev.time)) * 10_000n + 116444736000000000n;
    o.u32(RECORD_MAGIC);
    o.u32(0);
    o.u64(BigInt(id));
    o.u64(ticks);
    o.bytes(new Uint8Array([0x0f, 0x01, 0x01, 0x00]));
    const values: TypedValue[] = [
      { type: T_STRING, bytes: utf16Bytes(ev.provider) },
      { type: T_UINT16, bytes: le(2, BigInt(ev.eventId & 0xffff)) },
      { type: T_UINT8, bytes: new Uint8Array([4]) },
      { type: T_HEX64, bytes: le(8, 0x8000000000000000n) },
      { type: T_FILETIME, bytes: le(8, ticks) },
      { type: T_UINT64, bytes: le(8, BigInt(id)) },
      { type: T_STRING, bytes: utf16Bytes(ev.channel) },
      { type: T_STRING, bytes: utf16Bytes(ev.computer) },
      ...ev.data.map(([, v]) => (typeof v === 'string' ? { type: T_STRING, bytes: utf16Bytes(v) } : v)),
    ];
    const t: TemplateKey = {
      key: '',
      names: ev.data.map(([n]) => n),
      types: values.map((v) => v.type),
    };
    t.key = JSON.stringify([t.names, t.types]);
    this.instance(t, values);
    o.u8(0x00);
    // Records are 8-byte aligned in the chunks Windows writes.
    while ((o.len + 4 - start) % 8 !== 0) o.u8(0);
    const size = o.len + 4 - start;
    o.u32(size);
    o.setU32(start + 4, size);
    if (size > MAX_RECORD_BYTES) o.len = CHUNK_BYTES + 1;
  }

  private instance(t: TemplateKey, values: TypedValue[]): void {
    const o = this.out;
    o.u8(0x0c);
    o.u8(0x01);
    const known = this.templates.get(t.key);
    const templateId = known ?? (this.templates.size + 1) * 0x01010101;
    o.u32(templateId >>> 0);
    if (known !== undefined) {
      o.u32(known);
    } else {
      const at = o.len + 4;
      o.u32(at);
      this.templates.set(t.key, at);
      const bucket = (templateId >>> 0) % 32;
      const head = this.templateBuckets[bucket];
      o.u32(head);
      this.templateBuckets[bucket] = at;
      this.undo.push(() => {
        this.templates.delete(t.key);
        this.templateBuckets[bucket] = head;
      });
      o.u32(templateId >>> 0);
      o.bytes(new Uint8Array(12));
      const sizeAt = o.len;
      o.u32(0);
      this.definition(t);
      o.setU32(sizeAt, o.len - sizeAt - 4);
    }
    o.u32(values.length);
    for (const v of values) {
      o.u16(v.bytes.length);
      o.u8(v.bytes.length === 0 && v.type === T_STRING ? T_NULL : v.type);
      o.u8(0);
    }
    for (const v of values) o.bytes(v.bytes);
  }

  /** The template's BinXML: the event's elements, substitutions where each record's values go. */
  private definition(t: TemplateKey): void {
    const o = this.out;
    o.bytes(new Uint8Array([0x0f, 0x01, 0x01, 0x00]));
    const subst = (i: number): void => {
      o.u8(0x0e);
      o.u16(i);
      o.u8(t.types[i]);
    };
    this.element('Event', [['xmlns', EVENT_NS]], () => {
      this.element('System', [], () => {
        this.element('Provider', [['Name', 0]], null, subst);
        this.element('EventID', [], () => subst(1));
        this.element('Level', [], () => subst(2));
        this.element('Keywords', [], () => subst(3));
        this.element('TimeCreated', [['SystemTime', 4]], null, subst);
        this.element('EventRecordID', [], () => subst(5));
        this.element('Channel', [], () => subst(6));
        this.element('Computer', [], () => subst(7));
      });
      this.element('EventData', [], () => {
        t.names.forEach((name, i) => this.element('Data', [['Name', name]], () => subst(SYSTEM_SUBSTITUTIONS + i)));
      });
    });
    o.u8(0x00);
  }

  /** An element: attributes given as text or as a substitution's index; `content` writes what is inside it. */
  private element(
    name: string,
    attrs: [string, string | number][],
    content: (() => void) | null,
    subst?: (i: number) => void,
  ): void {
    const o = this.out;
    o.u8(attrs.length > 0 ? 0x41 : 0x01);
    o.u16(0xffff);
    const sizeAt = o.len;
    o.u32(0);
    this.name(name);
    if (attrs.length > 0) {
      const listAt = o.len;
      o.u32(0);
      attrs.forEach(([an, av], i) => {
        o.u8(i < attrs.length - 1 ? 0x46 : 0x06);
        this.name(an);
        if (typeof av === 'number') {
          subst?.(av);
        } else {
          o.u8(0x05);
          o.u8(T_STRING);
          o.u16(av.length);
          o.utf16(av);
        }
      });
      o.setU32(listAt, o.len - listAt - 4);
    }
    if (content === null) {
      o.u8(0x03);
    } else {
      o.u8(0x02);
      content();
      o.u8(0x04);
    }
    o.setU32(sizeAt, o.len - sizeAt - 4);
  }

  /** A name's offset, with the name itself written here the first time it is used in the chunk. */
  private name(name: string): void {
    const o = this.out;
    const known = this.names.get(name);
    if (known !== undefined) {
      o.u32(known);
      return;
    }
    const at = o.len + 4;
    o.u32(at);
    const hash = nameHash(name);
    const bucket = hash % 64;
    const head = this.nameBuckets[bucket];
    o.u32(head);
    this.nameBuckets[bucket] = at;
    this.names.set(name, at);
    this.undo.push(() => {
      this.names.delete(name);
      this.nameBuckets[bucket] = head;
    });
    o.u16(hash);
    o.u16(name.length);
    o.utf16(name);
    o.u16(0);
  }

  /** The finished chunk: its header, tables and checksums filled in. */
  finish(): Uint8Array {
    const chunk = new Uint8Array(CHUNK_BYTES);
    chunk.set(this.out.view());
    const view = new DataView(chunk.buffer);
    chunk.set(CHUNK_MAGIC, 0);
    view.setBigUint64(8, BigInt(this.firstId), true);
    view.setBigUint64(16, BigInt(this.lastId), true);
    view.setBigUint64(24, BigInt(this.firstId), true);
    view.setBigUint64(32, BigInt(this.lastId), true);
    view.setUint32(40, 128, true);
    view.setUint32(44, this.lastRecord, true);
    view.setUint32(CH_FREE_SPACE, this.out.len, true);
    view.setUint32(CH_RECORDS_CHECKSUM, crc32(chunk, CHUNK_HEADER_BYTES, this.out.len), true);
    view.setUint32(120, 1, true);
    for (let i = 0; i < 64; i++) view.setUint32(128 + 4 * i, this.nameBuckets[i], true);
    for (let i = 0; i < 32; i++) view.setUint32(384 + 4 * i, this.templateBuckets[i], true);
    view.setUint32(CH_CHECKSUM, crc32(chunk, CH_CHECKSUM + 4, CHUNK_HEADER_BYTES, crc32(chunk, 0, 120)), true);
    return chunk;
  }
}

/**
 * An EVTX file holding `events` in order, as Windows writes one: a file
 * header, 64 KB chunks each with its own names and templates (one template
 * per provider, event id and field set, defined where first used), records
 * of BinXML with a template instance and its substitution values, valid
 * checksums throughout. An event too big for a chunk is a thrown error.
 */
export function writeEvtx(events: WindowsEventToWrite[]): Uint8Array {
  const chunks: Uint8Array[] = [];
  let chunk = new ChunkWriter();
  let id = 0;
  for (const ev of events) {
    id = ev.recordId ?? id + 1;
    if (chunk.add(ev, id)) continue;
    if (chunk.firstId === -1) throw new Error(`event ${id} is too big for one EVTX chunk`);
    chunks.push(chunk.finish());
    chunk = new ChunkWriter();
    if (!chunk.add(ev, id)) throw new Error(`event ${id} is too big for one EVTX chunk`);
  }
  if (chunk.firstId !== -1) chunks.push(chunk.finish());
  const out = new Uint8Array(FILE_HEADER_BYTES + CHUNK_BYTES * chunks.length);
  const view = new DataView(out.buffer);
  out.set(FILE_MAGIC, 0);
  view.setBigUint64(8, 0n, true);
  view.setBigUint64(16, BigInt(Math.max(0, chunks.length - 1)), true);
  view.setBigUint64(24, BigInt(id + 1), true);
  view.setUint32(32, 128, true);
  view.setUint16(36, 1, true);
  view.setUint16(38, 3, true);
  view.setUint16(40, FILE_HEADER_BYTES, true);
  view.setUint16(42, chunks.length, true);
  view.setUint32(FH_CHECKSUM, crc32(out, 0, FH_CHECKED_BYTES), true);
  chunks.forEach((c, i) => out.set(c, FILE_HEADER_BYTES + CHUNK_BYTES * i));
  return out;
}
