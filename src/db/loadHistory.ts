import type { RunRef } from '../core/runs/runStore';
import { errorMessage } from '../core/util/errorMessage';
import { resolveSettings, type Settings } from '../core/settings/settings';
import type { Triage } from '../core/alerts/triage';
import type { ManifestEntry } from '../core/state/state';
import type { Counts } from '../core/sources/counts';
import { getMeta, historyMeta } from './meta';
import type { FileRow, RunRow } from './rows';
import type { OffbrowseDb } from './schema';

export interface StoredHistory {
  /** The files added, in the order added. */
  files: ManifestEntry[];
  counts: Counts;
  demoLoaded: boolean;
  /** The sorted runs that hold the history's events. */
  runs: RunRef[];
  revision: number;
  /** Null when none were saved (or they no longer validate): the defaults apply. */
  settings: Settings | null;
  /** Why saved settings were not used (they fall outside what this version accepts); null when they were, or none were saved. */
  settingsProblem: string | null;
  triage: Record<string, Triage>;
  /** The history revision the stored alerts were made from; null when none are stored. */
  alertsRevision: number | null;
}

function manifestEntry(row: FileRow): ManifestEntry {
  return { key: row.key, report: row.report, demo: row.demo, addedAt: row.addedAt };
}

function runRef(row: RunRow): RunRef {
  return { id: String(row.id), kind: row.kind, count: row.count, minTime: row.minTime, maxTime: row.maxTime };
}

function validSettings(value: unknown): { settings: Settings | null; problem: string | null } {
  if (value === undefined) return { settings: null, problem: null };
  try {
    return { settings: resolveSettings(value), problem: null };
  } catch (e) {
    return { settings: null, problem: errorMessage(e) };
  }
}

/** Everything stored but the events themselves (they stay in their runs), read in one transaction. */
export function loadHistory(db: OffbrowseDb): Promise<StoredHistory> {
  return db.transaction('r', [db.runs, db.files, db.meta, db.triage], async () => {
    const meta = await historyMeta(db.meta);
    const files = (await db.files.orderBy(':id').toArray()).map(manifestEntry);
    const runs = (await db.runs.where('state').equals('committed').toArray()).map(runRef);
    const triage: Record<string, Triage> = {};
    for (const t of await db.triage.toArray()) triage[t.id] = { status: t.status, note: t.note, changedAt: t.changedAt };
    const alerts = await getMeta(db.meta, 'alerts');
    const saved = validSettings(await getMeta(db.meta, 'settings'));
    return {
      files,
      counts: meta.counts,
      demoLoaded: meta.demoLoaded,
      runs,
      revision: meta.revision,
      settings: saved.settings,
      settingsProblem: saved.problem,
      triage,
      alertsRevision: alerts?.revision ?? null,
    };
  });
}
