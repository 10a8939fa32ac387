import type { Coverage } from '../core/detect/coverage';
import type { RunRef, RunStore } from '../core/runs/runStore';
import type { AlertRecord } from '../core/alerts/record';
import type { Settings } from '../core/settings/settings';
import type { Triage } from '../core/alerts/triage';
import type { ManifestEntry } from '../core/state/state';
import type { Counts } from '../core/sources/counts';
import type { InterruptedWork, StorageStatus, WorkAsked } from './api';
import type { History } from './history';

export interface StoredState {
  history: History;
  /** Null when none were saved: the defaults apply. */
  settings: Settings | null;
  /** Why saved settings were not used (outside this version's ranges); null when they were, or none were saved. */
  settingsProblem?: string | null;
  triage: Record<string, Triage>;
  /** Whether the stored alerts were made from this history (else they are made again). */
  alertsCurrent: boolean;
}

/** Files read in one go, their events in pending runs of the store. */
export interface Batch {
  files: ManifestEntry[];
  runs: RunRef[];
  counts: Counts;
  events: number;
}

export type BatchResult =
  /** `before`: the stored revision it was added to. */
  | { status: 'committed'; revision: number; before: number }
  /** These files were added meanwhile (another tab): nothing was written; drop them from the batch and try again. */
  | { status: 'duplicates'; files: { key: string; of: string }[] };

/**
 * Where the worker keeps the history: IndexedDB, or nowhere (memory only).
 * Each method either does all it says or throws (a StorageProblem) and
 * changes nothing.
 */
export interface HistoryStore {
  readonly status: StorageStatus;
  load(): Promise<StoredState>;
  /** A store for the runs of one reading (pending until committed or replaced); `owner` names the reading. */
  runs(owner: string): RunStore;
  /** Adds files whose events are in pending runs. */
  commit(batch: Batch): Promise<BatchResult>;
  /** Replaces everything with `history` (its runs pending until now); `triage` null keeps the stored triage. Returns the new revision. */
  replace(history: History, settings: Settings, triage: Record<string, Triage> | null): Promise<number>;
  /**
   * Saves the alerts made from the history at `revision`, the settings that
   * made them and what the history covers; `settingsChanged` bumps the
   * revision with them. Returns the revision stored now (unchanged when
   * another tab changed the history meanwhile and nothing was saved).
   */
  saveAnalysis(
    revision: number,
    alerts: readonly AlertRecord[],
    settings: Settings,
    coverage: Coverage,
    settingsChanged: boolean,
  ): Promise<number>;
  clear(): Promise<number>;
  setTriage(id: string, triage: Triage): Promise<void>;
  /** Several at once, in one transaction. */
  setTriages(triage: Record<string, Triage>): Promise<void>;
  /** The revision stored now (another tab's work bumps it). */
  revision(): Promise<number>;
  /**
   * Marks work on the history as started, durably (best effort: where even
   * that cannot be written, the work's own writes fail and say why). Until
   * `end`, the commit or replacement it makes marks it committed in the same
   * transaction.
   */
  begin(owner: string, work: WorkAsked): Promise<void>;
  /** The work begun ended (done, refused, cancelled or failed): its marker goes. */
  end(): Promise<void>;
  /** Work that was cut off (the tab or browser died) and that no tab is doing now; its marker goes. Null when none. */
  interrupted(): Promise<InterruptedWork | null>;
  /** Lets go of the storage (when the worker falls back to memory after all). */
  close(): void;
}
