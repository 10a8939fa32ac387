/**
 * A content fingerprint computed while a file streams: SHA-256 over the
 * SHA-256 of each fixed block of the (decompressed) content, plus its
 * length. Fixed blocks make it independent of how the bytes arrived, so the
 * same log read by the CLI or the browser, plain or gzipped, under any name,
 * gets the same fingerprint.
 *
 * Blocks are 512 KiB (`sha256-512k:`). Earlier builds used 1 MiB blocks
 * (`sha256-blocks:`); in a Chromium worker each digest of a 1 MiB block cost
 * about 5 ms, most of it Chromium copying the block into a fresh mapping,
 * against under 1 ms per 512 KiB. Histories saved with the old fingerprints
 * are still matched: see `FileFingerprint`.
 */

export interface FingerprintFormat {
  prefix: string;
  blockBytes: number;
}

export const FINGERPRINT: FingerprintFormat = { prefix: 'sha256-512k:', blockBytes: 1 << 19 };
export const LEGACY_FINGERPRINT: FingerprintFormat = { prefix: 'sha256-blocks:', blockBytes: 1 << 20 };

function hex(buf: ArrayBuffer): string {
  return Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The fingerprint of content `length` bytes long whose blocks have `digests`, in order. */
export async function combineDigests(
  format: FingerprintFormat,
  digests: readonly ArrayBuffer[],
  length: number,
): Promise<string> {
  const all = new Uint8Array(digests.length * 32 + 8);
  digests.forEach((d, i) => all.set(new Uint8Array(d), i * 32));
  new DataView(all.buffer).setFloat64(all.length - 8, length);
  return format.prefix + hex(await crypto.subtle.digest('SHA-256', all));
}

/**
 * The digests of the current format's blocks of `bytes`, which starts at a
 * block boundary of its file (the last one may be short, at the file's end):
 * what a parse worker works out for its part (ingest/segmenter.ts).
 */
export function blockDigests(bytes: Uint8Array): Promise<ArrayBuffer[]> {
  const size = FINGERPRINT.blockBytes;
  const out: Promise<ArrayBuffer>[] = [];
  // Parts and inflated bytes are never in shared memory.
  for (let at = 0; at < bytes.byteLength; at += size)
    out.push(crypto.subtle.digest('SHA-256', bytes.subarray(at, at + size) as Uint8Array<ArrayBuffer>));
  return Promise.all(out);
}

export function isLegacyFingerprint(fingerprint: string | null): boolean {
  return fingerprint !== null && fingerprint.startsWith(LEGACY_FINGERPRINT.prefix);
}

export class Fingerprint {
  /**
   * One buffer for the block being filled, reused: WebCrypto copies its input
   * when `digest` is called. Allocating a fresh buffer per block cost about
   * 3 ms per MiB in a Chromium worker, more than the hashing.
   */
  private readonly block: Uint8Array;
  private fill = 0;
  private length = 0;
  /** Block digests, in order; they may finish while parsing goes on (in Node they run off the thread). */
  private readonly digests: Promise<ArrayBuffer>[] = [];

  constructor(private readonly format: FingerprintFormat = FINGERPRINT) {
    this.block = new Uint8Array(format.blockBytes);
  }

  /** Reads `bytes` before returning and keeps no reference to them. */
  async push(bytes: Uint8Array): Promise<void> {
    const size = this.block.byteLength;
    this.length += bytes.byteLength;
    let at = 0;
    if (this.fill > 0) {
      at = Math.min(size - this.fill, bytes.byteLength);
      this.block.set(bytes.subarray(0, at), this.fill);
      this.fill += at;
      if (this.fill < size) return;
      await this.add(this.block);
      this.fill = 0;
    }
    // Whole blocks straight from the input: slices of a file arrive block-aligned, so usually nothing is copied.
    for (; bytes.byteLength - at >= size; at += size) await this.add(bytes.subarray(at, at + size));
    this.block.set(bytes.subarray(at), 0);
    this.fill = bytes.byteLength - at;
  }

  async digest(): Promise<string> {
    if (this.fill > 0) await this.add(this.block.subarray(0, this.fill));
    this.fill = 0;
    return combineDigests(this.format, await Promise.all(this.digests), this.length);
  }

  private async add(block: Uint8Array): Promise<void> {
    // File and inflated bytes are never in shared memory.
    this.digests.push(crypto.subtle.digest('SHA-256', block as Uint8Array<ArrayBuffer>));
    // Each digest in flight holds a copy of its block: keep a few at most, so memory stays bounded if hashing falls behind.
    const waitFor = this.digests.length - 8;
    if (waitFor >= 0) await this.digests[waitFor];
  }
}

/**
 * The fingerprint of one file, and its legacy one too when asked (only when
 * the history being added to holds legacy fingerprints, since it costs more).
 */
export class FileFingerprint {
  private readonly current = new Fingerprint(FINGERPRINT);
  private readonly legacy: Fingerprint | null;

  constructor(withLegacy: boolean) {
    this.legacy = withLegacy ? new Fingerprint(LEGACY_FINGERPRINT) : null;
  }

  async push(bytes: Uint8Array): Promise<void> {
    await this.current.push(bytes);
    await this.legacy?.push(bytes);
  }

  /** Every fingerprint this content is known by: the current one first. */
  async digests(): Promise<string[]> {
    const current = await this.current.digest();
    return this.legacy === null ? [current] : [current, await this.legacy.digest()];
  }
}
