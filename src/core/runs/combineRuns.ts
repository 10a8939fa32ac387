import { BLOCK_EVENTS, encodeEndpointBlock, encodeTrafficBlock } from './block';
import { endpointColumns, type StoredEndpoint } from './endpointRuns';
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
 * Runs of one kind, merged into longer runs until no more than `fanIn` are
 * left: the merge passes of an external sort, rewriting as few events as it
 * can. Each merge takes the smallest runs, and only as many (at most `fanIn`)
 * as bring the count down to the fan-in: 46 runs of equal size become 32 by
 * rewriting 15 of them, where merging the first 32 rewrote 32 (the tab's 3 GB
 * stream of mostly non-browser rows spent 20 s of 101 s doing so). Each group's
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
      const size = Math.min(fanIn, left.length - fanIn + 1);
      const group = [...left].sort((a, b) => a.count - b.count).slice(0, size);
      for (const r of group) left.splice(left.indexOf(r), 1);
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
  if (kind === 'endpoint') {
    const writer = new SortedEndpointWriter(store);
    try {
      await mergeSources(sources, { event: () => undefined, endpoint: (r) => writer.push(r), drain: () => writer.drain() });
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

/** Items arriving in time order written as one run of `kind`, a block of `block` items at a time. */
abstract class SortedItemsWriter {
  private writer: RunWriter | null = null;

  constructor(
    private readonly store: RunStore,
    private readonly kind: RunRef['kind'],
    private readonly block: number,
  ) {}

  /** How many items are held. */
  protected abstract held(): number;
  /** The items held, as blocks; they are no longer held. */
  protected abstract take(block: number): Uint8Array[];

  async drain(): Promise<void> {
    if (this.held() >= this.block) await this.flush();
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
    if (this.held() === 0) return;
    this.writer ??= await this.store.create(this.kind);
    for (const b of this.take(this.block)) await this.writer.add(b);
  }
}

/** TRAFFIC rows arriving in time order written as one run, a block at a time. */
class SortedTrafficWriter extends SortedItemsWriter {
  private rows = new TrafficBuilder();

  constructor(store: RunStore) {
    super(store, 'traffic', BLOCK_EVENTS * 4);
  }

  push(time: number, session: string, sent: number, received: number | null): void {
    this.rows.push(time, session, sent, received);
  }

  protected held(): number {
    return this.rows.count;
  }

  protected take(block: number): Uint8Array[] {
    const t = this.rows.build();
    this.rows = new TrafficBuilder();
    const out: Uint8Array[] = [];
    for (let at = 0; at < t.count; at += block) out.push(encodeTrafficBlock(t, at, Math.min(t.count, at + block)));
    return out;
  }
}

/** Endpoint records arriving in time order written as one run, a block at a time. */
export class SortedEndpointWriter extends SortedItemsWriter {
  private records: StoredEndpoint[] = [];

  constructor(store: RunStore) {
    super(store, 'endpoint', BLOCK_EVENTS);
  }

  push(r: StoredEndpoint): void {
    this.records.push(r);
  }

  protected held(): number {
    return this.records.length;
  }

  protected take(block: number): Uint8Array[] {
    const e = endpointColumns(this.records);
    this.records = [];
    const out: Uint8Array[] = [];
    for (let at = 0; at < e.count; at += block) out.push(encodeEndpointBlock(e, at, Math.min(e.count, at + block)));
    return out;
  }
}
