import { open } from 'node:fs/promises';
import { PassThrough, pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { Inflate } from '../core/util/gzip';
import { fsWords, isSystemError } from './errors';

/** Node's zlib, which also reads multi-member gzip; pipeline passes a read error on instead of crashing. */
export const zlibInflate: Inflate = (chunks) => {
  const out = new PassThrough();
  pipeline(Readable.from(chunks), createGunzip(), out, (err) => {
    if (err) out.destroy(err);
  });
  return out;
};

/**
 * A file's bytes, 1 MiB at a time, read into one buffer that each read reuses
 * (the map copies what it keeps before asking for more, MapInput.chunks): a
 * big file then costs no allocation per chunk.
 */
export async function* readChunks(path: string): AsyncIterable<Uint8Array> {
  // The map says "could not be read: " and this: the reason in words, not Node's code and path.
  const words = (e: unknown): unknown => (isSystemError(e) ? new Error(fsWords(e)) : e);
  const file = await open(path, 'r').catch((e: unknown) => {
    throw words(e);
  });
  try {
    const buffer = new Uint8Array(1 << 20);
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, buffer.byteLength, null).catch((e: unknown) => {
        throw words(e);
      });
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await file.close();
  }
}
