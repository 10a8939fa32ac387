import type { RunRef } from '../core/runs/runStore';
import type { ManifestEntry } from '../core/state/state';
import { emptyCounts, type Counts } from '../core/sources/counts';

/**
 * Everything ingested into this baseline, as the worker holds it: the file
 * manifest, the merged counts and where the events are (sorted runs in the
 * store). The events themselves stay in the store; analysis streams them.
 */
export interface History {
  /** Only files that were added (not failed, not repeats), in the order added. */
  files: ManifestEntry[];
  counts: Counts;
  runs: RunRef[];
  demoLoaded: boolean;
  /** The stored revision this copy matches. */
  revision: number;
}

export function emptyHistory(): History {
  return { files: [], counts: emptyCounts(), runs: [], demoLoaded: false, revision: 0 };
}

/** Events held in the history's runs (endpoint records left out). */
export function eventCount(h: History): number {
  return h.runs.reduce((n, r) => n + (r.kind === 'events' ? r.count : 0), 0);
}
