import { FLAG_PENDING, type CompactEvent } from '../events/columns';
import type { MergeVisitor, TrafficRow } from './merge';

interface Waiting {
  event: CompactEvent;
  /** The session's latest TRAFFIC row before the event, within the window: used if none comes after. */
  before: TrafficRow | null;
  done: boolean;
}

/**
 * Gives URL events with unknown byte counts those of their session's
 * TRAFFIC row (PAN-OS: serial + session id), over one time-ordered stream of
 * both. A URL row and its session's TRAFFIC row are near each other in log
 * time (the TRAFFIC row is usually written when the session ends), so each
 * side is held only `windowMs` of log time: an event takes the first TRAFFIC
 * row of its session at or after it within the window, else the last one
 * before it within the window, else none (counted). Events leave in time order.
 */
export class TrafficJoin implements MergeVisitor {
  /** Events that wanted bytes and found no TRAFFIC row. */
  unmatched = 0;
  joined = 0;
  private now = -Infinity;
  private readonly queue: Waiting[] = [];
  private head = 0;
  private readonly waiting = new Map<string, Waiting[]>();
  private readonly recent = new Map<string, TrafficRow>();
  private readonly recentQueue: TrafficRow[] = [];
  private recentHead = 0;

  constructor(
    private readonly windowMs: number,
    private readonly out: (e: CompactEvent) => void,
  ) {}

  event(e: CompactEvent): void {
    this.advance(e.time);
    if (e.session === '' || e.bytesOut !== null) {
      if (this.head === this.queue.length) this.out(e);
      else this.queue.push({ event: e, before: null, done: true });
      return;
    }
    const last = this.recent.get(e.session) ?? null;
    const w: Waiting = { event: e, before: last, done: false };
    if (last !== null && last.time >= e.time) this.fill(w, last);
    else {
      let list = this.waiting.get(e.session);
      if (list === undefined) this.waiting.set(e.session, (list = []));
      list.push(w);
    }
    this.queue.push(w);
    this.release();
  }

  traffic(t: TrafficRow): void {
    this.advance(t.time);
    const list = this.waiting.get(t.session);
    if (list !== undefined) {
      for (const w of list) if (!w.done) this.fill(w, t);
      this.waiting.delete(t.session);
    }
    this.recent.set(t.session, t);
    this.recentQueue.push(t);
    this.release();
  }

  /** The stream has reached `time` with an item that is neither (an endpoint record): what waited long enough leaves. */
  tick(time: number): void {
    this.advance(time);
  }

  /** Hands on everything still held: the stream has ended. */
  finish(): void {
    this.now = Infinity;
    this.release();
  }

  private fill(w: Waiting, t: TrafficRow): void {
    w.event.bytesOut = t.sent;
    w.event.bytesIn = t.received;
    w.done = true;
    // Events kept only for stitching are not the user's events yet: the counts leave them out.
    if ((w.event.flags & FLAG_PENDING) === 0) this.joined++;
  }

  private advance(time: number): void {
    if (time <= this.now) return;
    this.now = time;
    const from = time - this.windowMs;
    while (this.recentHead < this.recentQueue.length && this.recentQueue[this.recentHead].time < from) {
      const old = this.recentQueue[this.recentHead++];
      if (this.recent.get(old.session) === old) this.recent.delete(old.session);
    }
    if (this.recentHead > 4096 && this.recentHead * 2 > this.recentQueue.length) {
      this.recentQueue.splice(0, this.recentHead);
      this.recentHead = 0;
    }
    this.release();
  }

  private release(): void {
    const q = this.queue;
    while (this.head < q.length) {
      const w = q[this.head];
      if (!w.done) {
        if (w.event.time + this.windowMs >= this.now) break;
        const list = this.waiting.get(w.event.session);
        if (list !== undefined) {
          const i = list.indexOf(w);
          if (i !== -1) list.splice(i, 1);
          if (list.length === 0) this.waiting.delete(w.event.session);
        }
        if (w.before !== null && w.event.time - w.before.time <= this.windowMs) this.fill(w, w.before);
        else if ((w.event.flags & FLAG_PENDING) === 0) this.unmatched++;
        w.done = true;
      }
      this.head++;
      this.out(w.event);
    }
    if (this.head > 4096 && this.head * 2 > q.length) {
      q.splice(0, this.head);
      this.head = 0;
    }
  }
}
