import type { Candidate } from '../core/event';
import { EVENT_BLOCK, type EventBlockRow } from './rows';

/** A file's events as stored: blocks of up to EVENT_BLOCK. */
export function toBlocks(file: string, events: readonly Candidate[]): EventBlockRow[] {
  const out: EventBlockRow[] = [];
  for (let i = 0; i < events.length; i += EVENT_BLOCK) out.push({ file, events: events.slice(i, i + EVENT_BLOCK) });
  return out;
}

/**
 * Which stored block holds each event of the worker's copy. The blocks hold
 * the same event objects as the history, so when a TRAFFIC log gives stored
 * events their byte counts, the blocks to write again are at hand as they now are.
 */
export class EventBlocks {
  private readonly rows = new Map<number, EventBlockRow>();
  private readonly blockOf = new WeakMap<Candidate, number>();

  add(id: number, row: EventBlockRow): void {
    const stored = { id, file: row.file, events: row.events };
    this.rows.set(id, stored);
    for (const e of row.events) this.blockOf.set(e, id);
  }

  /** The blocks holding any of `events`, with their current contents. */
  holding(events: Iterable<Candidate>): EventBlockRow[] {
    const ids = new Set<number>();
    for (const e of events) {
      const id = this.blockOf.get(e);
      if (id !== undefined) ids.add(id);
    }
    return [...ids].map((id) => this.rows.get(id)!);
  }
}
