/**
 * PAN-OS lines read from bytes (the part of a file a parse worker is given),
 * exactly as readLines (lines.ts) and PanosReader read them decoded, without
 * decoding what no row needs: the structural index (structural.ts) says where
 * the lines and their fields are, and a field becomes a string only when the
 * reader asks for it. Lines the index marks slow (any byte >= 0x80, or quotes
 * PapaParse might read otherwise) are decoded whole and read as before, so
 * multi-byte and invalid UTF-8 read exactly as they always did.
 */
import type { TimeParser } from '../util/time';
import { isTrimmedSpace } from '../util/strings';
import type { LocatedCells } from './csvLine';
import { looksLikeTime } from './panosColumns';
import { MAX_LINE_CHARS, type LineCounts } from './lines';
import type { PanosReader } from './panos';
import type { RowSink } from './rowSink';
import { linePosition, SLOW, type StructuralIndex } from './structural';

const QUOTE = 34;
const CR = 13;
const PAIRS = /""/g;

/** The bytes start..end as text: only ever called on bytes < 0x80, whose UTF-8 reading is one character each. */
function ascii(bytes: Uint8Array, start: number, end: number): string {
  if (end - start > 64) return decoder.decode(bytes.subarray(start, end));
  // Short texts (most fields, and most URLs) are quicker made from their codes, eight at a time, than decoded:
  // TextDecoder's cost per call is highest in Chromium (40 bytes: 150 ns made, 450 ns decoded; Node 170 and 170 ns).
  let s = '';
  let i = start;
  for (; i + 8 <= end; i += 8) {
    const b = bytes;
    s += String.fromCharCode(b[i], b[i + 1], b[i + 2], b[i + 3], b[i + 4], b[i + 5], b[i + 6], b[i + 7]);
  }
  for (; i < end; i++) s += String.fromCharCode(bytes[i]);
  return s;
}
const decoder = new TextDecoder('utf-8');

/**
 * The values a log repeats (log types, subtypes, times within a second, User-Agents) are made into text
 * once: a field's bytes are hashed, and a value already made with the same bytes is handed out again,
 * which saves making it and lets the classifier's maps find it by a hash V8 already holds. Each value's
 * bytes are kept beside it, and hashed and compared four at a time (a DataView's getUint32): comparing
 * a string's characters with bytes took about twice as long per User-Agent (docs/benchmarks.md, "The byte path").
 */
const CACHE_SLOTS = 4096;
const CACHED_MAX = 256;
const cachedText: string[] = new Array<string>(CACHE_SLOTS).fill('');
/** Each slot's value's bytes, at slot * CACHED_MAX, in one buffer (a buffer per value cost more to make than to compare). */
const kept = new Uint8Array(CACHE_SLOTS * CACHED_MAX);
const keptView = new DataView(kept.buffer);
const keptLength = new Int32Array(CACHE_SLOTS).fill(-1);

