import { withoutFiles } from '../core/runs/rewriteRuns';
import type { RunStore } from '../core/runs/runStore';
import type { ManifestEntry } from '../core/state/state';
import type { Settings } from '../core/settings/settings';
import { emptyCounts, removeCounts, type Counts } from '../core/sources/counts';
import { storageProblem } from '../db/problems';
import type { Refusal } from './api';
import type { History } from './history';
import { readingKey, withReadingLock } from './runLock';
import type { HistoryStore } from './store';

/**
 * The history without some of its files: their events taken out of the runs
 * (written as a new pending run; the old ones stay until the caller replaces
 * the stored history in one transaction), their counts taken out of the
 * totals. The time range comes again from the files that remain.
 */
async function historyWithout(store: RunStore, history: History, keys: ReadonlySet<string>): Promise<History> {
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

/**
 * Takes files out of the stored history, by key, in one transaction: the
 * history without them, and the files that went; or, when none of them is
 * there any more or storage fails, a refusal, with nothing changed.
 * `committing` hears when the new events are written and the commit starts.
 */
export async function removeFiles(
  store: HistoryStore,
  history: History,
  settings: Settings,
  keys: readonly string[],
  committing: () => void = () => undefined,
): Promise<{ history: History; gone: ManifestEntry[] } | { refusal: Refusal }> {
  const drop = new Set(keys);
  const gone = history.files.filter((f) => drop.has(f.key));
  if (gone.length === 0) return { refusal: { kind: 'files-gone' } };
  const names = gone.map((f) => f.report.name);
  const owner = readingKey();
  const runs = store.runs(owner);
  let next: History;
  try {
    next = await withReadingLock(owner, () => historyWithout(runs, history, drop));
  } catch (e) {
    return { refusal: { kind: 'files-not-removed', names, reason: storageProblem(e).message } };
  }
  committing();
  try {
    next.revision = await store.replace(next, settings, null);
  } catch (e) {
    for (const run of next.runs) await runs.delete(run).catch(() => undefined);
    return { refusal: { kind: 'files-not-removed', names, reason: storageProblem(e).message } };
  }
  return { history: next, gone };
}
