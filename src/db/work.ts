import { getMeta, putMeta } from './meta';
import type { WorkMarker } from './rows';
import type { OffbrowseDb } from './schema';

export type { WorkMarker };

/** Writes the marker of work that starts (its own transaction, durable before the work writes anything). */
export async function startWork(db: OffbrowseDb, marker: WorkMarker): Promise<void> {
  await putMeta(db.meta, 'work', marker);
}

/**
 * Inside the transaction that makes `owner`'s work part of the history:
 * its marker says so, atomically with the commit, so a marker left behind
 * tells truly whether the history holds the work.
 */
export async function markCommitted(db: OffbrowseDb, owner: string | null): Promise<void> {
  if (owner === null) return;
  const marker = await getMeta(db.meta, 'work');
  if (marker?.owner === owner) await putMeta(db.meta, 'work', { ...marker, committed: true });
}

/** Deletes `owner`'s marker (its work ended, whatever the outcome), leaving another's. */
export function endWork(db: OffbrowseDb, owner: string): Promise<void> {
  return db.transaction('rw', db.meta, async () => {
    if ((await getMeta(db.meta, 'work'))?.owner === owner) await db.meta.delete('work');
  });
}

/** The marker stored now, if any. */
export function workMarker(db: OffbrowseDb): Promise<WorkMarker | undefined> {
  return getMeta(db.meta, 'work');
}
