import type { RunRef, RunStore } from './runStore';
import { rewriteRuns } from './rewriteRuns';
import { TrafficJoin } from './trafficJoin';
import { FLAG_PENDING } from '../events/columns';

const MINUTE_MS = 60_000;

/**
 * The TRAFFIC join for a drop of files in the tab: the drop's events and its
 * TRAFFIC rows merged by time, the events given their sessions' bytes, and
 * written as one run (without sessions) in `store`; the runs read (each from
 * the store `from` gives, `store` unless kept elsewhere) are deleted. Events
 * kept only for stitching (FLAG_PENDING) are dropped unless `keepPending`.
 */
export async function joinRuns(
  store: RunStore,
  runs: readonly RunRef[],
  trafficRuns: readonly RunRef[],
  windowMinutes: number,
  keepPending: boolean,
  from: (run: RunRef) => RunStore = () => store,
): Promise<{ runs: RunRef[]; joined: number; unmatched: number }> {
  let join: TrafficJoin | null = null;
  const out = await rewriteRuns(
    store,
    [...runs, ...trafficRuns],
    (push) => {
      const j = new TrafficJoin(windowMinutes * MINUTE_MS, (e) => {
        if (keepPending || (e.flags & FLAG_PENDING) === 0) push(e);
      });
      join = j;
      return { event: (e) => j.event(e), traffic: (t) => j.traffic(t), finish: () => j.finish() };
    },
    { deleteOld: true, from },
  );
  const done = join as TrafficJoin | null;
  return { runs: out, joined: done?.joined ?? 0, unmatched: done?.unmatched ?? 0 };
}
