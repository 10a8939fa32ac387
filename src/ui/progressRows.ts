import type { FileProgressRow } from '../worker/api';
import { count } from './displayFormat';

/**
 * Past this many inputs, those waiting, read (being saved) or done are
 * counted, not listed: a row per input, re-rendered at every progress message
 * (about 10 a second), cost the page's main thread most of a core on the 180
 * files of the demo, a core the parse workers needed.
 */
export const LISTED_MAX = 12;

/** What the progress card shows: the inputs listed (each with its index) and a line counting the rest ('' when none). */
export function progressRows(files: readonly FileProgressRow[]): {
  rows: { f: FileProgressRow; i: number }[];
  rest: string;
} {
  const all = files.map((f, i) => ({ f, i }));
  if (files.length <= LISTED_MAX) return { rows: all, rest: '' };
  const counted = { done: 0, saving: 0, queued: 0 };
  const rows: { f: FileProgressRow; i: number }[] = [];
  for (const row of all) {
    const { state } = row.f;
    if (state === 'done' || state === 'saving' || state === 'queued') counted[state]++;
    else rows.push(row);
  }
  const rest = [
    { n: counted.done, what: 'done' },
    { n: counted.saving, what: 'read, being saved' },
    { n: counted.queued, what: 'waiting' },
  ]
    .filter((c) => c.n > 0)
    .map((c) => `${count(c.n)} ${c.what}`)
    .join(' · ');
  return { rows, rest };
}