/** Exported for scripts/bench-field-cache.ts, which times it. */
export function cachedAscii(bytes: Uint8Array, view: DataView<ArrayBufferLike>, start: number, end: number): string {
  const len = end - start;
  if (len === 0) return '';
  if (len > CACHED_MAX) return ascii(bytes, start, end);
  // Hashed on all its bytes: values that differ in one byte (browser versions) must not share a slot.
  let h = len;
  let i = start;
  for (; i + 4 <= end; i += 4) h = Math.imul(h ^ view.getUint32(i, true), 0x9e3779b1) ^ (h >>> 13);
  for (; i < end; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  const slot = (h ^ (h >>> 15)) & (CACHE_SLOTS - 1);
  const at = slot * CACHED_MAX;
  if (keptLength[slot] === len) {
    i = 0;
    while (i + 4 <= len && keptView.getUint32(at + i, true) === view.getUint32(start + i, true)) i += 4;
    if (i + 4 > len) {
      while (i < len && kept[at + i] === bytes[start + i]) i++;
      if (i === len) return cachedText[slot];
    }
  }
  for (i = 0; i < len; i++) kept[at + i] = bytes[start + i];
  keptLength[slot] = len;
  return (cachedText[slot] = ascii(bytes, start, end));
}

/** One ASCII line whose unquoted commas the index found: its fields, located by counting commas. */
export class ByteLine implements LocatedCells {
  count = 0;
  private located = 0;
  private bytes: Uint8Array = new Uint8Array(0);
  private view: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));
  private commas: Uint32Array = new Uint32Array(0);
  private start = 0;
  private end = 0;
  private first = 0;
  private fields = 0;

  set(bytes: Uint8Array, commas: Uint32Array, start: number, end: number, first: number, last: number): this {
    if (bytes !== this.bytes) {
      this.bytes = bytes;
      this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
    this.commas = commas;
    this.start = start;
    this.end = end;
    this.first = first;
    this.fields = last - first + 1;
    return this;
  }

  /** As CsvLine.scan: the field count up to `upTo + 1`, the first `upTo` fields located. */
  scan(upTo: number): number {
    this.count = Math.min(this.fields, upTo + 1);
    this.located = Math.min(this.fields, upTo);
    return this.count;
  }

  more(upTo: number): void {
    if (upTo <= this.located || this.count <= this.located) return;
    this.count = Math.min(this.fields, upTo + 1);
    this.located = Math.min(this.fields, upTo);
  }

  field(i: number): string {
    if (i < 0 || i >= this.located) return '';
    const { bytes } = this;
    const from = this.from(i);
    const to = this.to(i);
    if (bytes[from] !== QUOTE) return cachedAscii(bytes, this.view, from, to);
    // The index saw this line's quotes pair up at field edges: the field ends with its closing quote.
    const value = cachedAscii(bytes, this.view, from + 1, to - 1);
    return value.includes('"') ? value.replace(PAIRS, '"') : value;
  }

  isEmpty(i: number): boolean {
    if (i < 0 || i >= this.located) return true;
    const from = this.from(i);
    const to = this.to(i);
    return to === from || (to === from + 2 && this.bytes[from] === QUOTE);
  }

  firstCode(i: number): number {
    if (i < 0 || i >= this.located) return NaN;
    const from = this.from(i);
    // Quoted, or empty (the next byte is the comma or the line's end): as text.
    return this.bytes[from] === QUOTE || this.to(i) === from ? this.field(i).charCodeAt(0) : this.bytes[from];
  }

  is(i: number, text: string): boolean {
    if (i < 0 || i >= this.located) return text === '';
    const from = this.from(i);
    const { bytes } = this;
    // A quoted field may hold doubled quotes: read as text.
    if (bytes[from] === QUOTE) return this.field(i) === text;
    if (this.to(i) - from !== text.length) return false;
    for (let k = 0; k < text.length; k++) if (bytes[from + k] !== text.charCodeAt(k)) return false;
    return true;
  }

  digits(i: number, max: number): number {
    if (i < 0 || i >= this.located) return -1;
    const from = this.from(i);
    const to = this.to(i);
    if (to === from || to - from > max) return -1;
    const { bytes } = this;
    let n = 0;
    for (let k = from; k < to; k++) {
      const d = bytes[k] - 48;
      if (d < 0 || d > 9) return -1;
      n = n * 10 + d;
    }
    return n;
  }

  timeLike(i: number): boolean {
    if (i < 0 || i >= this.located) return false;
    const from = this.from(i);
    const { bytes } = this;
    if (bytes[from] === QUOTE) return looksLikeTime(this.field(i));
    return this.to(i) - from >= 19 && bytes[from + 4] === 47 && bytes[from + 7] === 47 && bytes[from + 13] === 58;
  }

  time(i: number, parse: TimeParser): number {
    if (i < 0 || i >= this.located) return parse('');
    const from = this.from(i);
    if (this.bytes[from] === QUOTE) return parse(this.field(i).trim());
    return parse.bytes(this.bytes, from, this.to(i));
  }

  /** Where field `i` (located) starts and ends. */
  private from(i: number): number {
    return i === 0 ? this.start : this.commas[this.first + i - 1] + 1;
  }

  private to(i: number): number {
    return i === this.fields - 1 ? this.end : this.commas[this.first + i];
  }

  text(max?: number): string {
    return ascii(this.bytes, this.start, max === undefined ? this.end : Math.min(this.end, this.start + max));
  }
}

/** Whether an ASCII line is only what String.prototype.trim() removes (what a CSV reader sees as no row). */
function isBlank(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    if (!isTrimmedSpace(bytes[i])) return false;
  }
  return true;
}

/**
 * Reads the lines of `bytes` (whole lines of UTF-8, the file's last line may
 * lack its line end; a byte order mark already dropped), whose structural
 * index is `index`, with a PanosReader
 * whose format is known, counting them into `counts` as readLines does.
 * `decode` turns a slow line's bytes into text as the whole part would have been.
 */
export function readPanosBytes(
  bytes: Uint8Array,
  index: StructuralIndex,
  reader: PanosReader,
  sink: RowSink,
  counts: LineCounts,
  decode: (bytes: Uint8Array) => string,
): void {
  const { table, commas } = index;
  const row = new ByteLine();
  let line = 1;
  let start = 0;
  let comma = 0;
  const readLine = (nl: number, slow: boolean, commaEnd: number): void => {
    if (slow) {
      const text = decode(bytes.subarray(start, nl));
      let end = text.length;
      if (end > 0 && text.charCodeAt(end - 1) === CR) end--;
      if (end > MAX_LINE_CHARS) sink.skip('line-too-long', line, text.slice(0, 80));
      else if (end === 0 || text.slice(0, end).trim() === '') counts.blank++;
      else reader.read(text, 0, end, line, sink);
      if (text.includes('\uFFFD')) counts.invalidUtf8Lines++;
    } else {
      const end = nl > start && bytes[nl - 1] === CR ? nl - 1 : nl;
      if (end - start > MAX_LINE_CHARS) sink.skip('line-too-long', line, ascii(bytes, start, start + 80));
      else if (isBlank(bytes, start, end)) counts.blank++;
      else reader.readLocated(row.set(bytes, commas, start, end, comma, commaEnd), line, sink);
    }
  };
  for (let i = 0; i < index.lines; i++) {
    const entry = table[2 * i];
    const nl = linePosition(entry);
    const commaEnd = table[2 * i + 1];
    readLine(nl, (entry & SLOW) !== 0, commaEnd);
    line++;
    start = nl + 1;
    comma = commaEnd;
  }
  if (start < bytes.length) {
    readLine(bytes.length, index.tailSlow, index.commaCount);
    line++;
  }
  counts.lines += line - 1;
}
