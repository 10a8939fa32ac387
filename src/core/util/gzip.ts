import { Gunzip } from 'fflate';

/** Turns a stream of compressed chunks into a stream of plain ones. */
export type Inflate = (chunks: AsyncIterable<Uint8Array>) => AsyncIterable<Uint8Array>;

export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** Pure-JS streaming gunzip (multi-member), the default where the platform offers none. */
export async function* fflateInflate(chunks: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  let out: Uint8Array[] = [];
  /** Bytes given out, and how many of them came before the last member began. */
  let size = 0;
  let memberStart = 0;
  const gunzip = new Gunzip((data) => {
    out.push(data);
    size += data.byteLength;
  });
  gunzip.onmember = () => {
    memberStart = size;
  };
  // The last 4 bytes seen: a whole member ends with its plain size (ISIZE, mod 2^32).
  const tail = new Uint8Array(4);
  let seen = 0;
  for await (const chunk of chunks) {
    gunzip.push(chunk, false);
    keepTail(tail, chunk, seen);
    seen += chunk.byteLength;
    if (out.length) {
      yield* out;
      out = [];
    }
  }
  gunzip.push(new Uint8Array(0), true);
  yield* out;
  // fflate can end a stream cut short between deflate blocks without a word: its trailer says so.
  const isize = (tail[0] | (tail[1] << 8) | (tail[2] << 16) | (tail[3] << 24)) >>> 0;
  if (seen > 0 && (seen < 18 || isize !== (size - memberStart) >>> 0))
    throw new Error('unexpected EOF: the gzip data ends before its last member does');
}

/** Keeps in `tail` the last 4 bytes of everything seen, `chunk` coming after `seen` bytes. */
function keepTail(tail: Uint8Array, chunk: Uint8Array, seen: number): void {
  if (chunk.byteLength >= 4) {
    tail.set(chunk.subarray(chunk.byteLength - 4));
    return;
  }
  const keep = Math.min(4 - chunk.byteLength, seen);
  tail.copyWithin(0, 4 - keep, 4);
  tail.set(chunk, keep);
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
