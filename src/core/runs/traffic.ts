/** TRAFFIC rows kept for the join with URL rows: when, which session, and its bytes. */
export interface TrafficColumns {
  count: number;
  time: Float64Array;
  sent: Float64Array;
  /** NaN where unknown. */
  received: Float64Array;
  /** serial:session */
  sessions: string[];
}

export class TrafficBuilder {
  count = 0;
  private time: Float64Array<ArrayBuffer> = new Float64Array(256);
  private sent: Float64Array<ArrayBuffer> = new Float64Array(256);
  private received: Float64Array<ArrayBuffer> = new Float64Array(256);
  private sessions: string[] = [];

  push(time: number, session: string, sent: number, received: number | null): void {
    if (this.count === this.time.length) {
      const grow = (a: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> => {
        const b = new Float64Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.time = grow(this.time);
      this.sent = grow(this.sent);
      this.received = grow(this.received);
    }
    const i = this.count++;
    this.time[i] = time;
    this.sent[i] = sent;
    this.received[i] = received ?? NaN;
    this.sessions.push(session);
  }

  /** Rows [from, to) (copies). */
  build(from = 0, to = this.count): TrafficColumns {
    return {
      count: to - from,
      time: this.time.slice(from, to),
      sent: this.sent.slice(from, to),
      received: this.received.slice(from, to),
      sessions: this.sessions.slice(from, to),
    };
  }

  append(t: TrafficColumns): void {
    for (let i = 0; i < t.count; i++)
      this.push(t.time[i], t.sessions[i], t.sent[i], Number.isNaN(t.received[i]) ? null : t.received[i]);
  }

  truncate(n: number): void {
    this.count = Math.min(this.count, n);
    this.sessions.length = this.count;
  }
}

/** `t` in time order (the same object when it already is). */
export function sortTraffic(t: TrafficColumns): TrafficColumns {
  let sorted = true;
  for (let i = 1; i < t.count && sorted; i++) if (t.time[i - 1] > t.time[i]) sorted = false;
  if (sorted) return t;
  const order = Array.from({ length: t.count }, (_, i) => i);
  order.sort((i, j) => t.time[i] - t.time[j] || i - j);
  return {
    count: t.count,
    time: Float64Array.from(order, (i) => t.time[i]),
    sent: Float64Array.from(order, (i) => t.sent[i]),
    received: Float64Array.from(order, (i) => t.received[i]),
    sessions: order.map((i) => t.sessions[i]),
  };
}
