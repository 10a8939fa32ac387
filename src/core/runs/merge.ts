import type { TrafficColumns } from './traffic';
import { decodeBlock, decodeEndpointBlock, decodeTrafficBlock } from './block';
import type { EndpointColumns, StoredEndpoint } from './endpointRuns';
import { eventAt, type CompactEvent, type EventColumns } from '../events/columns';
import type { RunRef, RunStore } from './runStore';

/** One TRAFFIC row, as the merge hands it on. */
export interface TrafficRow {
  time: number;
  session: string;
  sent: number;
  received: number | null;
}

/** A time-ordered source for the merge: blocks of events or of TRAFFIC rows. */
export type MergeSource =
  | { kind: 'events'; blocks: AsyncIterable<EventColumns> }
  | { kind: 'traffic'; blocks: AsyncIterable<TrafficColumns> }
  | { kind: 'endpoint'; blocks: AsyncIterable<EndpointColumns> };

export interface MergeVisitor {
  event(e: CompactEvent): void;
  traffic?(t: TrafficRow): void;
  /** An endpoint record (process start, connection, name lookup), for stitching. */
  endpoint?(r: StoredEndpoint): void;
  /** Called between blocks: a visitor that writes somewhere can wait here for it to catch up. */
  drain?(): Promise<void>;
}

/** A stored run as a merge source. */
export function runSource(store: RunStore, run: RunRef): MergeSource {
  if (run.kind === 'endpoint') {
    return {
      kind: 'endpoint',
      blocks: (async function* () {
        for await (const b of store.blocks(run)) yield decodeEndpointBlock(b);
      })(),
    };
  }
  if (run.kind === 'traffic') {
    return {
      kind: 'traffic',
      blocks: (async function* () {
        for await (const b of store.blocks(run)) yield decodeTrafficBlock(b);
      })(),
    };
  }
  return {
    kind: 'events',
    blocks: (async function* () {
      for await (const b of store.blocks(run)) yield decodeBlock(b);
    })(),
  };
}

class Cursor {
  time = 0;
  private i = 0;
  private events: EventColumns | null = null;
  private traffic: TrafficColumns | null = null;
  private endpoints: EndpointColumns | null = null;
  private readonly it: AsyncIterator<EventColumns | TrafficColumns | EndpointColumns>;

  constructor(
    readonly source: MergeSource,
    readonly seq: number,
  ) {
    this.it = (source.blocks as AsyncIterable<EventColumns | TrafficColumns | EndpointColumns>)[Symbol.asyncIterator]();
  }

  /** Moves to the next block with something in it; false at the end. */
  async load(): Promise<boolean> {
    for (;;) {
      const next = await this.it.next();
      if (next.done) return false;
      if (next.value.count === 0) continue;
      if (this.source.kind === 'events') this.events = next.value as EventColumns;
      else if (this.source.kind === 'endpoint') this.endpoints = next.value as EndpointColumns;
      else this.traffic = next.value as TrafficColumns;
      this.i = 0;
      this.time = next.value.time[0];
      return true;
    }
  }

  /** Hands on the current item; false when the block is used up (call load). */
  emit(visit: MergeVisitor): boolean {
    const i = this.i++;
    if (this.events !== null) {
      visit.event(eventAt(this.events, i));
      if (this.i < this.events.count) {
        this.time = this.events.time[this.i];
        return true;
      }
      return false;
    }
    if (this.endpoints !== null) {
      const e = this.endpoints;
      visit.endpoint?.(e.records[i]);
      if (this.i < e.count) {
        this.time = e.time[this.i];
        return true;
      }
      return false;
    }
    const t = this.traffic!;
    visit.traffic?.({
      time: t.time[i],
      session: t.sessions[i],
      sent: t.sent[i],
      received: Number.isNaN(t.received[i]) ? null : t.received[i],
    });
    if (this.i < t.count) {
      this.time = t.time[this.i];
      return true;
    }
    return false;
  }

