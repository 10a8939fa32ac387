import { PortPool, type ParsePort, type ParseReply } from '../core/ingest/parsePool';
import type { Settings } from '../core/settings/settings';
// Inline, as the ingest worker is (src/ui/ingestClient.ts): a worker from a blob: URL is under the page's policy.
import ParseWorkerScript from './parse.worker.ts?worker&inline';

function port(): ParsePort {
  const worker = new ParseWorkerScript({ name: 'offbrowse-parse' });
  return {
    post: (request, transfer) => worker.postMessage(request, transfer),
    listen(onReply, onFatal) {
      worker.addEventListener('message', (e: MessageEvent<ParseReply>) => onReply(e.data));
      worker.addEventListener('error', (e) => onFatal(new Error(e.message || 'a parse worker failed to start')));
    },
    terminate: () => worker.terminate(),
  };
}

/** Parse workers for `count` (1 to 16); by default one per core the browser reports, at least one. */
export function parseWorkerCount(count: number | null): number {
  if (count !== null) {
    if (!Number.isInteger(count) || count < 1 || count > 16)
      throw new Error(`parse-workers must be a whole number from 1 to 16, not ${count}`);
    return count;
  }
  const cores = typeof navigator !== 'undefined' && navigator.hardwareConcurrency > 0 ? navigator.hardwareConcurrency : 1;
  return Math.min(cores, 16);
}

/** The parse workers of the tab, kept for the page's life. */
export function browserParsePool(settings: Settings, count: number): PortPool {
  return new PortPool(Array.from({ length: count }, port), settings);
}
