import type { Coverage } from '../core/detect/coverage';
import type { RunStore } from '../core/runs/runStore';
import type { AlertRecord } from '../core/alerts/record';
import type { Settings } from '../core/settings/settings';
import type { Triage } from '../core/alerts/triage';
import { saveAnalysis } from '../db/alerts';
import { commitBatch } from '../db/commitBatch';
import { loadHistory } from '../db/loadHistory';
import { openDatabase, type OpenOptions } from '../db/open';
import { storageProblem } from '../db/problems';
import { clearHistory, replaceHistory } from '../db/replaceHistory';
import { DbRunStore, deleteRuns, runId } from '../db/runs';
import type { OffbrowseDb } from '../db/schema';
import { putTriage, putTriages } from '../db/triage';
import type { StorageStatus } from './api';
import type { History } from './history';
import { abandoned } from './runLock';
import type { Batch, BatchResult, HistoryStore, StoredState } from './store';

/** Any database failure leaves as a StorageProblem, whose message the page can show as it is. */
async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    throw storageProblem(e);
  }
}

/** The history in IndexedDB (src/db): sorted runs of events, the manifest, alerts, triage and settings. */
export class DbStore implements HistoryStore {
  readonly status: StorageStatus = { mode: 'indexeddb' };

  private constructor(private readonly db: OffbrowseDb) {}

  /** Throws a StorageProblem when the browser gives no database here. `options` name another database (tests). */
  static async open(options: OpenOptions = {}): Promise<DbStore> {
    const store = new DbStore(await openDatabase({ ...options, dexie: { cache: 'disabled', ...options.dexie } }));
    await store.dropLeftovers();
    return store;
  }

  /** Lets go of the database (a test's "tab closed"). */
  close(): void {
    this.db.close();
  }

  load(): Promise<StoredState> {
    return guarded(async () => {
      const stored = await loadHistory(this.db);
      const history: History = {
        files: stored.files,
        counts: stored.counts,
        runs: stored.runs,
        demoLoaded: stored.demoLoaded,
        revision: stored.revision,
      };
      return {
        history,
        settings: stored.settings,
        settingsProblem: stored.settingsProblem,
        triage: stored.triage,
        alertsCurrent: stored.alertsRevision === stored.revision,
      };
    });
  }

  runs(owner: string): RunStore {
    const runs = new DbRunStore(this.db, owner);
    return {
      create: (kind) => guarded(() => runs.create(kind)),
      blocks: (run) => runs.blocks(run),
      delete: (run) => guarded(() => runs.delete(run)),
    };
  }

  commit(batch: Batch): Promise<BatchResult> {
    return guarded(() =>
      commitBatch(this.db, { files: batch.files, runs: batch.runs.map(runId), counts: batch.counts, events: batch.events }),
    );
  }

  replace(history: History, settings: Settings, triage: Record<string, Triage> | null): Promise<number> {
    return guarded(() =>
      replaceHistory(this.db, {
        files: history.files,
        runs: history.runs.map(runId),
        counts: history.counts,
        demoLoaded: history.demoLoaded,
        events: history.runs.reduce((n, r) => n + r.count, 0),
        settings,
        triage,
      }),
    );
  }

  saveAnalysis(revision: number, alerts: readonly AlertRecord[], settings: Settings, coverage: Coverage): Promise<void> {
    return guarded(async () => {
      await saveAnalysis(this.db, { revision, alerts, settings, coverage });
    });
  }

  clear(): Promise<number> {
    return guarded(() => clearHistory(this.db));
  }

  setTriage(id: string, triage: Triage): Promise<void> {
    return guarded(() => putTriage(this.db, id, triage));
  }

  setTriages(triage: Record<string, Triage>): Promise<void> {
    return guarded(() => putTriages(this.db, triage));
  }

  /** Pending runs of readings that ended without committing (a tab closed part-way) take space and nothing else. */
  private async dropLeftovers(): Promise<void> {
    const pending = await this.db.runs.where('state').equals('pending').toArray();
    const owners = new Map<string, number>();
    for (const r of pending) owners.set(r.owner, Math.max(owners.get(r.owner) ?? 0, r.createdAt));
    for (const [owner, createdAt] of owners) {
      if (!(await abandoned(owner, createdAt))) continue;
      const ids = pending.filter((r) => r.owner === owner).map((r) => r.id!);
      await this.db.transaction('rw', [this.db.runs, this.db.blocks], () => deleteRuns(this.db, ids));
    }
  }
}
