import { BLOCK_EVENTS, encodeBlock } from './block';
import {
  connKey,
  ACTION,
  CLIENT,
  ColumnsBuilder,
  CONTENT_TYPE,
  DOMAIN,
  FILE,
  HOST,
  METHOD,
  SOURCE,
  USER,
  USER_AGENT,
  type CompactEvent,
} from '../events/columns';
import type { RunRef, RunStore, RunWriter } from './runStore';

/**
 * Writes events that arrive in time order (a merge's output) as one run,
 * a block at a time. `push` is synchronous, for a merge visitor; `drain`
 * writes the blocks that are full, and is awaited between the merge's blocks.
 * Sessions are not kept unless asked for: runs written after the TRAFFIC
 * join need none.
 */
export class SortedRunWriter {
  private builder = new ColumnsBuilder(BLOCK_EVENTS);
  private writer: RunWriter | null = null;
  private lastTime = -Infinity;
  private readonly keepSessions: boolean;

  constructor(
    private readonly store: RunStore,
    opts: { keepSessions?: boolean } = {},
  ) {
    this.keepSessions = opts.keepSessions ?? false;
  }

  push(e: CompactEvent): void {
    if (e.time < this.lastTime) throw new Error('a sorted run was given an event out of time order');
    this.lastTime = e.time;
    const b = this.builder;
    const i = b.push(
      e.time,
      e.flags,
      e.bytesOut,
      e.bytesIn,
      e.line,
      e.url,
      this.keepSessions ? e.session : '',
      connKey(e.sourceAddress, e.sourcePort, e.destinationAddress, e.destinationPort),
      e.process,
    );
    b.setText(i, HOST, b.code(e.host));
    b.setText(i, USER, b.code(e.user));
    b.setText(i, CLIENT, b.code(e.client));
    b.setText(i, DOMAIN, b.code(e.domain));
    b.setText(i, USER_AGENT, b.code(e.userAgent));
    b.setText(i, METHOD, b.code(e.method));
    b.setText(i, CONTENT_TYPE, b.code(e.contentType));
    b.setText(i, ACTION, b.code(e.action));
    b.setText(i, FILE, b.code(e.file));
    b.setText(i, SOURCE, b.code(e.source));
  }

  /** Writes every full block held. */
  async drain(): Promise<void> {
    if (this.builder.count >= BLOCK_EVENTS) await this.flush(false);
  }

  /** Writes the rest; null when no event came. */
  async finish(): Promise<RunRef | null> {
    await this.flush(true);
    return this.writer === null ? null : this.writer.finish();
  }

  async abort(): Promise<void> {
    await this.writer?.abort();
    this.writer = null;
  }

  private async flush(all: boolean): Promise<void> {
    const c = this.builder.build();
    const whole = all ? c.count : c.count - (c.count % BLOCK_EVENTS);
    if (whole === 0) return;
    this.writer ??= await this.store.create('events');
    for (let at = 0; at < whole; at += BLOCK_EVENTS)
      await this.writer.add(encodeBlock(c, at, Math.min(whole, at + BLOCK_EVENTS)));
    // A fresh dictionary for what is left, so it holds only strings still in use.
    const rest = new ColumnsBuilder(BLOCK_EVENTS);
    if (whole < c.count) {
      const codes = new Int32Array(c.strings.length).fill(-1);
      for (let i = whole; i < c.count; i++) rest.appendOne(c, i, codes);
    }
    this.builder = rest;
  }
}
