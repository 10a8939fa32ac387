import { emptyCollected, mergeCollected, type Collected } from '../core/ingest';

/** Everything read in this page so far: what analysis runs over, kept for the page's life. */
export interface History {
  collected: Collected;
  demoLoaded: boolean;
}

export function emptyHistory(): History {
  return { collected: emptyCollected(), demoLoaded: false };
}

/** Adds `from` (one file's or one run's history) into `into`. */
export function mergeHistory(into: History, from: History): void {
  mergeCollected(into.collected, from.collected);
  for (const f of from.collected.files) into.collected.files.push(f);
  into.demoLoaded ||= from.demoLoaded;
}
