import type { Settings } from '../core/settings/settings';
import type { Triage } from '../core/alerts/triage';
import type { ManifestEntry } from '../core/state/state';
import type { Counts } from '../core/sources/counts';
import { fileRow } from './commitBatch';
import { emptyHistoryMeta, historyMeta, putMeta } from './meta';
import type { TriageRow } from './rows';
import { deleteRuns } from './runs';
import type { OffbrowseDb } from './schema';

export interface Replacement {
  files: readonly ManifestEntry[];
  /** Pending runs holding all the events; every other run is deleted. */
  runs: readonly number[];
  counts: Counts;
  events: number;
  demoLoaded: boolean;
  settings: Settings;
  /** Null keeps the stored triage (a rebuild); otherwise it is replaced (an import). */
  triage: Record<string, Triage> | null;
}

function triageRows(triage: Record<string, Triage>): TriageRow[] {
  return Object.entries(triage).map(([id, t]) => ({ id, status: t.status, note: t.note, changedAt: t.changedAt }));
}

/**
 * Replaces the stored history with another (an imported state file, or
 * everything read again under new settings) in one transaction: if it fails,
 * the stored history is the one before. Returns the new revision.
 */
export function replaceHistory(db: OffbrowseDb, r: Replacement): Promise<number> {
  const tables = [db.runs, db.blocks, db.files, db.alerts, db.meta, db.triage];
  return db.transaction('rw', tables, async () => {
    const before = await historyMeta(db.meta);
    const keep = new Set(r.runs);
    const old = (await db.runs.where('state').equals('committed').primaryKeys()).filter((id) => !keep.has(id));
    await deleteRuns(db, old);
    for (const id of r.runs) await db.runs.update(id, { state: 'committed' });
    await Promise.all([db.files.clear(), db.alerts.clear(), db.meta.delete('alerts')]);
    if (r.files.length > 0) await db.files.bulkAdd(r.files.map(fileRow));
    const revision = before.revision + 1;
    await putMeta(db.meta, 'history', {
      counts: r.counts,
      demoLoaded: r.demoLoaded,
      revision,
      fileCount: r.files.length,
      eventCount: r.events,
    });
    await putMeta(db.meta, 'settings', r.settings);
    if (r.triage !== null) {
      await db.triage.clear();
      await db.triage.bulkPut(triageRows(r.triage));
    }
    return revision;
  });
}

/** Deletes the stored history and triage; the settings stay. */
export function clearHistory(db: OffbrowseDb): Promise<number> {
  const tables = [db.runs, db.blocks, db.files, db.alerts, db.meta, db.triage];
  return db.transaction('rw', tables, async () => {
    const revision = (await historyMeta(db.meta)).revision + 1;
    await Promise.all([
      db.runs.clear(),
      db.blocks.clear(),
      db.files.clear(),
      db.alerts.clear(),
      db.triage.clear(),
      db.meta.delete('alerts'),
    ]);
    await putMeta(db.meta, 'history', { ...emptyHistoryMeta(), revision });
    return revision;
  });
}
