import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CHUNK_BYTES, FILE_HEADER_BYTES } from '../../src/core/evtx/layout';
import * as V from '../../src/core/evtx/values';
import { writeEvtx, type TypedValue, type WindowsEventToWrite } from '../../src/core/evtx/write';
import { evtxexport, ours, withoutOffset, type Compared } from '../helpers/evtxexport';
import { samplesFolder } from '../helpers/samples';
import { CASES_DIR, caseNames } from '../helpers/cases';

// The differential test of the EVTX reader (src/core/evtx/read.ts): every record Debian's libevtx
// (evtxexport) reads from a file, ours reads the same (event id, time, computer, provider, channel,
// every EventData/UserData value by name). Where ours reads more (it reads on past a damaged record,
// to the next whole one), each extra record is one evtxexport finds too in its "recovered" mode, and
// lies in a chunk whose damage ours reported.

const dir = samplesFolder('evtx');
const tmp = mkdtempSync(join(tmpdir(), 'offbrowse-evtx-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function chunkOf(offset: number): number {
  return Math.floor((offset - FILE_HEADER_BYTES) / CHUNK_BYTES);
}

/**
 * libevtx 20181227 writes a negative signed integer as a minus sign and the
 * value's bits below the sign bit (Int8 -2, 0xfe, as `-126`); Windows, and
 * this reader, write two's complement (`-2`). The written files' signed
 * fields are held to libevtx through this mapping; everything else as it is.
 */
function libevtxSigned(text: string, bits: number): string {
  const v = BigInt(text);
  if (v >= 0n) return text;
  return `-${BigInt.asUintN(bits, v) & ((1n << BigInt(bits - 1)) - 1n)}`;
}

const SIGNED: Readonly<Record<string, number>> = { Int8: 8, Int16: 16, Int32: 32, Int64: 64 };

function asLibevtx(r: Compared): Compared {
  if (r.eventId !== 9999) return r;
  const data = { ...r.data };
  for (const [name, bits] of Object.entries(SIGNED)) if (name in data) data[name] = libevtxSigned(data[name], bits);
  return { ...r, data };
}

/** Reads `file` with both readers and holds ours to evtxexport's; returns what was compared. */
function differential(file: string): { items: number; extra: number; damage: ReturnType<typeof ours>['damage'] } {
  const theirs = evtxexport(file);
  const { records, damage } = ours(new Uint8Array(readFileSync(file)));
  const byId = new Map<number, Compared>();
  for (const r of records) byId.set(r.recordId, asLibevtx(withoutOffset(r)));
  for (const t of theirs) expect(byId.get(t.recordId), `record ${t.recordId} of ${file}`).toEqual(t);
  const itemIds = new Set(theirs.map((t) => t.recordId));
  const extra = records.filter((r) => !itemIds.has(r.recordId));
  if (extra.length > 0) {
    const recovered = new Map(evtxexport(file, 'recovered').map((r) => [r.recordId, r]));
    const damaged = new Set(damage.map((d) => chunkOf(d.offset)));
    for (const r of extra) {
      expect(recovered.get(r.recordId), `extra record ${r.recordId} of ${file}`).toEqual(asLibevtx(withoutOffset(r)));
      expect(damaged.has(chunkOf(r.offset)), `extra record ${r.recordId} lies in a damaged chunk`).toBe(true);
    }
  }
  expect(records.length).toBe(theirs.length + extra.length);
  return { items: theirs.length, extra: extra.length, damage };
}

describe('EVTX reader against evtxexport: the samples', { timeout: 120_000 }, () => {
  it('sysmon.evtx: a dirty file (its header counts one chunk of nine) reads whole, no damage', () => {
    const r = differential(join(dir, 'sysmon.evtx'));
    expect(r.items).toBe(358);
    expect(r.extra).toBe(0);
    expect(r.damage).toEqual([]);
  });

  it('sample_with_a_bad_chunk_magic.evtx reads up to and past its damage, which is named by offset', () => {
    const r = differential(join(dir, 'sample_with_a_bad_chunk_magic.evtx'));
    expect(r.items).toBe(267);
    // Records 47675-47705, past a damaged stretch of the chunk at 0x71000: evtxexport recovers them too.
    expect(r.extra).toBe(31);
    const chunks = r.damage.filter((d) => d.kind === 'chunk').map((d) => d.offset);
    // Two chunks whose headers are zeroed hold records that cannot be read.
    expect(chunks).toEqual([0x61000, 0xa1000]);
    // Each damaged stretch is named by offset, with the records its chunk's header lists that were not read.
    const records = r.damage.filter((d) => d.kind === 'record');
    expect(records.map((d) => d.offset)).toEqual([0x2fc0, 0x72e68, 0x9ee40]);
    expect(records.map((d) => /of which (.*) were not read/.exec(d.reason)?.[1])).toEqual([
      '46741-46857',
      '47640-47674',
      '45933-45949',
    ]);
    for (const d of r.damage) expect(d.reason).not.toBe('');
  });

  it('security_bad_string_cache.evtx reads every record evtxexport reads, its bad chunk header reported', () => {
    const r = differential(join(dir, 'security_bad_string_cache.evtx'));
    expect(r.items).toBe(2261);
    expect(r.damage).toEqual([
      { kind: 'checksum', offset: 0x1000, reason: expect.stringContaining('header checksum') as unknown as string },
    ]);
  });
});

function le(n: number, v: bigint): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = Number((BigInt.asUintN(64, v) >> BigInt(8 * i)) & 0xffn);
  return out;
}

