import { withoutFiles } from '../core/runs/rewriteRuns';
import type { RunStore } from '../core/runs/runStore';
import { addCounts, emptyCounts } from '../core/sources/counts';
import { StorageProblem } from '../db/problems';
import type { History } from './history';
import type { Reading } from './reading';
import type { HistoryStore } from './store';

/** Tries to commit a drop when another tab keeps adding the same files in between. */
const COMMIT_ATTEMPTS = 3;

export interface Committed {
  /** The reading as committed: without the files another tab added meanwhile. */
  reading: Reading;
  /** The history with them: this one and the reading's files, or what is stored now when another tab wrote in between. */
  history: History;
}

/** `history` with a committed reading's files, runs and counts at `revision`. */
function withReading(history: History, reading: Reading, revision: number): History {
  const counts = structuredClone(history.counts);
  addCounts(counts, reading.counts);
  return {
    files: [...history.files, ...reading.added.map((a) => a.entry)],
    counts,
    runs: [...history.runs, ...reading.runs],
    demoLoaded: history.demoLoaded || reading.added.some((a) => a.entry.demo),
    revision,
  };
}

/**
 * Commits a reading's files in one transaction. Files another tab added
 * meanwhile are taken out of the runs first (they are repeats now), each
 * told to `repeated` with the stored file it repeats; after
 * COMMIT_ATTEMPTS the history kept changing, which is a StorageProblem.
 */
export async function commitReading(
  store: HistoryStore,
  history: History,
  reading: Reading,
  runs: RunStore,
  repeated: (added: Reading['added'][number], of: string) => void,
): Promise<Committed> {
  let current = reading;
  let known = history;
  for (let attempt = 1; ; attempt++) {
    if (current.added.length === 0) {
      for (const run of current.runs) await runs.delete(run);
      return { reading: current, history: known };
    }
    const result = await store.commit({
      files: current.added.map((a) => a.entry),
      runs: current.runs,
      counts: current.counts,
      events: current.events,
    });
    if (result.status === 'committed') {
      // Another tab wrote in between: what is stored now is ours plus theirs.
      if (result.before !== known.revision) return { reading: current, history: (await store.load()).history };
      return { reading: current, history: withReading(known, current, result.revision) };
    }
    if (attempt === COMMIT_ATTEMPTS) {
      throw new StorageProblem(
        'other',
        'the stored history kept changing in another tab while these files were being saved; try again',
      );
    }
    // Another tab added some of these files: drop their events and take the stored history as it is now.
    const repeats = new Map(result.files.map((f) => [f.key, f.of]));
    const keep = current.added.filter((a) => !repeats.has(a.entry.key));
    const counts = emptyCounts();
    for (const a of keep) addCounts(counts, a.entry.report.counts);
    for (const a of current.added) {
      const of = repeats.get(a.entry.key);
      if (of === undefined) continue;
      a.entry.report.duplicateOf = of;
      repeated(a, of);
    }
    const kept = await withoutFiles(runs, current.runs, new Set(repeats.keys()));
    current = { ...current, added: keep, runs: kept, counts, events: kept.reduce((n, r) => n + r.count, 0) };
    known = (await store.load()).history;
  }
}
