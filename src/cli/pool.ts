import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { MapInput, ParsePool } from '../core/ingest/coordinator';
import { LocalPool, PortPool, SharedPool, type ParsePort, type ParseReply } from '../core/ingest/parsePool';
import type { Settings } from '../core/settings/settings';
import { nodeDecoder } from './decode';
import { parseWorkerScript } from './paths';

const WORKER = parseWorkerScript;

/** Cores to use when `--threads` is not given. */
export function defaultThreads(): number {
  return Math.max(1, availableParallelism());
}

/**
 * Files together smaller than this are parsed on this thread alone when
 * `--threads` is not given: starting a parse thread (a fresh V8 loading the
 * bundle) costs about 0.1 s of CPU, more than parsing them, even gzipped.
 */
const SMALL_INPUT_BYTES = 256 << 10;

/** `--threads` not given: one thread a core, or this one alone for small files (the answers do not depend on it). */
export function threadsFor(inputs: readonly Omit<MapInput, 'source'>[]): number {
  let bytes = 0;
  for (const input of inputs) {
    if (input.onePass) return defaultThreads();
    try {
      const s = statSync(input.name);
      if (!s.isFile()) return defaultThreads();
      bytes += s.size;
    } catch {
      // The map says why it cannot be read; its size is not known here.
      return defaultThreads();
    }
    if (bytes > SMALL_INPUT_BYTES) return defaultThreads();
  }
  return 1;
}

function threadPort(): ParsePort {
  const worker = new Worker(WORKER);
  return {
    post: (request, transfer) => worker.postMessage(request, transfer),
    listen(onReply, onFatal) {
      worker.on('message', (reply: ParseReply) => onReply(reply));
      worker.on('error', onFatal);
      worker.on('exit', (code) => {
        if (code !== 0) onFatal(new Error(`a parse worker thread exited with code ${code}`));
      });
    },
    terminate: () => void worker.terminate(),
  };
}

export type CliPool = ParsePool & { settings: Settings; close(): void };

/** Parsing for the CLI on `threads` threads: this one, and `threads - 1` worker threads beside it. */
export function parsePool(settings: Settings, threads: number): CliPool {
  const here = new LocalPool(settings, nodeDecoder());
  if (threads <= 1) return here;
  return new SharedPool(new PortPool(Array.from({ length: threads - 1 }, threadPort), settings), here);
}
