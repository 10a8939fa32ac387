import { emptyCollected } from '../core/ingest';
import { EventBlocks } from '../db/eventBlocks';
import type { StoredHistory } from '../db/loadHistory';
import type { StorageStatus } from './api';
import type { HistoryStore, StoreCommit } from './store';

/** No storage: the history lives in the worker's memory only, for this tab's life. */
export class MemoryStore implements HistoryStore {
  readonly status: StorageStatus;

  constructor(problem: string) {
    this.status = { mode: 'memory', problem };
  }

  async load(): Promise<StoredHistory> {
    return {
      collected: emptyCollected(), demoLoaded: false, demoFiles: new Set(), revision: 0, settings: null, triage: {},
      alertsRevision: null, blocks: new EventBlocks(),
    };
  }

  async commitFile(): Promise<StoreCommit> {
    return { status: 'committed' };
  }

  async saveAnalysis(): Promise<void> {}

  async replace(): Promise<void> {}

  async clear(): Promise<void> {}

  async setTriage(): Promise<void> {}

  close(): void {}
}
