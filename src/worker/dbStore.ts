import type { Coverage } from '../core/detect/coverage';
import type { RunStore } from '../core/runs/runStore';
import type { AlertRecord } from '../core/alerts/record';
import type { Settings } from '../core/settings/settings';
import type { Triage } from '../core/alerts/triage';
import { saveAnalysis } from '../db/alerts';
import { commitBatch } from '../db/commitBatch';
import { loadHistory } from '../db/loadHistory';
import { openDatabase, type OpenOptions } from '../db/open';
import { clearHistory, replaceHistory } from '../db/replaceHistory';
import { DbRunStore, deleteRuns, runId } from '../db/runs';
import type { OffbrowseDb } from '../db/schema';
import { putTriage, putTriages } from '../db/triage';
import { checkIntegrity } from '../db/integrity';
import { historyMeta } from '../db/meta';
import { endWork, startWork, workMarker } from '../db/work';
import type { InterruptedWork, StorageStatus, WorkAsked } from './api';
import type { History } from './history';
import { withQuotaFigures } from './quota';
import { abandoned } from './runLock';
import type { Batch, BatchResult, HistoryStore, StoredState } from './store';

/**
 * Any database failure leaves as a StorageProblem, whose message the page can
 * show as it is; `needed`: how many bytes the work was writing, for a full quota's words.
 */
async function guarded<T>(work: () => Promise<T>, needed?: () => number): Promise<T> {
  try {
    return await work();
  } catch (e) {
    throw await withQuotaFigures(e, needed?.());
  }
}

/** The history in IndexedDB (src/db): sorted runs of events, the manifest, alerts, triage and settings. */
export class DbStore implements HistoryStore {
  readonly status: StorageStatus = { mode: 'indexeddb' };

  /** The owner of the work begun and not yet ended (its commit marks it committed). */
  private work: string | null = null;
  private checked = false;

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
      // Once, on opening: a history with parts missing is refused (openHistory.ts says so) rather than read wrong.
      if (!this.checked) await checkIntegrity(this.db);
      this.checked = true;
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
    /** Bytes of events this owner's runs were given (written, or held to be written with the next ones): what a full quota was asked for. */
    let given = 0;
    return {
      create: (kind) =>
        guarded(async () => {
          // Every write of a reading says what storage did, in the page's words (a full quota among them).
          const w = await runs.create(kind);
          return {
            add: (block) => {
              given += block.byteLength;
              return guarded(
                () => w.add(block),
                () => given,
              );
            },
            finish: () =>
              guarded(
                () => w.finish(),
                () => given,
              ),
            abort: () => guarded(() => w.abort()),
          };
        }),
      blocks: (run) => runs.blocks(run),
      delete: (run) => guarded(() => runs.delete(run)),
    };
  }

  commit(batch: Batch): Promise<BatchResult> {
    return guarded(() =>
      commitBatch(this.db, {
        files: batch.files,
        runs: batch.runs.map(runId),
        counts: batch.counts,
        events: batch.events,
        work: this.work,
      }),
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
        work: this.work,
      }),
    );
  }

  saveAnalysis(
    revision: number,
    alerts: readonly AlertRecord[],
    settings: Settings,
    coverage: Coverage,
    settingsChanged: boolean,
  ): Promise<number> {
    return guarded(async () => {
      const saved = await saveAnalysis(this.db, { revision, alerts, settings, coverage, settingsChanged });
      return saved && settingsChanged ? revision + 1 : revision;
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

  revision(): Promise<number> {
    return guarded(async () => (await historyMeta(this.db.meta)).revision);
  }

  async begin(owner: string, work: WorkAsked): Promise<void> {
    try {
      await startWork(this.db, { owner, ...work, startedAt: Date.now(), committed: false });
      this.work = owner;
    } catch {
      // No room even for the marker: the work's own writes will fail and say so; there is nothing to mark.
      this.work = null;
    }
  }

  async end(): Promise<void> {
    const owner = this.work;
    this.work = null;
    if (owner !== null) await endWork(this.db, owner).catch(() => undefined);
  }

  async interrupted(): Promise<InterruptedWork | null> {
    const marker = await guarded(() => workMarker(this.db));
    if (marker === undefined || !(await abandoned(marker.owner, marker.startedAt))) return null;
    await guarded(() => endWork(this.db, marker.owner));
    const { kind, names, keys, committed } = marker;
    return keys === undefined ? { kind, names, committed } : { kind, names, keys, committed };
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
