import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ParsePool } from '../core/ingest/coordinator';
import { LocalPool, PortPool, SharedPool, type ParsePort, type ParseReply } from '../core/ingest/parsePool';
import type { Settings } from '../core/settings/settings';
import { nodeDecoder } from './decode';
import { parseWorkerScript } from './paths';

const WORKER = parseWorkerScript;

/** Cores to use when `--threads` is not given. */
export function defaultThreads(): number {
  return Math.max(1, availableParallelism());
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
