import type { Candidate } from '../core/event';
import type { Collected } from '../core/ingest';
import type { Reading } from './history';

/** A stored event that a reading's TRAFFIC rows give byte counts to, and what it had before. */
export interface Join {
  event: Candidate;
  bytesOut: number;
  bytesIn: number | null;
  was: { bytesOut: number | null; bytesIn: number | null };
}

/**
 * TRAFFIC rows carry the bytes a URL row lacks (joined by serial + session).
 * Sessions are not stored, so joins happen as each file is added: its own
 * events take bytes from its own TRAFFIC rows or from those read earlier in
 * this tab, and its TRAFFIC rows complete events already stored. The first
 * kind is applied to the reading at once (it is not stored yet); the second
 * is returned, to be applied with `applyJoins` and written with the file.
 */
export function joinReading(stored: Collected, reading: Reading): Join[] {
  for (const c of reading.candidates) {
    if (c.session === '' || c.bytesOut !== null) continue;
    const t = reading.traffic.get(c.session) ?? stored.traffic.get(c.session);
    if (t === undefined) continue;
    c.bytesOut = t.sent;
    c.bytesIn = t.received;
  }
  const joins: Join[] = [];
  if (reading.traffic.size === 0) return joins;
  for (const c of stored.candidates) {
    if (c.session === '' || c.bytesOut !== null) continue;
    const t = reading.traffic.get(c.session);
    if (t !== undefined) joins.push({ event: c, bytesOut: t.sent, bytesIn: t.received, was: { bytesOut: c.bytesOut, bytesIn: c.bytesIn } });
  }
  return joins;
}

export function applyJoins(joins: readonly Join[]): void {
  for (const j of joins) {
    j.event.bytesOut = j.bytesOut;
    j.event.bytesIn = j.bytesIn;
  }
}

/** Undoes `applyJoins` when the file could not be stored. */
export function revertJoins(joins: readonly Join[]): void {
  for (const j of joins) {
    j.event.bytesOut = j.was.bytesOut;
    j.event.bytesIn = j.was.bytesIn;
  }
}
