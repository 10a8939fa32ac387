import { defaultSettings, type Settings } from '../core/settings/settings';
import type { Analysis, Coverage, StorageStatus } from '../worker/api';
import { StorageEstimate } from './storageEstimate.svelte';

/**
 * What the worker last said the history is: where it is kept, the analysis
 * of it and the settings that made it. Every number the page shows is read
 * from `analysis`, which the worker derives from the stored history the same
 * way on opening and after each run, so a reload shows the same numbers.
 */
export class StoredHistory {
  /** Null while the stored history is being opened. */
  storage = $state.raw<StorageStatus | null>(null);
  analysis = $state.raw<Analysis | null>(null);
  /** The settings of the current analysis. */
  settings = $state.raw<Settings>(defaultSettings());
  readonly estimate = new StorageEstimate();

  /** What the stored baseline covers, counted by the worker in the pass that made the alerts shown. */
  get coverage(): Coverage | null {
    return this.analysis?.coverage ?? null;
  }

  show(analysis: Analysis): void {
    this.analysis = analysis;
    this.settings = analysis.settings;
  }
}
