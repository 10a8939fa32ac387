import * as Comlink from 'comlink';
import type { IngestApi } from './api';
import { DbStore } from './dbStore';
import { browserParsePool, parseWorkerCount } from './parsePool';
import { Workspace } from './workspace';

/** Set by the page before any run (`?parse-workers=N`); the pool is made at the first run. */
let parseWorkers: number | null = null;

/** Opened at once: IndexedDB works in a worker, and the page's first request is to see what is stored. */
const workspace = new Workspace(() => DbStore.open(), (settings) => browserParsePool(settings, parseWorkerCount(parseWorkers)));

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

  addDemo(onProgress) {
    const run = workspace.addDemo(onProgress);
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
  exportJsonLines: async (gen, statuses) => workspace.exportJsonLines(gen, statuses),
  exportCsv: async (gen, statuses) => workspace.exportCsv(gen, statuses),
  setTriage: (id, status, note) => workspace.setTriage(id, status, note),
  exportState: () => workspace.exportState(),
  importState: (file) => workspace.importState(file),
  importAlerts: (file) => workspace.importAlerts(file),
  reset: () => workspace.reset(),
};

Comlink.expose(api);
