import type { FileReport } from '../core/ingest/report';
import type { Counts, SkipExample, SkipReason } from '../core/sources/counts';

export interface SkipTally {
  reason: SkipReason;
  n: number;
  /** At most five, from the files in order. */
  examples: SkipExample[];
}

/** Skipped lines by reason, most first: of the merged counts and of files that failed (their lines never reached the merge). */
export function skippedByReason(merged: Counts, failed: readonly FileReport[]): SkipTally[] {
  const reasons = new Map<SkipReason, SkipTally>();
  for (const counts of [merged, ...failed.map((f) => f.counts)]) {
    for (const [reason, n] of Object.entries(counts.skipped) as [SkipReason, number][]) {
      const entry = reasons.get(reason) ?? { reason, n: 0, examples: [] };
      entry.n += n;
      reasons.set(reason, entry);
    }
    for (const ex of counts.examples) {
      const entry = reasons.get(ex.reason);
      if (entry && entry.examples.length < 5) entry.examples.push(ex);
    }
  }
  return [...reasons.values()].sort((a, b) => b.n - a.n);
}

/** Rows of other log types passed over, most first. */
export function otherTypes(merged: Counts): [string, number][] {
  return Object.entries(merged.other).sort((a, b) => b[1] - a[1]);
}
