import { CoverageCounter, type Coverage } from '../core/detect/coverage';
import { detectRuns } from '../core/pipeline/pipeline';
import type { Detection } from '../core/alerts/alert';
import { runSource } from '../core/runs/merge';
import type { RunStore } from '../core/runs/runStore';
import type { Settings } from '../core/settings/settings';
import type { History } from './history';

export interface Analysed {
  detection: Detection;
  coverage: Coverage;
}

/** Detection over the whole history: its runs merged into the streaming detector, coverage counted on the way. */
export async function analyseHistory(store: RunStore, history: History, settings: Settings): Promise<Analysed> {
  const counter = new CoverageCounter(settings.uploadMinBytes);
  const result = await detectRuns(
    history.runs.map((r) => runSource(store, r)),
    settings,
    {
      dataStart: history.counts.minTime,
      tee: (e) => counter.add(e),
    },
  );
  return { detection: result.detection, coverage: counter.coverage(history.files.length, history.counts) };
}
