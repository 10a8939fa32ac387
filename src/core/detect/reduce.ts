import type { Detection } from '../alerts/alert';
import type { CompactEvent } from '../events/columns';
import { mergeSources, type MergeSource } from '../runs/merge';
import type { Settings } from '../settings/settings';
import { StreamDetector } from './stream';
import { TrafficJoin } from '../runs/trafficJoin';

export interface ReduceResult {
  detection: Detection;
  /** URL events that took their bytes from a TRAFFIC row; null when no TRAFFIC rows were read. */
  joined: number | null;
  /** URL events that wanted bytes and found no TRAFFIC row of their session near them; null likewise. */
  unmatched: number | null;
}

export interface ReduceOptions {
  /** Earliest event of any kind in the history: activation counts from it. */
  dataStart: number | null;
  /** Each event as detection sees it (after the TRAFFIC join), in time order: to save or count it on the way. */
  tee?: (e: CompactEvent) => void;
  /** Awaited between blocks of the merge, so whatever `tee` writes to can keep up. */
  drain?: () => Promise<void>;
}

const MINUTE_MS = 60_000;

/**
 * The reduce of the pipeline (docs/architecture.md "The pipeline"), one pass: the k-way merge of sorted
 * runs, the TRAFFIC join where TRAFFIC rows are among them, and the
 * streaming detector.
 */
export async function reduce(sources: readonly MergeSource[], settings: Settings, opts: ReduceOptions): Promise<ReduceResult> {
  const detector = new StreamDetector(settings, opts.dataStart);
  const tee = opts.tee;
  const onEvent =
    tee === undefined
      ? (e: CompactEvent) => detector.push(e)
      : (e: CompactEvent) => {
          tee(e);
          detector.push(e);
        };
  if (!sources.some((s) => s.kind === 'traffic')) {
    await mergeSources(sources, { event: onEvent, drain: opts.drain });
    return { detection: detector.finish(), joined: null, unmatched: null };
  }
  const join = new TrafficJoin(settings.trafficJoinMinutes * MINUTE_MS, onEvent);
  await mergeSources(sources, { event: (e) => join.event(e), traffic: (t) => join.traffic(t), drain: opts.drain });
  join.finish();
  return { detection: detector.finish(), joined: join.joined, unmatched: join.unmatched };
}
