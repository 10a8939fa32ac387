/**
 * Bytes sent and received per PAN-OS session, from TRAFFIC rows, for joining
 * to URL rows by serial number + session id. Every session is kept (a URL row
 * may come in a later file), so the table is compact: a number key per
 * session and the byte counts in typed arrays, about 50 bytes a session.
 */
export interface SessionBytes {
  sent: number;
  received: number | null;
}

/** The join key of a row; empty when the row has no session id. */
export function sessionKey(serial: string, session: string): string {
  return session === '' ? '' : `${serial}:${session}`;
}

const SESSION_LIMIT = 2 ** 32;

export class TrafficBytes {
  private readonly serials = new Map<string, number>();
  private readonly byNumber = new Map<number, number>();
  /** Keys whose session id is not a small whole number. */
  private readonly byString = new Map<string, number>();
  private sentAt: Float64Array<ArrayBuffer> = new Float64Array(256);
  private receivedAt: Float64Array<ArrayBuffer> = new Float64Array(256);
  private count = 0;

  get size(): number {
    return this.count;
  }

  set(key: string, bytes: SessionBytes): void {
    const slot = this.slot(key, true);
    this.sentAt[slot] = bytes.sent;
    this.receivedAt[slot] = bytes.received ?? NaN;
  }

  get(key: string): SessionBytes | undefined {
    const slot = this.slot(key, false);
    if (slot === -1) return undefined;
    const received = this.receivedAt[slot];
    return { sent: this.sentAt[slot], received: Number.isNaN(received) ? null : received };
  }

  *[Symbol.iterator](): IterableIterator<[string, SessionBytes]> {
    const serialNames = new Map([...this.serials].map(([name, i]) => [i, name]));
    for (const [n, slot] of this.byNumber) {
      const key = `${serialNames.get(Math.floor(n / SESSION_LIMIT))}:${n % SESSION_LIMIT}`;
      yield [key, this.at(slot)];
    }
    for (const [key, slot] of this.byString) yield [key, this.at(slot)];
  }

  private at(slot: number): SessionBytes {
    const received = this.receivedAt[slot];
    return { sent: this.sentAt[slot], received: Number.isNaN(received) ? null : received };
  }

  private slot(key: string, create: boolean): number {
    const colon = key.lastIndexOf(':');
    const serial = key.slice(0, colon);
    const idText = key.slice(colon + 1);
    const id = /^\d{1,10}$/.test(idText) ? Number(idText) : NaN;
    let serialIndex = this.serials.get(serial);
    if (serialIndex === undefined && create && id < SESSION_LIMIT) {
      serialIndex = this.serials.size;
      this.serials.set((' ' + serial).slice(1), serialIndex);
    }
    const numeric = serialIndex !== undefined && id < SESSION_LIMIT && serialIndex < 2 ** 20;
    const existing = numeric ? this.byNumber.get(serialIndex! * SESSION_LIMIT + id) : this.byString.get(key);
    if (existing !== undefined || !create) return existing ?? -1;
    const slot = this.count++;
    if (slot === this.sentAt.length) {
      const grow = (a: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> => {
        const b = new Float64Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.sentAt = grow(this.sentAt);
      this.receivedAt = grow(this.receivedAt);
    }
    if (numeric) this.byNumber.set(serialIndex! * SESSION_LIMIT + id, slot);
    else this.byString.set((' ' + key).slice(1), slot);
    return slot;
  }
}
