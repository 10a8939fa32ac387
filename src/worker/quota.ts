import { problemMessage, StorageProblem, storageProblem } from '../db/problems';

/** Sizes in the words of a storage message. */
function megabytes(n: number): string {
  return n < 1024 * 1024 ? `${Math.round(n / 1024)} KB` : `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

/**
 * A storage problem as the page shows it: a full quota says how much this
 * page holds against what the browser lets it hold (navigator.storage in the
 * worker), and, for a reading's write, how much the work needed (`needed`:
 * its events written so far and the write refused), so the analyst can judge
 * what to remove or free. The browser's estimate can promise more than it
 * allows (a nearly full disk, a policy; Chromium's DevTools quota override is
 * not seen by estimate()): then the message says that the limit is lower
 * than reported instead of claiming room that was not there.
 */
export async function withQuotaFigures(e: unknown, needed?: number): Promise<StorageProblem> {
  const p = storageProblem(e);
  if (p.kind !== 'quota' || p.message !== problemMessage('quota')) return p;
  try {
    const { usage, quota } = await navigator.storage.estimate();
    if (usage === undefined || quota === undefined) return p;
    const left = Math.max(0, quota - usage);
    const holds = `the browser has no more storage for this page (quota exceeded): it holds ${megabytes(usage)}`;
    const written = '(its events written so far, before the browser compresses them)';
    const against =
      needed === undefined
        ? `${holds} of the ${megabytes(quota)} the browser lets it use, and the write needed more than the ${megabytes(left)} left`
        : needed < left
          ? `${holds}, and this work needed ${megabytes(needed)} more ${written}; the browser reports ${megabytes(quota)} ` +
            'as what it lets this page use, yet refused that, so it allows less than it reports (the disk is nearly full, or a setting or policy limits it)'
          : `${holds} of the ${megabytes(quota)} the browser lets it use, and this work needed ${megabytes(needed)} ${written}, more than the ${megabytes(left)} left`;
    return new StorageProblem(
      'quota',
      `${against}. Export the state to keep a copy; then remove old files from the baseline, reset it, or free disk space (the quota grows with it)`,
    );
  } catch {
    return p;
  }
}
