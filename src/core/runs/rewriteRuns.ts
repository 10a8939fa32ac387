import type { CompactEvent } from '../events/columns';
import { mergeSources, runSource, type MergeVisitor } from './merge';
import type { RunRef, RunStore } from './runStore';
import { SortedRunWriter } from './runWriter';
import { SortedEndpointWriter } from './combineRuns';

/**
 * Runs merged into one new run in `store`, through `through` (which hands on
 * the events to keep, in time order), and the old runs deleted once the new
 * one is whole. The old runs are read from (and deleted in) the store `from`
 * gives for each, where some are kept elsewhere (a map's last runs held in
 * memory, pipeline.ts joinHeld).
 */
export async function rewriteRuns(
  store: RunStore,
  runs: readonly RunRef[],
  through: (push: (e: CompactEvent) => void) => MergeVisitor & { finish?(): void },
  opts: { deleteOld: boolean; from?: (run: RunRef) => RunStore } = { deleteOld: true },
): Promise<RunRef[]> {
  const from = opts.from ?? (() => store);
  const writer = new SortedRunWriter(store);
  try {
    const visitor = through((e) => writer.push(e));
    await mergeSources(
      runs.map((r) => runSource(from(r), r)),
      { ...visitor, event: (e) => visitor.event(e), drain: () => writer.drain() },
    );
    visitor.finish?.();
    const run = await writer.finish();
    if (opts.deleteOld) for (const r of runs) await from(r).delete(r);
    return run === null ? [] : [run];
  } catch (e) {
    await writer.abort().catch(() => undefined);
    throw e;
  }
}

/**
 * The runs without the events of the files whose keys are in `drop` (a file
 * removed, or found to repeat one). `deleteOld` false leaves the runs read in
 * place, for a caller that swaps them out in one transaction of its own.
 */
export async function withoutFiles(
  store: RunStore,
  runs: readonly RunRef[],
  drop: ReadonlySet<string>,
  opts: { deleteOld: boolean } = { deleteOld: true },
): Promise<RunRef[]> {
  const endpointRuns = runs.filter((r) => r.kind === 'endpoint');
  const events = await rewriteRuns(
    store,
    runs.filter((r) => r.kind !== 'endpoint'),
    (push) => ({
      event(e) {
        if (!drop.has(e.source)) push(e);
      },
    }),
    opts,
  );
  if (endpointRuns.length === 0) return events;
  // The endpoint records apart: a run holds one kind.
  const writer = new SortedEndpointWriter(store);
  try {
    await mergeSources(
      endpointRuns.map((r) => runSource(store, r)),
      {
        event: () => undefined,
        endpoint: (r) => {
          if (!drop.has(r.source)) writer.push(r);
        },
        drain: () => writer.drain(),
      },
    );
    const run = await writer.finish();
    if (opts.deleteOld) for (const r of endpointRuns) await store.delete(r);
    return run === null ? events : [...events, run];
  } catch (e) {
    await writer.abort().catch(() => undefined);
    for (const r of events) await store.delete(r).catch(() => undefined);
    throw e;
  }
}
