import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { Inflate } from '../core/gzip';

/** Node's zlib, which also reads multi-member gzip. */
export const zlibInflate: Inflate = (chunks) => Readable.from(chunks).pipe(createGunzip());

export function readChunks(path: string): AsyncIterable<Uint8Array> {
  return createReadStream(path, { highWaterMark: 1 << 20 });
}
