import { BLOCK_EVENTS, encodeTrafficBlock } from './block';
import { mergeSources, runSource } from './merge';
import type { RunRef, RunStore, RunWriter } from './runStore';
import { SortedRunWriter } from './runWriter';
import { TrafficBuilder } from './traffic';

/**
 * At most this many runs are merged at once. A merge holds one block of each
 * run it reads (a few hundred KB), so this bounds its memory however many
 * events there are.
 */
export const MERGE_FAN_IN = 32;

/**
 * Runs of one kind, merged `fanIn` at a time into longer runs until no more
 * than `fanIn` are left: the merge passes of an external sort. Each group's
 * runs are deleted once the run replacing them is whole (unless `deleteOld`
 * is false: a caller that swaps runs in a transaction of its own deletes
 * them). On a failure the runs made here are deleted and the error thrown.
 */
export async function combineRuns(
  store: RunStore,
  runs: readonly RunRef[],
  opts: { fanIn?: number; deleteOld?: boolean } = {},
): Promise<RunRef[]> {
  const fanIn = Math.max(2, opts.fanIn ?? MERGE_FAN_IN);
  const deleteOld = opts.deleteOld ?? true;
  const left = [...runs];
  const made = new Set<RunRef>();
  try {
    while (left.length > fanIn) {
      const group = left.splice(0, fanIn);
      const run = await mergeGroup(store, group);
      for (const r of group) {
        if (made.has(r)) {
          // A run made by an earlier pass is this function's own to delete, whatever the caller asked.
          made.delete(r);
          await store.delete(r);
        } else if (deleteOld) {
          await store.delete(r);
        }
      }
      if (run !== null) {
        made.add(run);
        left.push(run);
      }
    }
    return left;
  } catch (e) {
    for (const r of made) await store.delete(r).catch(() => undefined);
    throw e;
  }
}

/** One group of runs of the same kind as one run (null when they held nothing). */
async function mergeGroup(store: RunStore, group: readonly RunRef[]): Promise<RunRef | null> {
  const kind = group[0].kind;
  if (group.some((r) => r.kind !== kind)) throw new Error('runs of events and of TRAFFIC rows cannot be combined into one');
  const sources = group.map((r) => runSource(store, r));
  if (kind === 'events') {
    // Sessions kept: runs combined before the TRAFFIC join still need them.
    const writer = new SortedRunWriter(store, { keepSessions: true });
    try {
      await mergeSources(sources, { event: (e) => writer.push(e), drain: () => writer.drain() });
      return await writer.finish();
    } catch (e) {
      await writer.abort().catch(() => undefined);
      throw e;
    }
  }
  const writer = new SortedTrafficWriter(store);
  try {
    await mergeSources(sources, {
      event: () => undefined,
      traffic: (t) => writer.push(t.time, t.session, t.sent, t.received),
      drain: () => writer.drain(),
    });
    return await writer.finish();
  } catch (e) {
    await writer.abort().catch(() => undefined);
    throw e;
  }
}

/** TRAFFIC rows arriving in time order written as one run, a block at a time. */
class SortedTrafficWriter {
  private static readonly BLOCK = BLOCK_EVENTS * 4;
  private rows = new TrafficBuilder();
  private writer: RunWriter | null = null;

  constructor(private readonly store: RunStore) {}

  push(time: number, session: string, sent: number, received: number | null): void {
    this.rows.push(time, session, sent, received);
  }

  async drain(): Promise<void> {
    if (this.rows.count >= SortedTrafficWriter.BLOCK) await this.flush();
  }

  async finish(): Promise<RunRef | null> {
    await this.flush();
    return this.writer === null ? null : this.writer.finish();
  }

  async abort(): Promise<void> {
    await this.writer?.abort();
    this.writer = null;
  }

  private async flush(): Promise<void> {
    if (this.rows.count === 0) return;
    const t = this.rows.build();
    this.writer ??= await this.store.create('traffic');
    for (let at = 0; at < t.count; at += SortedTrafficWriter.BLOCK)
      await this.writer.add(encodeTrafficBlock(t, at, Math.min(t.count, at + SortedTrafficWriter.BLOCK)));
    this.rows = new TrafficBuilder();
  }
}
