/** Byte sources for ingest: files read in bounded slices, and generated text. */

/** Bytes read per step: large enough that per-chunk costs vanish, small enough to keep memory flat. */
export const CHUNK_BYTES = 1 << 20;

/** A File (or any Blob) as a stream of slices of at most `chunkBytes`. */
export async function* blobChunks(blob: Blob, chunkBytes = CHUNK_BYTES): AsyncIterable<Uint8Array> {
  for (let at = 0; at < blob.size; at += chunkBytes) {
    yield new Uint8Array(await blob.slice(at, at + chunkBytes).arrayBuffer());
  }
}

const channel = new MessageChannel();
const waiting: (() => void)[] = [];
channel.port1.onmessage = () => waiting.shift()?.();

/**
 * Lets queued messages (a cancel) run. Unlike setTimeout(0) it is not clamped
 * to 4 ms when called in a loop.
 */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    channel.port2.postMessage(null);
  });
}

/** How long CPU-bound generation may run before letting messages through. */
const SLICE_MS = 30;

/**
 * Text chunks (whole lines) as UTF-8 bytes in batches of about `chunkBytes`,
 * yielding to the event loop now and then so a cancel can arrive.
 */
export async function* textChunks(texts: Iterable<string>, chunkBytes = CHUNK_BYTES): AsyncIterable<Uint8Array> {
  const encoder = new TextEncoder();
  let parts: string[] = [];
  let length = 0;
  let sliceStart = Date.now();
  for (const text of texts) {
    parts.push(text);
    length += text.length;
    if (length >= chunkBytes) {
      yield encoder.encode(parts.join(''));
      parts = [];
      length = 0;
    }
    if (Date.now() - sliceStart >= SLICE_MS) {
      await nextTask();
      sliceStart = Date.now();
    }
  }
  if (length > 0) yield encoder.encode(parts.join(''));
}
