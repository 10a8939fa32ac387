/** Byte sources for ingest: files read in bounded slices, and generated text. */

/** Bytes read per step: large enough that per-chunk costs vanish, small enough to keep memory flat. */
export const CHUNK_BYTES = 1 << 20;

/**
 * A File (or any Blob) as a stream of slices of at most `chunkBytes`. The next
 * slice is already being read while the current one is parsed: reading one
 * after the other left the worker idle for a third of a run.
 */
export async function* blobChunks(blob: Blob, chunkBytes = CHUNK_BYTES): AsyncIterable<Uint8Array> {
  const read = (at: number): Promise<ArrayBuffer> | null => {
    if (at >= blob.size) return null;
    const reading = blob.slice(at, at + chunkBytes).arrayBuffer();
    // Marked handled: a read still in flight when a cancel ends the loop must not surface as unhandled.
    reading.catch(() => undefined);
    return reading;
  };
  let next = read(0);
  for (let at = 0; next !== null; at += chunkBytes) {
    const current = await next;
    next = read(at + chunkBytes);
    yield new Uint8Array(current);
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
