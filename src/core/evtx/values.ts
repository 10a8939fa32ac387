/**
 * BinXML value types (MS-EVEN6 2.2.12 "Value types") and their text, written
 * as libevtx's `evtxexport` writes them (the reference the differential test
 * holds the reader to): hex integers zero-padded, GUIDs upper case in braces,
 * FILETIME with seven decimals and two zeros.
 */

export const T_NULL = 0x00;
export const T_STRING = 0x01;
export const T_ANSI = 0x02;
export const T_INT8 = 0x03;
export const T_UINT8 = 0x04;
export const T_INT16 = 0x05;
export const T_UINT16 = 0x06;
export const T_INT32 = 0x07;
export const T_UINT32 = 0x08;
export const T_INT64 = 0x09;
export const T_UINT64 = 0x0a;
export const T_REAL32 = 0x0b;
export const T_REAL64 = 0x0c;
export const T_BOOL = 0x0d;
export const T_BINARY = 0x0e;
export const T_GUID = 0x0f;
export const T_SIZET = 0x10;
export const T_FILETIME = 0x11;
export const T_SYSTEMTIME = 0x12;
export const T_SID = 0x13;
export const T_HEX32 = 0x14;
export const T_HEX64 = 0x15;
export const T_BINXML = 0x21;
/** Set on a type for an array of it (a string array: NUL-terminated strings one after another). */
export const T_ARRAY = 0x80;

/** A value's fault, named for the damage report. */
export class EvtxError extends Error {}

/** UTF-16LE code units `bytes[start, end)` as text, stopping at a NUL (values are often NUL-terminated). */
export function utf16(bytes: Uint8Array, start: number, end: number): string {
  let stop = start;
  while (stop + 1 < end && (bytes[stop] | bytes[stop + 1]) !== 0) stop += 2;
  const n = (stop - start) >> 1;
  if (n === 0) return '';
  if (((bytes.byteOffset + start) & 1) === 0 && n <= 4096) {
    // Aligned: the units are read in place, with no copy (the platforms core runs on are little-endian).
    return String.fromCharCode.apply(null, new Uint16Array(bytes.buffer, bytes.byteOffset + start, n) as unknown as number[]);
  }
  let s = '';
  for (let i = start; i < stop; i += 2) s += String.fromCharCode(bytes[i] | (bytes[i + 1] << 8));
  return s;
}

/** Windows-1252 text (the evtxexport default code page for ANSI strings), to a NUL. */
function ansi(bytes: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) {
    const b = bytes[i];
    if (b === 0) break;
    s += String.fromCharCode(b >= 0x80 && b < 0xa0 ? (CP1252[b - 0x80] ?? b) : b);
  }
  return s;
}

// Windows-1252's 0x80-0x9f, where it differs from Latin-1 (undefined ones stay as they are).
const CP1252: (number | undefined)[] = [
  0x20ac,
  undefined,
  0x201a,
  0x0192,
  0x201e,
  0x2026,
  0x2020,
  0x2021,
  0x02c6,
  0x2030,
  0x0160,
  0x2039,
  0x0152,
  undefined,
  0x017d,
  undefined,
  undefined,
  0x2018,
  0x2019,
  0x201c,
  0x201d,
  0x2022,
  0x2013,
  0x2014,
  0x02dc,
  0x2122,
  0x0161,
  0x203a,
  0x0153,
  undefined,
  0x017e,
  0x0178,
];

const HEX = '0123456789abcdef';

function hexByte(b: number, upper: boolean): string {
  const s = HEX[b >> 4] + HEX[b & 15];
  return upper ? s.toUpperCase() : s;
}

