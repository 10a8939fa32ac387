import { PortPool, type ParsePort, type ParseReply } from '../core/map/parsePool';
import type { Settings } from '../core/settings';
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

/** One parse worker per core the browser reports (at least one), kept for the page's life. */
export function browserParsePool(settings: Settings): PortPool {
  const cores = typeof navigator !== 'undefined' && navigator.hardwareConcurrency > 0 ? navigator.hardwareConcurrency : 1;
  return new PortPool(Array.from({ length: Math.min(cores, 16) }, port), settings);
}
