import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHUNK_BYTES, crc32, FILE_HEADER_BYTES } from '../../src/core/evtx/layout';
import { readEvtxPart, type EvtxDamage, type EvtxRecord } from '../../src/core/evtx/read';
import { writeEvtx, type WindowsEventToWrite } from '../../src/core/evtx/write';
import { Random } from '../../src/core/generate/random';
import { samplesFolder } from '../helpers/samples';

// Damaged copies of EVTX files (flipped bytes, wrong sizes in the file header, chunk headers and
// records, chunks cut short or taken out): the reader never throws, always ends, counts damage,
// and every chunk the damage left as it was reads exactly as before. A chunk that reads otherwise
// than before has its damage reported. Seeded: EVTX_FUZZ_SEED=n runs one seed again.

interface Read {
  /** Per chunk index: its records, without their offsets. */
  chunks: Map<number, Omit<EvtxRecord, 'offset'>[]>;
  damage: EvtxDamage[];
}

function chunkIndex(offset: number): number {
  return Math.floor((offset - FILE_HEADER_BYTES) / CHUNK_BYTES);
}

function read(bytes: Uint8Array): Read {
  const chunks = new Map<number, Omit<EvtxRecord, 'offset'>[]>();
  const damage: EvtxDamage[] = [];
  readEvtxPart(bytes, 0, {
    record(r) {
      const { offset, ...rest } = r;
      const i = chunkIndex(offset);
      const list = chunks.get(i);
      if (list === undefined) chunks.set(i, [rest]);
      else list.push(rest);
    },
    damage: (d) => damage.push(d),
  });
  return { chunks, damage };
}

