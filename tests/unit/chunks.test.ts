/**
 * The worker reads a dropped file through its byte stream into two reused
 * buffers (src/worker/chunks.ts), or in slices where an engine has no byte
 * streams. Both must give every byte once, in order, in full chunks, and stop
 * cleanly when the reader stops early (a cancel).
 */
import { describe, expect, it } from 'vitest';
import { blobChunks, sliceChunks, textChunks } from '../../src/worker/chunks';

function content(length: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (i * 7 + (i >> 9)) & 0xff;
  return out;
}

/** Copies each chunk before asking for the next: the reader lends its buffers. */
async function collect(chunks: AsyncIterable<Uint8Array>): Promise<{ bytes: Uint8Array; sizes: number[] }> {
  const parts: Uint8Array[] = [];
  for await (const c of chunks) parts.push(c.slice());
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.length;
  }
  return { bytes, sizes: parts.map((p) => p.length) };
}

const readers = { 'byte stream': blobChunks, slices: sliceChunks };

describe.each(Object.entries(readers))('reading a file through %s', (_name, read) => {
  it.each([0, 1, 4096, 4096 * 3, 4096 * 3 + 17])('gives all %i bytes in order, in full chunks', async (length) => {
    const bytes = content(length);
    const got = await collect(read(new Blob([bytes]), 4096));
    expect(got.bytes).toEqual(bytes);
    expect(got.sizes.slice(0, -1).every((n) => n === 4096)).toBe(true);
    expect(got.sizes.every((n) => n > 0)).toBe(true);
  });

  it('stops when the reader stops early', async () => {
    let seen = 0;
    for await (const c of read(new Blob([content(50_000)]), 4096)) {
      seen += c.length;
      if (seen >= 8192) break;
    }
    expect(seen).toBe(8192);
  });
});

describe('the byte-stream reader', () => {
  it('falls back to slices where blob streams are not byte streams', async () => {
    const bytes = content(10_000);
    const blob = new Blob([bytes]);
    // A default (not byte) stream: getReader({ mode: 'byob' }) throws on it.
    const plain = {
      size: blob.size,
      slice: blob.slice.bind(blob),
      stream: () => new ReadableStream<Uint8Array>({ start: (c) => (c.enqueue(bytes), c.close()) }),
    } as unknown as Blob;
    expect((await collect(blobChunks(plain, 4096))).bytes).toEqual(bytes);
  });
});

describe('generated text (the demo)', () => {
  it('is encoded whole, in chunks no larger than asked, across characters of every width', async () => {
    const texts = ['plain ascii line\n', 'größe ü ß\n', '日本語の行\n', 'emoji 😀😃 pair\n', 'x'.repeat(5000) + '\n', '\n'];
    const many = Array.from({ length: 300 }, (_, i) => texts[i % texts.length]);
    const got = await collect(textChunks(many, 1024));
    expect(new TextDecoder().decode(got.bytes)).toBe(many.join(''));
    expect(Math.max(...got.sizes)).toBeLessThanOrEqual(1024);
  });
});