  async close(): Promise<void> {
    await this.it.return?.();
  }
}

function before(a: Cursor, b: Cursor): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}

/**
 * The k-way merge: every item of every source, in time order (items of
 * equal time in no particular order), handed to `visit`. Only one block of
 * each source is held at a time.
 */
export async function mergeSources(sources: readonly MergeSource[], visit: MergeVisitor): Promise<void> {
  const heap: Cursor[] = [];
  const all = sources.map((s, seq) => new Cursor(s, seq));
  try {
    for (const c of all) if (await c.load()) push(heap, c);
    while (heap.length > 0) {
      const top = heap[0];
      // Emit from the top source while it stays first: for sources that barely overlap in time, most of the work.
      let more: boolean;
      const second = heap.length > 1 ? secondTime(heap) : Infinity;
      do more = top.emit(visit);
      while (more && top.time < second);
      if (!more) {
        if (visit.drain) await visit.drain();
        if (!(await top.load())) {
          pop(heap);
          continue;
        }
      }
      down(heap, 0);
    }
  } finally {
    await Promise.all(all.map((c) => c.close().catch(() => undefined)));
  }
}

function secondTime(heap: Cursor[]): number {
  if (heap.length === 2) return heap[1].time;
  return Math.min(heap[1].time, heap[2].time);
}

function push(heap: Cursor[], c: Cursor): void {
  heap.push(c);
  let i = heap.length - 1;
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (!before(heap[i], heap[p])) break;
    [heap[i], heap[p]] = [heap[p], heap[i]];
    i = p;
  }
}

function pop(heap: Cursor[]): void {
  const last = heap.pop()!;
  if (heap.length > 0) {
    heap[0] = last;
    down(heap, 0);
  }
}

function down(heap: Cursor[], i: number): void {
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let m = i;
    if (l < heap.length && before(heap[l], heap[m])) m = l;
    if (r < heap.length && before(heap[r], heap[m])) m = r;
    if (m === i) return;
    [heap[i], heap[m]] = [heap[m], heap[i]];
    i = m;
  }
}

/**
 * A merge as an async iterable of batches (for consumers that pull: a COPY
 * stream, a file writer): `run` drives a merge, pushing what it hands on and
 * awaiting `flush` between blocks, which waits while the consumer is behind.
 */
export function pulled<T>(run: (push: (t: T) => void, flush: () => Promise<void>) => Promise<void>): AsyncIterable<T[]> {
  return {
    async *[Symbol.asyncIterator]() {
      const batches: T[][] = [];
      let current: T[] = [];
      let finished = false;
      let stopped = false;
      let failure: unknown = null;
      // Who is waiting for the other, if anyone.
      const wake: { consumer: (() => void) | null; producer: (() => void) | null } = { consumer: null, producer: null };
      const flush = async (): Promise<void> => {
        if (current.length > 0) {
          batches.push(current);
          current = [];
          wake.consumer?.();
        }
        while (batches.length > 2 && !stopped) await new Promise<void>((r) => (wake.producer = r));
        if (stopped) throw new Error('the reader of the merge stopped');
      };
      void run((t) => current.push(t), flush).then(
        () => {
          if (current.length > 0) batches.push(current);
          finished = true;
          wake.consumer?.();
        },
        (e: unknown) => {
          failure = e;
          finished = true;
          wake.consumer?.();
        },
      );
      try {
        for (;;) {
          const batch = batches.shift();
          if (batch !== undefined) {
            wake.producer?.();
            wake.producer = null;
            yield batch;
            continue;
          }
          if (finished) {
            if (failure !== null && !stopped) throw failure;
            return;
          }
          await new Promise<void>((r) => (wake.consumer = r));
          wake.consumer = null;
        }
      } finally {
        stopped = true;
        wake.producer?.();
      }
    },
  };
}
