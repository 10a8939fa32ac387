import type { ManifestEntry } from '../core/state/state';
import { addCounts, type Counts } from '../core/sources/counts';
import { historyMeta, putMeta } from './meta';
import type { FileRow } from './rows';
import type { OffbrowseDb } from './schema';
import { markCommitted } from './work';

/** Files read in one go, whose events are in pending runs: their whole effect on the stored history. */
export interface BatchCommit {
  files: readonly ManifestEntry[];
  /** The pending runs holding the files' events. */
  runs: readonly number[];
  /** The files' counts, added to the stored ones. */
  counts: Counts;
  /** Events in the runs. */
  events: number;
  /** The work marker (src/db/work.ts) this commit completes; null when none was written. */
  work?: string | null;
}

export type CommitResult =
  /** `before`: the revision it was added to (another tab wrote in between when it is not the one the caller holds). */
  | { status: 'committed'; revision: number; before: number }
  /** Some files' content is stored already (another tab added them meanwhile): nothing was written. */
  | { status: 'duplicates'; files: { key: string; of: string }[] };

export function fileRow(f: ManifestEntry): Omit<FileRow, 'id'> {
  const r = f.report;
  return {
    key: f.key,
    fingerprint: r.fingerprint,
    name: r.name,
    bytes: r.bytes,
    firstEvent: r.counts.minTime,
    lastEvent: r.counts.maxTime,
    rows: r.counts.lines,
    addedAt: f.addedAt,
    demo: f.demo,
    report: r,
  };
}

/**
 * Adds a batch of files in one transaction: their pending runs become part
 * of the history, with their manifest rows and counts. A failure anywhere (a
 * full disk, a closed tab) aborts it, and the history stays as it was.
 */
export function commitBatch(db: OffbrowseDb, c: BatchCommit): Promise<CommitResult> {
  return db.transaction('rw', [db.runs, db.files, db.meta], async (): Promise<CommitResult> => {
    const duplicates: { key: string; of: string }[] = [];
    for (const f of c.files) {
      if (f.report.fingerprint === null) continue;
      const earlier = await db.files.where('fingerprint').equals(f.report.fingerprint).first();
      if (earlier !== undefined) duplicates.push({ key: f.key, of: earlier.name });
    }
    if (duplicates.length > 0) return { status: 'duplicates', files: duplicates };
    const meta = await historyMeta(db.meta);
    for (const id of c.runs) await db.runs.update(id, { state: 'committed' });
    if (c.files.length > 0) await db.files.bulkAdd(c.files.map(fileRow));
    const counts = structuredClone(meta.counts);
    addCounts(counts, c.counts);
    const revision = meta.revision + 1;
    await putMeta(db.meta, 'history', {
      counts,
      demoLoaded: meta.demoLoaded || c.files.some((f) => f.demo),
      revision,
      fileCount: meta.fileCount + c.files.length,
      eventCount: meta.eventCount + c.events,
    });
    await markCommitted(db, c.work ?? null);
    return { status: 'committed', revision, before: meta.revision };
  });
}
