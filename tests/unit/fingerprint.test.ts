/**
 * The content fingerprint must not depend on how the bytes arrived: the CLI
 * reads 1 MiB slices, the browser reads 1 MiB chunks or inflated pieces of any
 * size, and a file dropped twice must be recognised either way. It is checked
 * against the definition (SHA-256 over each block's SHA-256, then the length
 * as a float64; 512 KiB blocks, 1 MiB in the legacy form), computed here with
 * Node's own hash. A file saved under the legacy form is still recognised.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePool } from '../../src/cli/pool';
import { MAX_LINE_CHARS } from '../../src/core/sources/lines';
import { FINGERPRINT, Fingerprint, LEGACY_FINGERPRINT, type FingerprintFormat } from '../../src/core/util/fingerprint';
import { mapFiles } from '../../src/core/ingest/coordinator';
import { LocalPool } from '../../src/core/ingest/parsePool';
import type { FileReport } from '../../src/core/ingest/report';
import { fflateInflate } from '../../src/core/util/gzip';
import { defaultSettings } from '../../src/core/settings/settings';
import { urlLine } from '../helpers/panos-lines';
import { runCore } from '../helpers/run-core';

const MIB = 1 << 20;
/** Bytes past which a line is dropped unread (ingest/segmenter.ts OVERLONG_BYTES). */
const OVERLONG = 3 * (MAX_LINE_CHARS + 1) + 1;

function reference(bytes: Uint8Array, format: FingerprintFormat = FINGERPRINT): string {
  const outer = createHash('sha256');
  for (let at = 0; at < bytes.length; at += format.blockBytes) {
    outer.update(
      createHash('sha256')
        .update(bytes.subarray(at, at + format.blockBytes))
        .digest(),
    );
  }
  const length = Buffer.alloc(8);
  length.writeDoubleBE(bytes.length);
  return format.prefix + outer.update(length).digest('hex');
}

async function fingerprint(bytes: Uint8Array, sizes: number[], format = FINGERPRINT): Promise<string> {
  const f = new Fingerprint(format);
  let at = 0;
  for (let i = 0; at < bytes.length; i++) {
    const n = sizes[i % sizes.length];
    await f.push(bytes.subarray(at, at + n));
    at += n;
  }
  return f.digest();
}

