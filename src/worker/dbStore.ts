import type { Candidate } from '../core/event';
import type { AlertRecord } from '../core/record';
import type { Settings } from '../core/settings';
import type { Triage } from '../core/state';
import { saveAnalysis } from '../db/alerts';
import { baselineChange, baselineDbRows } from '../db/baseline';
import { commitFile } from '../db/commitFile';
import { EventBlocks, toBlocks } from '../db/eventBlocks';
import { loadHistory, type StoredHistory } from '../db/loadHistory';
import { openDatabase, type OpenOptions } from '../db/open';
import { storageProblem } from '../db/problems';
import { clearHistory, fileRow, replaceHistory } from '../db/replaceHistory';
import type { OffbrowseDb } from '../db/schema';
import { putTriage } from '../db/triage';
import type { StorageStatus } from './api';
import type { History, Reading } from './history';
import type { HistoryStore, StoreCommit } from './store';

/** Any database failure leaves as a StorageProblem, whose message the page can show as it is. */
async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    throw storageProblem(e);
  }
}

/** The history in IndexedDB (src/db), written file by file. */
export class DbStore implements HistoryStore {
  readonly status: StorageStatus = { mode: 'indexeddb', problem: null };
  /** The stored revision the worker's copy of the history matches. */
  private revision = 0;
  private blocks = new EventBlocks();

  private constructor(private readonly db: OffbrowseDb) {}

  /** Throws a StorageProblem when the browser gives no database here. `options` name another database (tests). */
  static async open(options: OpenOptions = {}): Promise<DbStore> {
    return new DbStore(await openDatabase({ ...options, dexie: { cache: 'disabled', ...options.dexie } }));
  }

  /** Lets go of the database (a test's "tab closed"). */
  close(): void {
    this.db.close();
  }

  load(): Promise<StoredHistory> {
    return guarded(async () => {
      const stored = await loadHistory(this.db);
      this.revision = stored.revision;
      this.blocks = stored.blocks;
      return stored;
    });
  }

  commitFile(history: History, reading: Reading, changed: readonly Candidate[], settings: Settings): Promise<StoreCommit> {
    return guarded(async () => {
      const blocks = toBlocks(reading.report.fingerprint ?? '', reading.candidates);
      const result = await commitFile(this.db, {
        expectRevision: this.revision,
        file: fileRow(reading.report, reading.demo, Date.now()),
        blocks,
        events: reading.candidates.length,
        counts: reading.counts,
        rewrite: this.blocks.holding(changed),
        baseline: baselineChange(history.collected.candidates, reading.candidates, changed, settings.uploadMinBytes),
      });
      if (result.status !== 'committed') return result;
      this.revision = result.revision;
      result.ids.forEach((id, i) => this.blocks.add(id, blocks[i]));
      return { status: 'committed' };
    });
  }

  saveAnalysis(history: History, alerts: readonly AlertRecord[], settings: Settings, rebuildBaseline: boolean): Promise<void> {
    return guarded(async () => {
      const baseline = rebuildBaseline ? baselineDbRows(history.collected.candidates, settings.uploadMinBytes) : null;
      await saveAnalysis(this.db, { revision: this.revision, alerts, settings, baseline });
    });
  }

  replace(history: History, settings: Settings, triage: Record<string, Triage> | null): Promise<void> {
    return guarded(async () => {
      const { collected, demoLoaded, demoFiles } = history;
      const { revision, blocks } = await replaceHistory(this.db, { collected, demoLoaded, demoFiles, settings, triage });
      this.revision = revision;
      this.blocks = new EventBlocks();
      for (const b of blocks) this.blocks.add(b.id!, b);
    });
  }

  clear(): Promise<void> {
    return guarded(async () => {
      this.revision = await clearHistory(this.db);
      this.blocks = new EventBlocks();
    });
  }

  setTriage(id: string, triage: Triage): Promise<void> {
    return guarded(() => putTriage(this.db, id, triage));
  }
}
