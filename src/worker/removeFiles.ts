import { withoutFiles } from '../core/events/rewriteRuns';
import type { RunStore } from '../core/events/runStore';
import { emptyCounts, removeCounts, type Counts } from '../core/stats';
import type { History } from './history';

/**
 * The history without some of its files: their events taken out of the runs
 * (written as a new pending run; the old ones stay until the caller replaces
 * the stored history in one transaction), their counts taken out of the
 * totals. The time range comes again from the files that remain.
 */
export async function historyWithout(store: RunStore, history: History, keys: ReadonlySet<string>): Promise<History> {
  const files = history.files.filter((f) => !keys.has(f.key));
  const gone = history.files.filter((f) => keys.has(f.key));
  let counts: Counts;
  if (files.length === 0) {
    counts = emptyCounts();
  } else {
    counts = structuredClone(history.counts);
    for (const f of gone) removeCounts(counts, f.report.counts);
    counts.minTime = null;
    counts.maxTime = null;
    for (const f of files) {
      const { minTime, maxTime } = f.report.counts;
      if (minTime !== null && (counts.minTime === null || minTime < counts.minTime)) counts.minTime = minTime;
      if (maxTime !== null && (counts.maxTime === null || maxTime > counts.maxTime)) counts.maxTime = maxTime;
    }
  }
  const runs = history.runs.length === 0 ? [] : await withoutFiles(store, history.runs, keys, { deleteOld: false });
  return { files, counts, runs, demoLoaded: files.some((f) => f.demo), revision: history.revision };
}
