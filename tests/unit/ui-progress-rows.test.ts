/**
 * The progress card's rows (src/ui/progressRows.ts): a few inputs are all
 * listed; many are listed only while being read, failed, repeated or
 * cancelled, the rest counted in one line.
 */
import { describe, expect, it } from 'vitest';
import { LISTED_MAX, progressRows } from '../../src/ui/progressRows';
import type { FileProgressRow } from '../../src/worker/api';
import { RunProgressReporter } from '../../src/worker/progress';

/** Rows as the worker sends them (src/worker/progress.ts), each then put in `state`. */
function rowsOf(states: readonly FileProgressRow['state'][]): FileProgressRow[] {
  let sent: FileProgressRow[] = [];
  new RunProgressReporter(
    states.map((_, i) => ({ name: `f${i}`, size: null })),
    (p) => void (sent = p.files),
  ).flush();
  return sent.map((r, i) => ({ ...r, state: states[i] }));
}

describe('progressRows', () => {
  it('lists every input, in order, up to LISTED_MAX', () => {
    const files = rowsOf(Array.from({ length: LISTED_MAX }, (_, i) => (i % 2 === 0 ? 'done' : 'queued')));
    const { rows, rest } = progressRows(files);
    expect(rows.map((r) => r.i)).toEqual(files.map((_, i) => i));
    expect(rows.map((r) => r.f)).toEqual(files);
    expect(rest).toBe('');
  });

  it('past LISTED_MAX, counts the done, saving and waiting ones and lists the others with their index', () => {
    const states: FileProgressRow['state'][] = ['done', 'done', 'saving', 'failed', 'reading', 'duplicate', 'cancelled'];
    const files = rowsOf([...states, ...Array.from({ length: 1200 }, () => 'queued' as const)]);
    const { rows, rest } = progressRows(files);
    expect(rows.map((r) => [r.i, r.f.state])).toEqual([
      [3, 'failed'],
      [4, 'reading'],
      [5, 'duplicate'],
      [6, 'cancelled'],
    ]);
    expect(rest).toBe('2 done · 1 read, being saved · 1,200 waiting');
  });

  it('leaves out the counts that are nought', () => {
    const files = rowsOf(Array.from({ length: LISTED_MAX + 1 }, (_, i) => (i === 0 ? 'reading' : 'queued')));
    expect(progressRows(files)).toEqual({ rows: [{ f: files[0], i: 0 }], rest: `${LISTED_MAX} waiting` });
  });
});
