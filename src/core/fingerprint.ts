/**
 * A content fingerprint computed while a file streams: SHA-256 over the
 * SHA-256 of each fixed 1 MiB block of the (decompressed) content, plus its
 * length. Fixed blocks make it independent of how the bytes arrived, so the
 * same log read by the CLI or the browser, plain or gzipped, under any name,
 * gets the same fingerprint.
 */
const BLOCK = 1 << 20;

function hex(buf: ArrayBuffer): string {
  return Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, '0')).join('');
}

export class Fingerprint {
  private block = new Uint8Array(BLOCK);
  private fill = 0;
  private length = 0;
  /**
   * Block digests run while parsing goes on (WebCrypto works off the thread);
   * awaiting each in turn cost about 7 ms per MiB in Chromium.
   */
  private readonly digests: Promise<ArrayBuffer>[] = [];

  async push(bytes: Uint8Array): Promise<void> {
    this.length += bytes.byteLength;
    let at = 0;
    while (at < bytes.byteLength) {
      const n = Math.min(BLOCK - this.fill, bytes.byteLength - at);
      this.block.set(bytes.subarray(at, at + n), this.fill);
      this.fill += n;
      at += n;
      if (this.fill === BLOCK) await this.flush();
    }
  }

  async digest(): Promise<string> {
    if (this.fill > 0) await this.flush();
    const done = await Promise.all(this.digests);
    const all = new Uint8Array(done.length * 32 + 8);
    done.forEach((d, i) => all.set(new Uint8Array(d), i * 32));
    new DataView(all.buffer).setFloat64(all.length - 8, this.length);
    return 'sha256-blocks:' + hex(await crypto.subtle.digest('SHA-256', all));
  }

  private async flush(): Promise<void> {
    // A fresh block each time: the digest may still be reading the last one.
    this.digests.push(crypto.subtle.digest('SHA-256', this.block.subarray(0, this.fill)));
    this.block = new Uint8Array(BLOCK);
    this.fill = 0;
    // Keep a few in flight at most, so memory stays bounded if hashing falls behind.
    const waitFor = this.digests.length - 8;
    if (waitFor >= 0) await this.digests[waitFor];
  }
}
