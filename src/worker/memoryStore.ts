import { MemoryRunStore, type RunStore } from '../core/runs/runStore';
import type { StorageStatus } from './api';
import { emptyHistory, type History } from './history';
import type { BatchResult, HistoryStore, StoredState } from './store';

/** No storage: the history lives in the worker's memory only, for this tab's life. */
export class MemoryStore implements HistoryStore {
  private readonly store = new MemoryRunStore();
  private revision = 0;

  constructor(readonly status: Extract<StorageStatus, { mode: 'memory' }>) {}

  async load(): Promise<StoredState> {
    return { history: emptyHistory(), settings: null, triage: {}, alertsCurrent: true };
  }

  runs(): RunStore {
    return this.store;
  }

  async commit(): Promise<BatchResult> {
    return { status: 'committed', before: this.revision, revision: ++this.revision };
  }

  async replace(history: History): Promise<number> {
    this.store.keepOnly(history.runs);
    return ++this.revision;
  }

  async saveAnalysis(): Promise<void> {}

  async clear(): Promise<number> {
    this.store.keepOnly([]);
    return ++this.revision;
  }

  async setTriage(): Promise<void> {}

  async setTriages(): Promise<void> {}

  close(): void {}
}
