import { createReadStream } from 'node:fs';
import { PassThrough, pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { Inflate } from '../core/gzip';

/** Node's zlib, which also reads multi-member gzip; pipeline passes a read error on instead of crashing. */
export const zlibInflate: Inflate = (chunks) => {
  const out = new PassThrough();
  pipeline(Readable.from(chunks), createGunzip(), out, (err) => {
    if (err) out.destroy(err);
  });
  return out;
};

export function readChunks(path: string): AsyncIterable<Uint8Array> {
  return createReadStream(path, { highWaterMark: 1 << 20 });
}
