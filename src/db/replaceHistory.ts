import type { Candidate } from '../core/event';
import type { Collected } from '../core/ingest';
import type { Settings } from '../core/settings';
import type { Triage } from '../core/state';
import { baselineDbRows } from './baseline';
import { BATCH } from './commitFile';
import { toBlocks } from './eventBlocks';
import { emptyHistoryMeta, historyMeta, putMeta } from './meta';
import type { EventBlockRow, FileRow, TriageRow } from './rows';
import type { OffbrowseDb } from './schema';

export interface Replacement {
  collected: Collected;
  demoLoaded: boolean;
  demoFiles: ReadonlySet<string>;
  settings: Settings;
  /** Null keeps the stored triage (a rebuild); otherwise it is replaced (an import). */
  triage: Record<string, Triage> | null;
}

export function fileRow(report: Collected['files'][number], demo: boolean, addedAt: number): Omit<FileRow, 'id'> {
  return {
    fingerprint: report.fingerprint,
    name: report.name,
    bytes: report.bytes,
    firstEvent: report.counts.minTime,
    lastEvent: report.counts.maxTime,
    rows: report.counts.lines,
    addedAt,
    demo,
    report,
  };
}

/**
 * The events in blocks by the file they came from, where the manifest says
 * so without doubt (the file's name occurs once in it); the rest under ''.
 */
function blocksByFile(files: readonly Collected['files'][number][], events: readonly Candidate[]): EventBlockRow[] {
  const byName = new Map<string, string | null>();
  for (const f of files) byName.set(f.name, byName.has(f.name) ? null : f.fingerprint);
  const groups = new Map<string, Candidate[]>();
  for (const e of events) {
    const file = byName.get(e.source.file) ?? '';
    let group = groups.get(file);
    if (group === undefined) groups.set(file, (group = []));
    group.push(e);
  }
  return [...groups].flatMap(([file, group]) => toBlocks(file, group));
}

export function triageRows(triage: Record<string, Triage>): TriageRow[] {
  return Object.entries(triage).map(([id, t]) => ({ id, status: t.status, note: t.note, changedAt: t.changedAt }));
}

/**
 * Replaces the stored history with another (an imported state file, or
 * everything read again under new settings) in one transaction: if it fails,
 * the stored history is the one before. Returns the new revision and the
 * event blocks written, with their ids.
 */
export function replaceHistory(db: OffbrowseDb, r: Replacement): Promise<{ revision: number; blocks: EventBlockRow[] }> {
  const tables = [db.events, db.files, db.baseline, db.alerts, db.meta, db.triage];
  return db.transaction('rw', tables, async () => {
    const before = await historyMeta(db.meta);
    // A file read again keeps when it was first added.
    const addedAt = new Map<string, number>();
    for (const f of await db.files.toArray()) if (f.fingerprint !== null) addedAt.set(f.fingerprint, f.addedAt);
    await Promise.all([db.events.clear(), db.files.clear(), db.baseline.clear(), db.alerts.clear(), db.meta.delete('alerts')]);
    const { candidates, files, counts } = r.collected;
    const blocks = blocksByFile(files, candidates);
    const ids = blocks.length > 0 ? await db.events.bulkAdd(blocks.map((b) => ({ ...b })), { allKeys: true }) : [];
    const now = Date.now();
    const manifest = files.map((f) =>
      fileRow(f, f.fingerprint !== null && r.demoFiles.has(f.fingerprint), (f.fingerprint !== null && addedAt.get(f.fingerprint)) || now),
    );
    await db.files.bulkAdd(manifest);
    const baseline = baselineDbRows(candidates, r.settings.uploadMinBytes);
    for (let i = 0; i < baseline.length; i += BATCH) await db.baseline.bulkPut(baseline.slice(i, i + BATCH));
    const revision = before.revision + 1;
    await putMeta(db.meta, 'history', {
      counts, demoLoaded: r.demoLoaded, revision, fileCount: files.length, eventCount: candidates.length,
    });
    await putMeta(db.meta, 'settings', r.settings);
    if (r.triage !== null) {
      await db.triage.clear();
      await db.triage.bulkPut(triageRows(r.triage));
    }
    return { revision, blocks: blocks.map((b, i) => ({ ...b, id: ids[i] })) };
  });
}

/** Deletes the stored history and triage; the settings stay. */
export function clearHistory(db: OffbrowseDb): Promise<number> {
  const tables = [db.events, db.files, db.baseline, db.alerts, db.meta, db.triage];
  return db.transaction('rw', tables, async () => {
    const revision = (await historyMeta(db.meta)).revision + 1;
    await Promise.all([db.events.clear(), db.files.clear(), db.baseline.clear(), db.alerts.clear(), db.triage.clear(), db.meta.delete('alerts')]);
    await putMeta(db.meta, 'history', { ...emptyHistoryMeta(), revision });
    return revision;
  });
}