function chunkBytes(bytes: Uint8Array, i: number): Uint8Array {
  return bytes.subarray(FILE_HEADER_BYTES + i * CHUNK_BYTES, FILE_HEADER_BYTES + (i + 1) * CHUNK_BYTES);
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

/** Offsets of the records of a file as read undamaged, to aim wrong sizes at. */
function recordOffsets(bytes: Uint8Array): number[] {
  const out: number[] = [];
  readEvtxPart(bytes, 0, { record: (r) => out.push(r.offset), damage: () => undefined });
  return out;
}

type Mutation = (b: Uint8Array, rnd: Random, records: number[]) => { bytes: Uint8Array; what: string };

const int = (rnd: Random, n: number): number => rnd.int(n);

function setU32(b: Uint8Array, at: number, v: number): void {
  new DataView(b.buffer, b.byteOffset, b.byteLength).setUint32(at, v >>> 0, true);
}

const MUTATIONS: Record<string, Mutation> = {
  'flipped bytes': (b, rnd) => {
    const out = b.slice();
    const n = 1 + int(rnd, 8);
    const at: number[] = [];
    for (let k = 0; k < n; k++) {
      const i = int(rnd, out.length);
      out[i] ^= 1 + int(rnd, 255);
      at.push(i);
    }
    return { bytes: out, what: `bytes flipped at ${at.join(', ')}` };
  },
  'cut short': (b, rnd) => {
    const end = FILE_HEADER_BYTES + int(rnd, b.length - FILE_HEADER_BYTES);
    return { bytes: b.slice(0, end), what: `cut at ${end}` };
  },
  'a chunk taken out': (b, rnd) => {
    const chunks = (b.length - FILE_HEADER_BYTES) / CHUNK_BYTES;
    const i = int(rnd, chunks);
    const out = new Uint8Array(b.length - CHUNK_BYTES);
    out.set(b.subarray(0, FILE_HEADER_BYTES + i * CHUNK_BYTES));
    out.set(b.subarray(FILE_HEADER_BYTES + (i + 1) * CHUNK_BYTES), FILE_HEADER_BYTES + i * CHUNK_BYTES);
    return { bytes: out, what: `chunk ${i} taken out` };
  },
  "a record's size wrong": (b, rnd, records) => {
    const out = b.slice();
    const p = records[int(rnd, records.length)];
    const field = rnd.chance(0.5) ? 4 : -1;
    const size = new DataView(out.buffer).getUint32(p + 4, true);
    const v = rnd.chance(0.5) ? size + (int(rnd, 64) - 32) : int(rnd, 0x20000);
    // The size is written twice: at 4, and in the record's last 4 bytes.
    setU32(out, field === 4 ? p + 4 : p + size - 4, v);
    return { bytes: out, what: `record at ${p}: size ${field === 4 ? 'field' : 'copy'} set to ${v}` };
  },
  "a chunk header's sizes wrong": (b, rnd) => {
    const out = b.slice();
    const chunks = (b.length - FILE_HEADER_BYTES) / CHUNK_BYTES;
    const c = FILE_HEADER_BYTES + int(rnd, chunks) * CHUNK_BYTES;
    // The last record's offset, the free space offset, a name or template offset in the tables.
    const field = [44, 48, 128 + 4 * int(rnd, 96)][int(rnd, 3)];
    const v = int(rnd, 0x20000);
    setU32(out, c + field, v);
    return { bytes: out, what: `chunk at ${c}: field ${field} set to ${v}` };
  },
  "the file header's counts wrong": (b, rnd) => {
    const out = b.slice();
    const field = [8, 16, 24, 32, 42][int(rnd, 5)];
    setU32(out, field, int(rnd, 0x10000));
    return { bytes: out, what: `file header field ${field} changed` };
  },
};

function events(count: number): WindowsEventToWrite[] {
  return Array.from({ length: count }, (_, i) => ({
    eventId: [1, 3, 22, 11][i % 4],
    provider: 'Microsoft-Windows-Sysmon',
    channel: 'Microsoft-Windows-Sysmon/Operational',
    computer: `WS-${i % 5}`,
    time: Date.UTC(2026, 9, 20) + i * 1000,
    data: [
      ['ProcessId', String(i)],
      ['Image', `C:\\Tools\\tool-${i % 17}.exe`],
      ['CommandLine', `tool --n ${i} ${'a'.repeat(i % 200)}`],
      ...(i % 3 === 0 ? ([['DestinationPort', '443']] as [string, string][]) : []),
    ],
  }));
}

const BASE_SEED = Number(process.env.EVTX_FUZZ_SEED ?? 20261207);
const ROUNDS = process.env.EVTX_FUZZ_SEED === undefined ? 25 : 1;

const files: [string, () => Uint8Array][] = [
  ['written', () => writeEvtx(events(1500))],
  ['sysmon.evtx', () => new Uint8Array(readFileSync(join(samplesFolder('evtx'), 'sysmon.evtx')))],
];

describe.each(files)('damaged copies of %s', (_name, make) => {
  const original = make();
  const before = read(original);
  const records = recordOffsets(original);
  const originalChunks = (original.length - FILE_HEADER_BYTES) / CHUNK_BYTES;

  it.each(Object.entries(MUTATIONS))(
    '%s: no throw, and every chunk reads as before or has its damage reported',
    (name, mutate) => {
      for (let round = 0; round < ROUNDS; round++) {
        const seed = BASE_SEED + round * 7919 + name.length;
        const { bytes, what } = mutate(original, new Random(seed), records);
        const context = `seed ${seed} (EVTX_FUZZ_SEED=${seed}): ${what}`;
        let after: Read;
        try {
          after = read(bytes);
        } catch (e) {
          throw new Error(`the reader threw on a damaged copy, ${context}: ${String(e)}`, { cause: e });
        }
        const damaged = new Set(after.damage.map((d) => chunkIndex(d.offset)));
        const chunks = Math.ceil((bytes.length - FILE_HEADER_BYTES) / CHUNK_BYTES);
        for (let i = 0; i < chunks; i++) {
          const mine = chunkBytes(bytes, i);
          // The chunk it was, or (a chunk taken out) the one that moved into its place.
          let j = -1;
          for (const k of [i, i + 1]) if (k < originalChunks && same(mine, chunkBytes(original, k))) j = k;
          if (j !== -1) {
            expect(after.chunks.get(i), `chunk ${i} is as it was, ${context}`).toEqual(before.chunks.get(j));
          } else if (JSON.stringify(after.chunks.get(i)) !== JSON.stringify(before.chunks.get(i))) {
            expect(damaged.has(i), `chunk ${i} reads otherwise than before, so its damage is told, ${context}`).toBe(true);
          }
        }
        // Damage is named by what was wrong with the bytes; a TypeError would be a fault of the reader's own.
        for (const d of after.damage) expect(d.reason, context).not.toMatch(/TypeError|ReferenceError|^$/);
      }
    },
    120_000,
  );
});

/** The chunk's two checksums made right again, so the damage reaches the BinXML reader unannounced. */
function fixChecksums(b: Uint8Array, chunk: number): void {
  const c = b.subarray(chunk, chunk + CHUNK_BYTES);
  const view = new DataView(c.buffer, c.byteOffset, c.byteLength);
  const free = Math.min(CHUNK_BYTES, Math.max(512, view.getUint32(48, true)));
  view.setUint32(52, crc32(c, 512, free), true);
  view.setUint32(124, crc32(c, 128, 512, crc32(c, 0, 120)), true);
}

describe.each(files)('damaged records of %s behind right checksums', (_name, make) => {
  const original = make();
  const records = recordOffsets(original);

  it('never throws, and ends', () => {
    for (let round = 0; round < ROUNDS * 4; round++) {
      const seed = BASE_SEED + round * 104729;
      const rnd = new Random(seed);
      const out = original.slice();
      const p = records[int(rnd, records.length)];
      const at: number[] = [];
      for (let k = 1 + int(rnd, 6); k > 0; k--) {
        const i = p + 24 + int(rnd, 400);
        out[i] ^= 1 + int(rnd, 255);
        at.push(i);
      }
      fixChecksums(out, FILE_HEADER_BYTES + chunkIndex(p) * CHUNK_BYTES);
      const context = `seed ${seed} (EVTX_FUZZ_SEED=${seed}): record at ${p}, bytes flipped at ${at.join(', ')}`;
      try {
        for (const d of read(out).damage) expect(d.reason, context).not.toMatch(/TypeError|ReferenceError/);
      } catch (e) {
        throw new Error(`the reader threw, ${context}: ${String(e)}`, { cause: e });
      }
    }
  }, 120_000);
});

describe('what evtxexport cannot be held to', () => {
  it('characters beyond the BMP (surrogate pairs) read back as written', () => {
    const text = 'emoji \u{1f600} and \u{10348}, then \ud800 alone';
    const got: EvtxRecord[] = [];
    readEvtxPart(
      writeEvtx([{ eventId: 1, provider: 'P', channel: 'C', computer: 'H', time: 0, data: [['CommandLine', text]] }]),
      0,
      { record: (r) => got.push(r), damage: (d) => expect.fail(d.reason) },
    );
    expect(got.map((r) => r.data.CommandLine)).toEqual([text]);
  });
});
