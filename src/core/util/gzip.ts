import { Gunzip } from 'fflate';

/** Turns a stream of compressed chunks into a stream of plain ones. */
export type Inflate = (chunks: AsyncIterable<Uint8Array>) => AsyncIterable<Uint8Array>;

export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** Pure-JS streaming gunzip (multi-member), the default where the platform offers none. */
export async function* fflateInflate(chunks: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  let out: Uint8Array[] = [];
  const gunzip = new Gunzip((data) => {
    out.push(data);
  });
  for await (const chunk of chunks) {
    gunzip.push(chunk, false);
    if (out.length) {
      yield* out;
      out = [];
    }
  }
  gunzip.push(new Uint8Array(0), true);
  yield* out;
}

/**
 * The plain text that the first bytes of a gzip file give, up to about `max`
 * bytes (fed a little at a time, so a file that compresses well does not
 * inflate far past it). `whole`: the bytes are all the file. Throws on damaged data.
 */
export function gunzipHead(bytes: Uint8Array, whole: boolean, max: number): Uint8Array {
  const out: Uint8Array[] = [];
  let size = 0;
  const gunzip = new Gunzip((data) => {
    out.push(data);
    size += data.byteLength;
  });
  const STEP = 4096;
  for (let at = 0; at < bytes.byteLength && size < max; at += STEP) {
    const end = Math.min(at + STEP, bytes.byteLength);
    gunzip.push(bytes.subarray(at, end), whole && end === bytes.byteLength);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const o of out) {
    all.set(o, at);
    at += o.byteLength;
  }
  return all.subarray(0, Math.min(size, max));
}
