import { isUpload } from '../core/classify';
import type { Candidate } from '../core/event';
import type { BaselineDbRow, BaselineKey } from './rows';

/**
 * The baseline as aggregates: per (client, domain key, upload, host), when
 * first and last seen and how many events. The same rows as the state file's
 * `baseline` (core/state.ts baselineRows), with times as numbers.
 */

/** Client, domain and host of an event: the part of a baseline key shared by its access and upload rows. */
export function keyTriple(e: Pick<Candidate, 'client' | 'domain' | 'host'>): string {
  return `${e.client}\u0000${e.domain}\u0000${e.host}`;
}

/** Rows for `events`, or for only the events whose key triple is in `only`. */
export function baselineDbRows(events: Iterable<Candidate>, uploadMinBytes: number, only?: ReadonlySet<string>): BaselineDbRow[] {
  const rows = new Map<string, BaselineDbRow>();
  const add = (e: Candidate, triple: string, upload: 0 | 1): void => {
    const id = `${triple}\u0000${upload}`;
    const r = rows.get(id);
    if (r === undefined) {
      rows.set(id, { client: e.client, domain: e.domain, upload, host: e.host, firstSeen: e.time, lastSeen: e.time, count: 1 });
    } else {
      r.count++;
      if (e.time < r.firstSeen) r.firstSeen = e.time;
      if (e.time > r.lastSeen) r.lastSeen = e.time;
    }
  };
  for (const e of events) {
    const triple = keyTriple(e);
    if (only !== undefined && !only.has(triple)) continue;
    add(e, triple, 0);
    if (isUpload(e, uploadMinBytes)) add(e, triple, 1);
  }
  return [...rows.values()];
}

export interface BaselineChange {
  put: BaselineDbRow[];
  /** Upload rows that no longer hold (a TRAFFIC row showed the "upload" sent less than the minimum). */
  remove: BaselineKey[];
}

function* both(a: readonly Candidate[], b: readonly Candidate[]): Iterable<Candidate> {
  yield* a;
  yield* b;
}

/**
 * The rows touched by adding `added` to `stored` and by new byte counts on
 * `changed` (stored events), worked out again from all the events, so an
 * event that stopped being an upload leaves its upload row.
 */
export function baselineChange(
  stored: readonly Candidate[], added: readonly Candidate[], changed: readonly Candidate[], uploadMinBytes: number,
): BaselineChange {
  const touched = new Set<string>();
  for (const e of added) touched.add(keyTriple(e));
  for (const e of changed) touched.add(keyTriple(e));
  if (touched.size === 0) return { put: [], remove: [] };
  const put = baselineDbRows(both(stored, added), uploadMinBytes, touched);
  const uploads = new Set(put.filter((r) => r.upload === 1).map(keyTriple));
  const remove: BaselineKey[] = [];
  for (const e of changed) {
    const triple = keyTriple(e);
    if (!uploads.has(triple)) remove.push([e.client, e.domain, 1, e.host]);
  }
  return { put, remove };
}
