import * as Comlink from 'comlink';
import { errorMessage } from '../core/util/errorMessage';
import type { IngestApi } from '../worker/api';
// The one place the worker is imported. Inline in both builds: a worker started
// from a blob: URL is under the page's Content-Security-Policy, while one loaded
// from a URL takes its policy from that response's headers, which a static host
// does not send. The single-file build makes it a classic worker (vite.single.config.ts).
import IngestWorker from '../worker/ingest.worker.ts?worker&inline';

export type IngestClient = Comlink.Remote<IngestApi>;

/** The name of a worker that keeps everything in memory (ingest.worker.ts reads it). */
const MEMORY_WORKER_NAME = 'offbrowse-ingest-memory';

/**
 * The worker lives as long as the page, and keeps the history read so far.
 * `onCrash` hears of a worker that failed to start or died.
 */
export function startIngestWorker(onCrash: (message: string) => void, opts: { memoryOnly: boolean }): IngestClient {
  // The worker reads its name to know it must not open the stored history (a separate demo session).
  const worker = new IngestWorker({ name: opts.memoryOnly ? MEMORY_WORKER_NAME : 'offbrowse-ingest' });
  worker.addEventListener('error', (e) => onCrash(e.message || 'the ingest worker failed to start'));
  worker.addEventListener('messageerror', () => onCrash('a message from the ingest worker could not be read'));
  const client = Comlink.wrap<IngestApi>(worker);
  // `?parse-workers=N` (README, Benchmarks): how many parse workers, instead of one per core.
  // Sent before any run, and messages arrive in order, so every run sees it.
  const parseWorkers = new URLSearchParams(location.search).get('parse-workers');
  if (parseWorkers !== null) {
    client.setParseWorkers(Number(parseWorkers)).catch((e: unknown) => console.warn(`offbrowse: ${errorMessage(e)}`));
  }
  return client;
}