function typed(type: number, bytes: number[] | Uint8Array): TypedValue {
  return { type, bytes: bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes) };
}

function utf16(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) out.push(s.charCodeAt(i) & 0xff, s.charCodeAt(i) >> 8);
  return out;
}

/** One value of every type Sysmon and Security records use, at awkward values. */
function everyType(i: number): [string, TypedValue][] {
  const n = BigInt(i);
  return [
    ['Ansi', typed(V.T_ANSI, [...Buffer.from(`ansi ${i} caf`), 0xe9, 0x80])],
    ['Int8', typed(V.T_INT8, le(1, -n))],
    ['UInt8', typed(V.T_UINT8, le(1, 255n - n))],
    ['Int16', typed(V.T_INT16, le(2, -1000n * n))],
    ['UInt16', typed(V.T_UINT16, le(2, 65535n - n))],
    ['Int32', typed(V.T_INT32, le(4, -123456789n + n))],
    ['UInt32', typed(V.T_UINT32, le(4, 4294967295n - n))],
    ['Int64', typed(V.T_INT64, le(8, -9007199254740993n * (n + 1n)))],
    ['UInt64', typed(V.T_UINT64, le(8, 18446744073709551615n - n))],
    ['Bool', typed(V.T_BOOL, le(4, n % 2n))],
    ['Binary', typed(V.T_BINARY, [0, 1, 0xab, 0xff, i & 0xff])],
    ['Guid', typed(V.T_GUID, [0x78, 0x56, 0x34, 0x12, 0xbc, 0x9a, 0xf0, 0xde, 1, 2, 3, 4, 5, 6, 7, i & 0xff])],
    ['SizeT', typed(V.T_SIZET, le(8, 0x1234n + n))],
    ['FileTime', typed(V.T_FILETIME, le(8, 133000000000000000n + n * 1234567n))],
    [
      'SystemTime',
      typed(V.T_SYSTEMTIME, [0xea, 0x07, 10, 0, 2, 0, 20, 0, 13, 0, 4, 0, 5, 0, (i % 1000) & 0xff, (i % 1000) >> 8]),
    ],
    ['Sid', typed(V.T_SID, [1, 5, 0, 0, 0, 0, 0, 5, 21, 0, 0, 0, ...le(4, 1000n + n), 1, 2, 3, 4, 5, 6, 7, 8, 0xe9, 3, 0, 0])],
    ['Hex32', typed(V.T_HEX32, le(4, 0x1a2cn + n))],
    ['Hex64', typed(V.T_HEX64, le(8, 0x3e7n + n))],
    ['Utf16', typed(V.T_STRING, [...utf16(`nul-terminated ${i}`), 0, 0])],
    ['Real32', typed(V.T_REAL32, new Uint8Array(new Float32Array([1.5 + i]).buffer))],
    ['Real64', typed(V.T_REAL64, new Uint8Array(new Float64Array([0.1 * i - 3]).buffer))],
    ['Strings', typed(V.T_STRING | V.T_ARRAY, [...utf16('one'), 0, 0, ...utf16(`two ${i}`), 0, 0])],
    ['UInt32s', typed(V.T_UINT32 | V.T_ARRAY, [...le(4, 7n), ...le(4, n)])],
  ];
}

