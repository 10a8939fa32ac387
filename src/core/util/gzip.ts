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
