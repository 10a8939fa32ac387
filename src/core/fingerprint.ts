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
  private readonly digests: Uint8Array[] = [];

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
    const all = new Uint8Array(this.digests.length * 32 + 8);
    this.digests.forEach((d, i) => all.set(d, i * 32));
    new DataView(all.buffer).setFloat64(all.length - 8, this.length);
    return 'sha256-blocks:' + hex(await crypto.subtle.digest('SHA-256', all));
  }

  private async flush(): Promise<void> {
    const d = await crypto.subtle.digest('SHA-256', this.block.subarray(0, this.fill));
    this.digests.push(new Uint8Array(d));
    this.fill = 0;
  }
}