// No characters beyond the BMP here: libevtx 20181227 misreads surrogate pairs (U+1F600 comes out as
// U+1F201); tests/evtx/fuzz.test.ts holds the reader to the writer on them instead.
const TEXTS = ['', 'plain', 'C:\\Program Files\\x & <y> "z" \'w\'', 'Grüße 東京 Ω', 'two\r\n\tlines', ' spaced '];

function events(count: number): WindowsEventToWrite[] {
  const out: WindowsEventToWrite[] = [];
  for (let i = 0; i < count; i++) {
    const kind = i % 4;
    const base = {
      provider: kind === 3 ? 'Microsoft-Windows-Security-Auditing' : 'Microsoft-Windows-Sysmon',
      channel: kind === 3 ? 'Security' : 'Microsoft-Windows-Sysmon/Operational',
      computer: `HOST-${i % 13}.corp.example`,
      time: Date.UTC(2026, 9, 20, 13, 4, 5) + i * 1234.5,
    };
    if (kind === 0)
      out.push({
        ...base,
        eventId: 1,
        data: [
          ['UtcTime', '2026-10-20 13:04:05.123'],
          ['ProcessGuid', `{94F748D5-4A45-5A42-0000-0010D265F2${(i % 256).toString(16).padStart(2, '0')}}`],
          ['ProcessId', String(1000 + i)],
          ['Image', `C:\\Windows\\System32\\curl-${i}.exe`],
          ['CommandLine', TEXTS[i % TEXTS.length] + 'x'.repeat(i % 300)],
          ['User', 'CORP\\alice'],
          ['ParentImage', TEXTS[(i + 1) % TEXTS.length]],
        ],
      });
    else if (kind === 1)
      out.push({
        ...base,
        eventId: 3,
        data: [
          ['Image', 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe'],
          ['Protocol', 'tcp'],
          ['SourceIp', '10.1.2.3'],
          ['SourcePort', String(49152 + i)],
          ['DestinationIp', '::ffff:151.101.36.133'],
          ['DestinationHostname', TEXTS[i % TEXTS.length]],
          ['DestinationPort', '443'],
        ],
      });
    else if (kind === 2) out.push({ ...base, eventId: 9999, data: everyType(i) });
    else
      out.push({
        ...base,
        eventId: 5156,
        data: [
          ['Application', '\\device\\harddiskvolume2\\x.exe'],
          ['Direction', '%%14593'],
        ],
      });
  }
  return out;
}

describe('EVTX reader against evtxexport: files the writer makes', { timeout: 120_000 }, () => {
  it('every value type, texts of every kind, across many chunks', () => {
    const file = join(tmp, 'written.evtx');
    const bytes = writeEvtx(events(4000));
    writeFileSync(file, bytes);
    expect(bytes.length).toBeGreaterThan(FILE_HEADER_BYTES + 10 * CHUNK_BYTES);
    const r = differential(file);
    expect(r.items).toBe(4000);
    expect(r.damage).toEqual([]);
  });

  it('one event per chunk when events are big, and record ids as given', () => {
    const file = join(tmp, 'big.evtx');
    const big = events(6).map((e, i) => ({ ...e, recordId: 100 + 7 * i, data: [...e.data, ['Big', 'y'.repeat(20000)]] }));
    writeFileSync(file, writeEvtx(big as WindowsEventToWrite[]));
    expect(differential(file).items).toBe(6);
  });
});

describe('EVTX reader against evtxexport: the case folders', () => {
  // A case's EVTX input is made by our writer (tests/cases/<name>/make.ts): evtxexport reading
  // it as we do is what makes the case's expected alerts rest on more than our own pair.
  const files = caseNames().flatMap((n) =>
    readdirSync(join(CASES_DIR, n))
      .filter((f) => f.endsWith('.evtx'))
      .map((f) => join(CASES_DIR, n, f)),
  );

  it('finds an EVTX input among the cases', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  for (const file of files)
    it(`${file.slice(CASES_DIR.length)} reads as evtxexport reads it, whole`, () => {
      const r = differential(file);
      expect(r.items).toBeGreaterThan(0);
      expect(r.extra).toBe(0);
      expect(r.damage).toEqual([]);
    });
});
