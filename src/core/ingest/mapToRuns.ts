import type { RunRef, RunStore } from '../runs/runStore';
import { mapFiles, type MapInput, type MapOptions, type ParsePool } from './coordinator';
import type { FileReport } from './report';
import { RunBuilder } from './runBuilder';

export interface Mapped {
  /** One per input, in order. */
  reports: FileReport[];
  /** Sorted runs of the events of the inputs that were added (not failed, not repeats). */
  runs: RunRef[];
  trafficRuns: RunRef[];
}

/** How big runs grow and how many are merged at once (RunBuilder); tests make both small. */
export interface RunLimits {
  events: number;
  traffic: number;
  fanIn: number;
}

/** The map into sorted runs in `store`. On a cancel or failure nothing is left in the store. */
export async function mapToRuns(
  inputs: readonly MapInput[],
  pool: ParsePool,
  store: RunStore,
  opts: MapOptions,
  limits?: RunLimits,
): Promise<Mapped> {
  const builder =
    limits === undefined ? new RunBuilder(store) : new RunBuilder(store, limits.events, limits.traffic, limits.fanIn);
  try {
    const reports = await mapFiles(inputs, pool, builder, opts);
    await builder.finish();
    return { reports, runs: [...builder.runs], trafficRuns: [...builder.trafficRuns] };
  } catch (e) {
    await builder.discard().catch(() => undefined);
    throw e;
  }
}
