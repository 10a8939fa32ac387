import { addCounts, type Counts } from '../core/stats';
import type { BaselineChange } from './baseline';
import { historyMeta, putMeta } from './meta';
import type { EventBlockRow, FileRow } from './rows';
import type { OffbrowseDb } from './schema';

/** Rows per bulk write: large enough to be quick, small enough not to build one huge request. */
export const BATCH = 2000;

/** One file's whole effect on the stored history. */
export interface FileCommit {
  /** The history revision the caller's copy was read at; a different one means another tab wrote since. */
  expectRevision: number;
  file: Omit<FileRow, 'id'>;
  /** The file's events, in blocks. */
  blocks: readonly EventBlockRow[];
  /** How many events the blocks hold. */
  events: number;
  /** The file's own counts, added to the stored ones. */
  counts: Counts;
  /** Stored blocks written again: their events got byte counts from this file's TRAFFIC rows. */
  rewrite: readonly EventBlockRow[];
  baseline: BaselineChange;
}

export type CommitResult =
  /** `ids`: of the new blocks, in order. */
  | { status: 'committed'; revision: number; ids: number[] }
  /** The same content is already stored (by this or another tab): nothing was written. */
  | { status: 'duplicate'; of: string }
  /** The stored history moved on since the caller read it: nothing was written; reload and try again. */
  | { status: 'stale' };

/**
 * Writes a file in one transaction: its events, the earlier events it gives
 * byte counts to, the baseline rows it touches, its manifest row and the
 * merged counts. A failure anywhere (a full disk, a closed tab) aborts the
 * transaction, and the database stays as it was before the file.
 */
export function commitFile(db: OffbrowseDb, c: FileCommit): Promise<CommitResult> {
  return db.transaction('rw', [db.events, db.files, db.baseline, db.meta], async (): Promise<CommitResult> => {
    const meta = await historyMeta(db.meta);
    if (meta.revision !== c.expectRevision) return { status: 'stale' };
    if (c.file.fingerprint !== null) {
      const earlier = await db.files.where('fingerprint').equals(c.file.fingerprint).first();
      if (earlier !== undefined) return { status: 'duplicate', of: earlier.name };
    }
    const ids = c.blocks.length > 0 ? await db.events.bulkAdd(c.blocks.map((b) => ({ ...b })), { allKeys: true }) : [];
    if (c.rewrite.length > 0) await db.events.bulkPut([...c.rewrite]);
    if (c.baseline.remove.length > 0) await db.baseline.bulkDelete(c.baseline.remove);
    for (let i = 0; i < c.baseline.put.length; i += BATCH) await db.baseline.bulkPut(c.baseline.put.slice(i, i + BATCH));
    await db.files.add({ ...c.file });
    const counts = structuredClone(meta.counts);
    addCounts(counts, c.counts);
    const revision = meta.revision + 1;
    await putMeta(db.meta, 'history', {
      counts,
      demoLoaded: meta.demoLoaded || c.file.demo,
      revision,
      fileCount: meta.fileCount + 1,
      eventCount: meta.eventCount + c.events,
    });
    return { status: 'committed', revision, ids };
  });
}
