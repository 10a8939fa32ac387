/** Byte sources for ingest: files read in bounded slices, and generated text. */

/** Bytes read per step: large enough that per-chunk costs vanish, small enough to keep memory flat. */
const CHUNK_BYTES = 1 << 20;

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

/** How long reading or generating may run before letting messages (a cancel) through. */
const SLICE_MS = 30;

/**
 * A File (or any Blob) as a stream of chunks of at most `chunkBytes`, read
 * through the blob's byte stream into two buffers used in turn: the next
 * chunk is read while the current one is parsed, and no memory is allocated
 * per chunk. In a Chromium worker this read 100 MB in about 0.3 s, against
 * about 1.2 s for 1 MiB `slice().arrayBuffer()` reads (each a fresh buffer).
 *
 * A chunk is lent: it is overwritten once the next one is asked for, so a
 * consumer that keeps bytes must copy them (core's ingest does, for gunzip).
 */
export async function* blobChunks(blob: Blob, chunkBytes = CHUNK_BYTES): AsyncIterable<Uint8Array> {
  let stream: ReadableStream<Uint8Array>;
  let reader: ReadableStreamBYOBReader;
  try {
    stream = blob.stream();
    reader = stream.getReader({ mode: 'byob' });
  } catch {
    // An engine whose blobs have no streams, or streams that are not byte streams.
    yield* sliceChunks(blob, chunkBytes);
    return;
  }
  streamsBeingRead.add(stream);
  let ended = false;
  /** Reads into `buffer` until it is full or the blob ends; the buffer moves into the result. */
  const fill = async (buffer: ArrayBuffer): Promise<Uint8Array> => {
    let filled = 0;
    while (!ended && filled < buffer.byteLength) {
      const step = await reader.read(new Uint8Array(buffer, filled));
      if (step.value !== undefined) buffer = step.value.buffer as ArrayBuffer;
      if (step.done) ended = true;
      else filled += step.value.byteLength;
    }
    return new Uint8Array(buffer, 0, filled);
  };
  let finished = false;
  let sliceStart = Date.now();
  try {
    let pending = fill(new ArrayBuffer(chunkBytes));
    let spare = new ArrayBuffer(chunkBytes);
    for (;;) {
      const current = await pending;
      if (current.byteLength === 0) break;
      pending = fill(spare);
      // Marked handled: a read still in flight when a cancel ends the loop must not surface as unhandled.
      pending.catch(() => undefined);
      yield current;
      spare = current.buffer as ArrayBuffer;
      // Buffered reads resolve as microtasks, so a whole file could be read without a message (a cancel) getting in.
      if (Date.now() - sliceStart >= SLICE_MS) {
        await nextTask();
        sliceStart = Date.now();
      }
    }
    finished = true;
  } finally {
    if (!finished) await reader.cancel().catch(() => undefined);
    streamsBeingRead.delete(stream);
  }
}

/**
 * Blob streams being read, held here. In Chromium 156 a blob stream that only
 * its BYOB reader refers to can be collected mid-read, and the pending read
 * then never settles: 4 runs in 5 over 30 files of 0.5 MB stalled, none
 * once the stream was held.
 */
const streamsBeingRead = new Set<ReadableStream<Uint8Array>>();

/** The same chunks through `slice().arrayBuffer()`, one slice read ahead: for engines without byte streams. */
export async function* sliceChunks(blob: Blob, chunkBytes = CHUNK_BYTES): AsyncIterable<Uint8Array> {
  const read = (at: number): Promise<ArrayBuffer> | null => {
    if (at >= blob.size) return null;
    const reading = blob.slice(at, at + chunkBytes).arrayBuffer();
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

/**
 * Text chunks as UTF-8 bytes in batches of at most `chunkBytes`, yielding to
 * the event loop now and then so a cancel can arrive. The bytes are encoded
 * into one reused buffer and lent, as `blobChunks` lends its: a fresh 1 MiB
 * array from `TextEncoder.encode` cost about 14 ms each in a Chromium worker,
 * over a second of the demo's load.
 */
export async function* textChunks(texts: Iterable<string>, chunkBytes = CHUNK_BYTES): AsyncIterable<Uint8Array> {
  const encoder = new TextEncoder();
  const buffer = new Uint8Array(chunkBytes);
  let parts: string[] = [];
  let length = 0;
  let sliceStart = Date.now();
  /** Encodes `text` into the buffer, a bufferful at a time. */
  const encoded = function* (text: string): Iterable<Uint8Array> {
    while (text.length > 0) {
      const { read, written } = encoder.encodeInto(text, buffer);
      yield buffer.subarray(0, written);
      text = text.slice(read);
    }
  };
  for (const text of texts) {
    parts.push(text);
    // A UTF-16 unit is at most 3 bytes of UTF-8: a third of the buffer is what surely fits.
    length += text.length;
    if (length * 3 >= chunkBytes) {
      yield* encoded(parts.join(''));
      parts = [];
      length = 0;
    }
    if (Date.now() - sliceStart >= SLICE_MS) {
      await nextTask();
      sliceStart = Date.now();
    }
  }
  if (length > 0) yield* encoded(parts.join(''));
}
