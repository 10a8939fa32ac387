import { problemMessage, StorageProblem, storageProblem } from '../db/problems';

/** Sizes in the words of a storage message. */
function megabytes(n: number): string {
  return n < 1024 * 1024 ? `${Math.round(n / 1024)} KB` : `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

/**
 * A storage problem as the page shows it: a full quota says how much this
 * page holds against what the browser lets it hold (navigator.storage in the
 * worker), so the analyst can judge what to remove or free.
 */
export async function withQuotaFigures(e: unknown): Promise<StorageProblem> {
  const p = storageProblem(e);
  if (p.kind !== 'quota' || p.message !== problemMessage('quota')) return p;
  try {
    const { usage, quota } = await navigator.storage.estimate();
    if (usage === undefined || quota === undefined) return p;
    return new StorageProblem(
      'quota',
      `the browser has no more storage for this page (quota exceeded): it holds ${megabytes(usage)} of the ` +
        `${megabytes(quota)} the browser lets it use, and the write needed more than the ${megabytes(Math.max(0, quota - usage))} left. ` +
        'Export the state to keep a copy; then remove old files from the baseline, reset it, or free disk space (the quota grows with it)',
    );
  } catch {
    return p;
  }
}
