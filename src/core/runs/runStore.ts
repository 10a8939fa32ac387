import { BLOCK_EVENTS, blockHeader, blockPending, encodeBlock, encodeEndpointBlock, encodeTrafficBlock } from './block';
import { endpointColumns, type StoredEndpoint } from './endpointRuns';
import type { EventColumns } from '../events/columns';
import type { TrafficColumns } from './traffic';

/** A stored sorted run: where it is, and what it holds. */
export interface RunRef {
  /** The store's name for it (a file path, a database key). */
  id: string;
  kind: 'events' | 'traffic' | 'endpoint';
  count: number;
  minTime: number;
  maxTime: number;
  /**
   * Events kept only for stitching (FLAG_PENDING) in an events run, as its
   * writer counted them; absent where the run was not just written (a run
   * read back from a saved history), which a reader must take as "maybe some".
   */
  pending?: number;
}

/** Writes one run, block by block, in time order. */
export interface RunWriter {
  add(block: Uint8Array): Promise<void>;
  /** The run is complete: from here on it can be read. */
  finish(): Promise<RunRef>;
  /** Leaves nothing of the run behind. */
  abort(): Promise<void>;
}

/** What a run writer counts of the blocks it is given, for its RunRef: every store keeps the same tally. */
export class RunTally {
  count = 0;
  minTime = Infinity;
  maxTime = -Infinity;
  pending = 0;

  /** Counts one block (by its header, and its events' flags) as it is added. */
  add(block: Uint8Array): void {
    const h = blockHeader(block);
    this.count += h.count;
    this.pending += blockPending(block);
    if (h.count > 0) {
      this.minTime = Math.min(this.minTime, h.minTime);
      this.maxTime = Math.max(this.maxTime, h.maxTime);
    }
  }

  ref(id: string, kind: RunRef['kind']): RunRef {
    return { id, kind, count: this.count, minTime: this.minTime, maxTime: this.maxTime, pending: this.pending };
  }
}

/**
 * Where sorted runs are kept: temporary files for the CLI, IndexedDB in the
 * tab, memory where neither is at hand. Blocks are encoded by block.ts.
 */
export interface RunStore {
  create(kind: RunRef['kind']): Promise<RunWriter>;
  blocks(run: RunRef): AsyncIterable<Uint8Array>;
  delete(run: RunRef): Promise<void>;
}

/** Writes sorted events as one run. */
export async function writeEventsRun(store: RunStore, c: EventColumns): Promise<RunRef> {
  const w = await store.create('events');
  try {
    for (let at = 0; at < c.count; at += BLOCK_EVENTS) await w.add(encodeBlock(c, at, Math.min(c.count, at + BLOCK_EVENTS)));
    return await w.finish();
  } catch (e) {
    await w.abort().catch(() => undefined);
    throw e;
  }
}

/** Writes time-ordered TRAFFIC rows as one run. */
export async function writeTrafficRun(store: RunStore, t: TrafficColumns): Promise<RunRef> {
  const w = await store.create('traffic');
  try {
    for (let at = 0; at < t.count; at += BLOCK_EVENTS * 4)
      await w.add(encodeTrafficBlock(t, at, Math.min(t.count, at + BLOCK_EVENTS * 4)));
    return await w.finish();
  } catch (e) {
    await w.abort().catch(() => undefined);
    throw e;
  }
}

/** Writes time-ordered endpoint records as one run (null when there are none). */
export async function writeEndpointRun(store: RunStore, records: StoredEndpoint[]): Promise<RunRef> {
  const e = endpointColumns(records);
  const w = await store.create('endpoint');
  try {
    for (let at = 0; at < e.count; at += BLOCK_EVENTS)
      await w.add(encodeEndpointBlock(e, at, Math.min(e.count, at + BLOCK_EVENTS)));
    return await w.finish();
  } catch (err) {
    await w.abort().catch(() => undefined);
    throw err;
  }
}

/** Runs kept in memory (tests, and a tab without storage). */
export class MemoryRunStore implements RunStore {
  private readonly runs = new Map<string, Uint8Array[]>();
  private next = 0;

  async create(kind: RunRef['kind']): Promise<RunWriter> {
    const id = `mem-${this.next++}`;
    const blocks: Uint8Array[] = [];
    const runs = this.runs;
    const tally = new RunTally();
    return {
      async add(block) {
        tally.add(block);
        blocks.push(block);
      },
      async finish() {
        runs.set(id, blocks);
        return tally.ref(id, kind);
      },
      async abort() {
        blocks.length = 0;
      },
    };
  }

  async *blocks(run: RunRef): AsyncIterable<Uint8Array> {
    const blocks = this.runs.get(run.id);
    if (blocks === undefined) throw new Error(`no stored run ${run.id}`);
    yield* blocks;
  }

  async delete(run: RunRef): Promise<void> {
    this.runs.delete(run.id);
  }

  /** How many runs are stored. */
  get size(): number {
    return this.runs.size;
  }

  /** Drops every run but these. */
  keepOnly(runs: readonly RunRef[]): void {
    const keep = new Set(runs.map((r) => r.id));
    for (const id of [...this.runs.keys()]) if (!keep.has(id)) this.runs.delete(id);
  }
}
