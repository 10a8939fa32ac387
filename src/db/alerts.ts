import type { AlertRecord } from '../core/alerts/record';
import type { Settings } from '../core/settings/settings';
import type { Coverage } from '../core/detect/coverage';
import type { AlertRow } from './rows';
import { historyMeta, putMeta } from './meta';
import type { OffbrowseDb } from './schema';

export interface AnalysisSave {
  /** The history revision the alerts were made from. */
  revision: number;
  alerts: readonly AlertRecord[];
  settings: Settings;
  /** What the history covers, counted in the same pass. */
  coverage: Coverage;
  /**
   * The settings changed (a re-analysis): the history's revision is bumped
   * with them, so other tabs see that their view is out of date.
   */
  settingsChanged?: boolean;
}

/** Rows per bulk write: large enough to be quick, small enough not to build one huge request. */
const BATCH = 2000;

/**
 * What changes when an alert does, short of its identity: more events, new
 * explanation numbers (other settings), byte counts a TRAFFIC log filled in.
 */
export function alertSignature(r: AlertRecord): string {
  const e = r.explanation;
  const bytes = r.evidence.reduce((n, ev) => n + (ev.bytes_out === null ? 0 : 1), 0);
  return [r.count, r.last_seen, e.hosts_with_key_in_window, e.host_seen_key_in_window, e.window_days, e.rare_hosts, bytes].join(
    '|',
  );
}

/**
 * Brings the stored alerts (with their evidence) up to date, writing only
 * those that are new or changed, and saves the settings that made them.
 * Skipped (false) when the history changed meanwhile in another tab: alerts
 * of an old history would be wrong, and that tab saves its own.
 */
export function saveAnalysis(db: OffbrowseDb, s: AnalysisSave): Promise<boolean> {
  return db.transaction('rw', [db.alerts, db.meta], async () => {
    const meta = await historyMeta(db.meta);
    if (meta.revision !== s.revision) return false;
    const revision = s.settingsChanged === true ? s.revision + 1 : s.revision;
    if (revision !== s.revision) await putMeta(db.meta, 'history', { ...meta, revision });
    const stored = new Map<string, string>();
    for (const [id, sig] of (await db.alerts.orderBy('[id+sig]').keys()) as unknown as [string, string][]) stored.set(id, sig);
    const put: AlertRow[] = [];
    const keep = new Set<string>();
    for (const { settings: _settings, ...record } of s.alerts) {
      const sig = alertSignature({ ...record, settings: s.settings });
      keep.add(record.id);
      if (stored.get(record.id) !== sig) put.push({ ...record, sig });
    }
    const gone = [...stored.keys()].filter((id) => !keep.has(id));
    if (gone.length > 0) await db.alerts.bulkDelete(gone);
    for (let i = 0; i < put.length; i += BATCH) await db.alerts.bulkPut(put.slice(i, i + BATCH));
    await putMeta(db.meta, 'settings', s.settings);
    await putMeta(db.meta, 'alerts', { revision, coverage: s.coverage });
    return true;
  });
}
