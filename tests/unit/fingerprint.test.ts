/**
 * The content fingerprint must not depend on how the bytes arrived: the CLI
 * reads 1 MiB slices, the browser reads 1 MiB chunks or inflated pieces of any
 * size, and a file dropped twice must be recognised either way. It is checked
 * against the definition (SHA-256 over each block's SHA-256, then the length
 * as a float64; 512 KiB blocks, 1 MiB in the legacy form), computed here with
 * Node's own hash. A file saved under the legacy form is still recognised.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FINGERPRINT, Fingerprint, LEGACY_FINGERPRINT, type FingerprintFormat } from '../../src/core/util/fingerprint';
import { mapFiles } from '../../src/core/ingest/coordinator';
import { LocalPool } from '../../src/core/ingest/parsePool';
import type { FileReport } from '../../src/core/ingest/report';
import { fflateInflate } from '../../src/core/util/gzip';
import { defaultSettings } from '../../src/core/settings/settings';
import { urlLine } from '../helpers/panos-lines';

const MIB = 1 << 20;

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