/** Deterministic bytes, different in every block. */
function content(length: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = 0x12345678;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

describe('Fingerprint', () => {
  const bytes = content(3 * MIB + 12345);

  it.each([
    ['1 MiB slices, as files are read', [MIB]],
    ['one piece holding several blocks', [bytes.length]],
    ['odd pieces that straddle blocks', [777_777, 1, MIB + 3, 65_536]],
    ['pieces just short of a block', [MIB - 1]],
    ['an empty piece among others', [0, 300_000, MIB]],
  ])('is the same for %s', async (_label, sizes) => {
    expect(await fingerprint(bytes, sizes)).toBe(reference(bytes));
    expect(await fingerprint(bytes, sizes, LEGACY_FINGERPRINT)).toBe(reference(bytes, LEGACY_FINGERPRINT));
  });

  it('is the same for an exact number of blocks', async () => {
    const exact = bytes.subarray(0, 2 * MIB);
    expect(await fingerprint(exact, [MIB])).toBe(reference(exact));
    expect(await fingerprint(exact, [500_000])).toBe(reference(exact));
  });

  it('tells apart contents that differ by one byte or by length', async () => {
    const changed = bytes.slice();
    changed[2 * MIB + 5] ^= 1;
    const a = await fingerprint(bytes, [MIB]);
    expect(await fingerprint(changed, [MIB])).not.toBe(a);
    expect(await fingerprint(bytes.subarray(0, bytes.length - 1), [MIB])).not.toBe(a);
  });

  it('has a value for empty content', async () => {
    expect(await new Fingerprint().digest()).toBe(reference(new Uint8Array(0)));
  });
});

describe('a file read again', () => {
  const log = new TextEncoder().encode(
    urlLine({ time: '2026/03/16 10:00:00', src: '10.0.0.1', url: 'pastebin.com/raw/x', userAgent: 'curl/8.4.0' }) + '\n',
  );
  /** Reads `name` (the log) with the map, given the files already added. */
  const read = async (name: string, known: FileReport[]): Promise<FileReport> => {
    const sink = {
      events: () => undefined,
      traffic: () => undefined,
      endpoints: () => undefined,
      fileDone: () => undefined,
    };
    const input = {
      name,
      source: name,
      size: log.length,
      chunks: async function* () {
        yield log;
      },
    };
    const [report] = await mapFiles([input], new LocalPool(defaultSettings()), sink, {
      inflate: fflateInflate,
      fingerprint: true,
      known,
    });
    return report;
  };
  const earlier = async (fingerprint: string): Promise<FileReport[]> => {
    const first = await read('monday.log', []);
    // As a history saved by an earlier build holds it.
    return [{ ...first, fingerprint }];
  };

  it('is recognised by the current fingerprint', async () => {
    const again = await read('copy.log', await earlier(reference(log)));
    expect([again.duplicateOf, again.fingerprint]).toEqual(['monday.log', reference(log)]);
  });

  it('is recognised by the legacy fingerprint, and takes that one', async () => {
    const legacy = reference(log, LEGACY_FINGERPRINT);
    const again = await read('copy.log', await earlier(legacy));
    expect([again.duplicateOf, again.fingerprint]).toEqual(['monday.log', legacy]);
  });

  it('is new when neither fingerprint matches', async () => {
    const other = await read('copy.log', await earlier(reference(new Uint8Array([1]), LEGACY_FINGERPRINT)));
    expect([other.duplicateOf, other.fingerprint]).toEqual([null, reference(log)]);
  });
});

describe('a file hashed by its parts', () => {
  /** About 3.3 MB of URL rows, half of them curl's: parts and fingerprint blocks fall across each other's borders. */
  const rows: string[] = [];
  for (let i = 0; rows.join('').length < 3.3e6; i++) {
    const second = String(i % 60).padStart(2, '0');
    rows.push(
      urlLine({
        time: `2026/03/16 10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${second}`,
        src: `10.0.${(i >> 8) & 255}.${i & 255}`,
        url: `site${i % 97}.example.com/path/${i}`,
        userAgent: i % 2 === 0 ? 'curl/8.4.0' : 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0',
      }) + '\n',
    );
  }
  const log = new TextEncoder().encode(rows.join(''));
  const threads = parsePool(defaultSettings(), 2);
  afterAll(() => threads.close());

  it.each([
    ['read in 1 MiB slices, parts of 2 MiB', [MIB], undefined],
    ['read in odd pieces, small parts', [777_777, 1, 65_536 + 7], { first: 5000, rest: 300_001 }],
    ['read whole, parts smaller than a block', [log.length], { first: 100, rest: 200_000 }],
  ])('has the fingerprint of its bytes and the same results, %s', async (_label, chunkSizes, segmentBytes) => {
    for (const pool of [undefined, threads]) {
      const opts = { chunkSizes, segmentBytes, ...(pool ? { pool } : {}) };
      const hashed = await runCore([{ name: 'a.log', bytes: log }], defaultSettings(), { ...opts, fingerprint: true });
      const plain = await runCore([{ name: 'a.log', bytes: log }], defaultSettings(), opts);
      expect(hashed.files[0].fingerprint).toBe(reference(log));
      expect({ ...hashed.files[0], elapsedMs: 0, fingerprint: null }).toEqual({ ...plain.files[0], elapsedMs: 0 });
      expect(hashed.records).toEqual(plain.records);
      expect(hashed.counts.lines).toBe(rows.length);
    }
  });

  it('has the same fingerprint gzipped, and as UTF-16 (hashed as it is read)', async () => {
    const gz = await runCore([{ name: 'a.log.gz', bytes: gzipSync(log) }], defaultSettings(), {
      chunkSizes: [65_536],
      fingerprint: true,
    });
    expect(gz.files[0].fingerprint).toBe(reference(log));
    const utf16 = new Uint8Array(Buffer.from('\ufeff' + rows.slice(0, 2000).join(''), 'utf16le'));
    const wide = await runCore([{ name: 'w.log', bytes: utf16 }], defaultSettings(), {
      chunkSizes: [MIB],
      segmentBytes: { first: 1000, rest: 100_000 },
      fingerprint: true,
    });
    expect(wide.files[0].fingerprint).toBe(reference(utf16));
    expect(wide.counts.lines).toBe(2000);
  });

  it('digests the bytes of a line too long to keep, which no part holds', async () => {
    const long = new Uint8Array(OVERLONG + 700_000).fill(0x61);
    const head = log.subarray(0, 1_000_000);
    const cut = head.lastIndexOf(0x0a) + 1;
    const bytes = new Uint8Array(cut + long.length + 1 + cut);
    bytes.set(head.subarray(0, cut));
    bytes.set(long, cut);
    bytes[cut + long.length] = 0x0a;
    bytes.set(head.subarray(0, cut), cut + long.length + 1);
    const run = await runCore([{ name: 'long.log', bytes }], defaultSettings(), { chunkSizes: [MIB], fingerprint: true });
    expect(run.files[0].fingerprint).toBe(reference(bytes));
    expect(run.counts.skipped['line-too-long']).toBe(1);
  });
});
