import type { Candidate } from '../core/event';
import type { AlertRecord } from '../core/record';
import type { Settings } from '../core/settings';
import type { Triage } from '../core/state';
import type { StoredHistory } from '../db/loadHistory';
import type { StorageStatus } from './api';
import type { History, Reading } from './history';

export type StoreCommit =
  | { status: 'committed' }
  /** Already added (by another tab, say): nothing was written. */
  | { status: 'duplicate'; of: string }
  /** The stored history moved on (another tab wrote): nothing was written; load it again and retry. */
  | { status: 'stale' };

/**
 * Where the worker keeps the history: IndexedDB, or nowhere (memory only).
 * Each method either does all it says or throws (a StorageProblem) and
 * changes nothing.
 */
export interface HistoryStore {
  readonly status: StorageStatus;
  load(): Promise<StoredHistory>;
  /** Writes one file's whole effect; `changed` are stored events whose byte counts the file completed. */
  commitFile(history: History, reading: Reading, changed: readonly Candidate[], settings: Settings): Promise<StoreCommit>;
  /** Saves the alerts made from the history as it is now, and the settings that made them. */
  saveAnalysis(history: History, alerts: readonly AlertRecord[], settings: Settings, rebuildBaseline: boolean): Promise<void>;
  /** Replaces everything; `triage` null keeps the stored triage. */
  replace(history: History, settings: Settings, triage: Record<string, Triage> | null): Promise<void>;
  clear(): Promise<void>;
  setTriage(id: string, triage: Triage): Promise<void>;
  /** Lets go of the storage (when the worker falls back to memory after all). */
  close(): void;
}