function u64(view: DataView, at: number): bigint {
  return view.getBigUint64(at, true);
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

const FILETIME_UNIX = 116444736000000000n;

/** A FILETIME (100 ns ticks since 1601) as `2017-12-26T13:10:29.136879200Z`. */
function filetimeText(ticks: bigint): string {
  const since = ticks - FILETIME_UNIX;
  const seconds = since >= 0n ? since / 10_000_000n : (since - 9_999_999n) / 10_000_000n;
  const frac = Number(since - seconds * 10_000_000n);
  const d = new Date(Number(seconds) * 1000);
  if (Number.isNaN(d.getTime())) return '';
  const y = d.getUTCFullYear();
  return (
    `${String(y).padStart(4, '0')}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}T` +
    `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}.${String(frac).padStart(7, '0')}00Z`
  );
}

function guidText(b: Uint8Array, at: number): string {
  const h = (i: number): string => hexByte(b[at + i], true);
  return (
    `{${h(3)}${h(2)}${h(1)}${h(0)}-${h(5)}${h(4)}-${h(7)}${h(6)}-${h(8)}${h(9)}-` +
    `${h(10)}${h(11)}${h(12)}${h(13)}${h(14)}${h(15)}}`
  );
}

function sidText(b: Uint8Array, view: DataView, at: number, size: number): string {
  if (size < 8) throw new EvtxError(`a SID of ${size} bytes`);
  const count = b[at + 1];
  if (8 + 4 * count > size) throw new EvtxError(`a SID of ${count} parts in ${size} bytes`);
  let authority = 0;
  for (let i = 2; i < 8; i++) authority = authority * 256 + b[at + i];
  let s = `S-${b[at]}-${authority}`;
  for (let i = 0; i < count; i++) s += `-${view.getUint32(at + 8 + 4 * i, true)}`;
  return s;
}

function systemtimeText(view: DataView, at: number): string {
  const w = (i: number): number => view.getUint16(at + 2 * i, true);
  return (
    `${String(w(0)).padStart(4, '0')}-${pad2(w(1))}-${pad2(w(3))}T${pad2(w(4))}:${pad2(w(5))}:${pad2(w(6))}.` +
    `${String(w(7)).padStart(3, '0')}Z`
  );
}

function hex(value: bigint, digits: number): string {
  return `0x${value.toString(16).padStart(digits, '0')}`;
}

/** The size of one element of a fixed-size type; 0 for the types of variable size. */
function fixedSize(type: number): number {
  switch (type) {
    case T_INT8:
    case T_UINT8:
      return 1;
    case T_INT16:
    case T_UINT16:
      return 2;
    case T_INT32:
    case T_UINT32:
    case T_REAL32:
    case T_BOOL:
    case T_HEX32:
      return 4;
    case T_INT64:
    case T_UINT64:
    case T_REAL64:
    case T_FILETIME:
    case T_HEX64:
      return 8;
    case T_GUID:
    case T_SYSTEMTIME:
      return 16;
    default:
      return 0;
  }
}

/**
 * The text of a value of `type` held in `bytes[at, at + size)` (not BinXML,
 * which the caller expands). An array's elements are joined by a line feed
 * (evtxexport writes one element per item; read.ts joins repeated names alike).
 */
export function valueText(bytes: Uint8Array, view: DataView, type: number, at: number, size: number): string {
  if (at + size > bytes.length) throw new EvtxError(`a value runs past its chunk (${size} bytes at ${at})`);
  if (type & T_ARRAY) return arrayText(bytes, view, type & ~T_ARRAY, at, size);
  const need = fixedSize(type);
  if (need !== 0 && size < need) throw new EvtxError(`a value of type 0x${type.toString(16)} in ${size} bytes`);
  switch (type) {
    case T_NULL:
      return '';
    case T_STRING:
      return utf16(bytes, at, at + size);
    case T_ANSI:
      return ansi(bytes, at, at + size);
    case T_INT8:
      return String(view.getInt8(at));
    case T_UINT8:
      return String(bytes[at]);
    case T_INT16:
      return String(view.getInt16(at, true));
    case T_UINT16:
      return String(view.getUint16(at, true));
    case T_INT32:
      return String(view.getInt32(at, true));
    case T_UINT32:
      return String(view.getUint32(at, true));
    case T_INT64:
      return String(view.getBigInt64(at, true));
    case T_UINT64:
      return String(u64(view, at));
    case T_REAL32:
      return realText(view.getFloat32(at, true));
    case T_REAL64:
      return realText(view.getFloat64(at, true));
    case T_BOOL:
      return view.getUint32(at, true) !== 0 ? 'true' : 'false';
    case T_BINARY: {
      let s = '';
      for (let i = 0; i < size; i++) s += hexByte(bytes[at + i], true);
      return s;
    }
    case T_GUID:
      return guidText(bytes, at);
    case T_SIZET:
      if (size === 4) return String(view.getUint32(at, true));
      if (size === 8) return String(u64(view, at));
      throw new EvtxError(`a SizeT of ${size} bytes`);
    case T_FILETIME:
      return filetimeText(u64(view, at));
    case T_SYSTEMTIME:
      return systemtimeText(view, at);
    case T_SID:
      return sidText(bytes, view, at, size);
    case T_HEX32:
      return hex(BigInt(view.getUint32(at, true)), 8);
    case T_HEX64:
      return hex(u64(view, at), 16);
    default:
      throw new EvtxError(`a value of unknown type 0x${type.toString(16)}`);
  }
}

/** A float as evtxexport writes it (C's `%e` with a three-digit exponent: `3.500000e+000`). */
function realText(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const [mantissa, exponent] = v.toExponential(6).split('e');
  const sign = exponent.startsWith('-') ? '-' : '+';
  return `${mantissa}e${sign}${exponent.replace(/^[-+]/, '').padStart(3, '0')}`;
}

function arrayText(bytes: Uint8Array, view: DataView, type: number, at: number, size: number): string {
  const parts: string[] = [];
  if (type === T_STRING) {
    // NUL-terminated UTF-16 strings, one after another.
    let start = at;
    for (let i = at; i + 1 < at + size; i += 2) {
      if (bytes[i] === 0 && bytes[i + 1] === 0) {
        parts.push(utf16(bytes, start, i));
        start = i + 2;
      }
    }
    if (start + 1 < at + size) parts.push(utf16(bytes, start, at + size));
    return parts.join('\n');
  }
  if (type === T_ANSI) {
    let start = at;
    for (let i = at; i < at + size; i++) {
      if (bytes[i] === 0) {
        parts.push(ansi(bytes, start, i));
        start = i + 1;
      }
    }
    if (start < at + size) parts.push(ansi(bytes, start, at + size));
    return parts.join('\n');
  }
  const each = type === T_SIZET ? 8 : type === T_SID ? 0 : fixedSize(type);
  if (each === 0) throw new EvtxError(`an array of type 0x${type.toString(16)}`);
  if (size % each !== 0) throw new EvtxError(`an array of ${size} bytes of ${each}-byte values`);
  for (let i = at; i < at + size; i += each) parts.push(valueText(bytes, view, type, i, each));
  return parts.join('\n');
}
