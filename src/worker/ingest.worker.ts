import * as Comlink from 'comlink';
import type { IngestApi } from './api';
import { DbStore } from './dbStore';
import { browserParsePool, parseWorkerCount } from './browserParsePool';
import { MemoryStore } from './memoryStore';
import { Workspace } from './workspace';

/** Set by the page before any run (`?parse-workers=N`); the pool is made at the first run. */
let parseWorkers: number | null = null;

/**
 * Opened at once: IndexedDB works in a worker, and the page's first request
 * is to see what is stored. A worker named for memory (a separate demo
 * session beside a stored history) never opens it.
 */
const memoryOnly = (self as unknown as { name?: string }).name === 'offbrowse-ingest-memory';
const workspace = new Workspace(
  () => (memoryOnly ? Promise.resolve(new MemoryStore({ mode: 'memory', cause: 'separate-session' })) : DbStore.open()),
  (settings) => browserParsePool(settings, parseWorkerCount(parseWorkers)),
);

/** Frees the message port of a progress callback the page made for one run. */
function released<T>(callback: T, run: Promise<unknown>): void {
  void run.finally(() => (callback as Partial<Comlink.Remote<T>>)[Comlink.releaseProxy]?.()).catch(() => undefined);
}

const api: IngestApi = {
  open: () => workspace.open(),

  addFiles(files, onProgress) {
    const run = workspace.addFiles(files, onProgress);
    released(onProgress, run);
    return run;
  },

  addDemo(form, onProgress) {
    const run = workspace.addDemo(form, onProgress);
    released(onProgress, run);
    return run;
  },

  removeFiles(keys, onProgress) {
    const run = workspace.removeFiles(keys, onProgress);
    released(onProgress, run);
    return run;
  },

  rebuild(settings, onProgress) {
    const run = workspace.rebuild(settings, onProgress);
    released(onProgress, run);
    return run;
  },

  reanalyse: (settings) => workspace.reanalyse(settings),

  cancel() {
    workspace.cancel();
  },

  setParseWorkers(count) {
    parseWorkers = parseWorkerCount(count);
  },

  detail: async (gen, index) => workspace.detail(gen, index),
  exportJsonLines: async (gen, order) => workspace.exportJsonLines(gen, order),
  exportCsv: async (gen, order) => workspace.exportCsv(gen, order),
  setTriage: (id, status, note) => workspace.setTriage(id, status, note),
  setTriageMany: (changes) => workspace.setTriageMany(changes),
  searchAlerts: async (gen, text) => workspace.searchAlerts(gen, text),
  hostActivity: (gen, index, spanMs) => workspace.hostActivity(gen, index, spanMs),
  suppressionPreview: async (gen, entry) => workspace.suppressionPreview(gen, entry),
  suppressedAlerts: async (gen) => workspace.suppressedAlerts(gen),
  exportState: () => workspace.exportState(),
  importState(file, onProgress) {
    const run = workspace.importState(file, onProgress);
    released(onProgress, run);
    return run;
  },
  importAlerts: (file) => workspace.importAlerts(file),
  reset: () => workspace.reset(),
  refresh: () => workspace.refresh(),
};

Comlink.expose(api);
