import type { Inflate } from '../core/util/gzip';

export function hasPlatformGunzip(): boolean {
  return typeof DecompressionStream === 'function';
}

/**
 * Gunzip through the platform's DecompressionStream (native code, much faster
 * than fflate). `onFail` is told when it throws, so the caller can read the
 * file again with fflate (some engines reject multi-member gzip).
 */
export function platformInflate(onFail: (e: unknown) => void): Inflate {
  return async function* (chunks) {
    const it = chunks[Symbol.asyncIterator]();
    const compressed = new ReadableStream<Uint8Array<ArrayBuffer>>({
      async pull(controller) {
        const next = await it.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value as Uint8Array<ArrayBuffer>);
      },
      async cancel() {
        await it.return?.();
      },
    });
    const reader = compressed.pipeThrough(new DecompressionStream('gzip')).getReader();
    let finished = false;
    try {
      for (;;) {
        let step: ReadableStreamReadResult<Uint8Array>;
        try {
          step = await reader.read();
        } catch (e) {
          onFail(e);
          throw e;
        }
        if (step.done) break;
        yield step.value;
      }
      finished = true;
    } finally {
      // Stopped early (cancelled, or the file was not a log): stop reading the file too.
      if (!finished) await reader.cancel().catch(() => undefined);
    }
  };
}
