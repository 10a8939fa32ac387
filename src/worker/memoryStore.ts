import { MemoryRunStore, type RunStore } from '../core/runs/runStore';
import type { StorageStatus } from './api';
import { emptyHistory, type History } from './history';
import type { BatchResult, HistoryStore, StoredState } from './store';

/** No storage: the history lives in the worker's memory only, for this tab's life. */
export class MemoryStore implements HistoryStore {
  private readonly store = new MemoryRunStore();
  private storedRevision = 0;

  constructor(readonly status: Extract<StorageStatus, { mode: 'memory' }>) {}

  async load(): Promise<StoredState> {
    return { history: emptyHistory(), settings: null, triage: {}, alertsCurrent: true };
  }

  runs(): RunStore {
    return this.store;
  }

  async commit(): Promise<BatchResult> {
    return { status: 'committed', before: this.storedRevision, revision: ++this.storedRevision };
  }

  async replace(history: History): Promise<number> {
    this.store.keepOnly(history.runs);
    return ++this.storedRevision;
  }

  async saveAnalysis(revision: number, _a: unknown, _s: unknown, _c: unknown, settingsChanged: boolean): Promise<number> {
    return settingsChanged ? ++this.storedRevision : revision;
  }

  async clear(): Promise<number> {
    this.store.keepOnly([]);
    return ++this.storedRevision;
  }

  async setTriage(): Promise<void> {}

  async setTriages(): Promise<void> {}

  async revision(): Promise<number> {
    return this.storedRevision;
  }

  /** Memory dies with the tab: no work outlives it, so none is marked. */
  async begin(): Promise<void> {}

  async end(): Promise<void> {}

  async interrupted(): Promise<null> {
    return null;
  }

  close(): void {}
}
