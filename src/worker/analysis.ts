import { CoverageCounter, type Coverage } from '../core/detect/coverage';
import { detectRuns } from '../core/pipeline/pipeline';
import type { Alert, Detection } from '../core/alerts/alert';
import { runSource } from '../core/runs/merge';
import type { RunStore } from '../core/runs/runStore';
import type { Settings } from '../core/settings/settings';
import { applySuppression, suppressionFor } from '../core/alerts/suppress';
import type { History } from './history';
import type { StitchCounts } from '../core/runs/stitchJoin';
import { ProcessBook } from './hostProcesses';

export interface Analysed {
  detection: Detection;
  coverage: Coverage;
  /** The alerts the suppression list left out, in the detection's order: what the Suppressed view lists. */
  hidden: Alert[];
  /** What stitching did; null without endpoint records. */
  stitch: StitchCounts | null;
  /** Every host's processes, from the events this detection saw. */
  processes: ProcessBook;
}

/**
 * Detection over the whole history: its runs merged into the streaming
 * detector, coverage counted on the way. The detector runs without the
 * suppression list, which is applied after it (as the CLI applies it to an
 * engine's result), so what each entry hides can be listed.
 */
export async function analyseHistory(store: RunStore, history: History, settings: Settings): Promise<Analysed> {
  const counter = new CoverageCounter(settings.uploadMinBytes);
  const processes = new ProcessBook();
  const result = await detectRuns(
    history.runs.map((r) => runSource(store, r)),
    { ...settings, suppress: [] },
    {
      dataStart: history.counts.minTime,
      tee: (e) => {
        counter.add(e);
        processes.add(e);
      },
    },
  );
  const all = result.detection.alerts;
  const shown = applySuppression(all, settings.suppress);
  const hidden = all.filter((a) => suppressionFor(settings.suppress, a.host, a.client, a.domain) !== -1);
  return {
    detection: { ...result.detection, alerts: shown.alerts, suppressed: shown.hits },
    coverage: counter.coverage(history.files.length, history.counts),
    hidden,
    stitch: result.stitch,
    processes,
  };
}
