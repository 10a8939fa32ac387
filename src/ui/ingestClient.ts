import * as Comlink from 'comlink';
import type { IngestApi } from '../worker/api';
// The one place the worker is imported: the single-file build swaps this for `?worker&inline`.
import IngestWorker from '../worker/ingest.worker.ts?worker';

export type IngestClient = Comlink.Remote<IngestApi>;

/**
 * The worker lives as long as the page, and keeps the history read so far.
 * `onCrash` hears of a worker that failed to start or died.
 */
export function startIngestWorker(onCrash: (message: string) => void): IngestClient {
  const worker = new IngestWorker({ name: 'offbrowse-ingest' });
  worker.addEventListener('error', (e) => onCrash(e.message || 'the ingest worker failed to start'));
  worker.addEventListener('messageerror', () => onCrash('a message from the ingest worker could not be read'));
  return Comlink.wrap<IngestApi>(worker);
}
