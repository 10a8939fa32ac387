import Dexie, { liveQuery, type Subscription } from 'dexie';
import type { Triage } from '../core/alerts/triage';
import { historyMeta } from '../db/meta';
import { openDatabase } from '../db/open';
import { DB_NAME } from '../db/schema';

export interface StorageListener {
  triage(triage: Record<string, Triage>): void;
  /** The stored history's revision, at once and after every write (this tab's or another's). */
  revision(revision: number): void;
  /** Another tab upgraded (`upgraded`) or deleted the database: this page's copy of it is gone, and it must be reloaded. */
  closed(why: 'upgraded' | 'deleted'): void;
}

/**
 * Watches the database the worker writes. Dexie tells this page's live
 * queries of writes made in the worker (or in another tab) over a
 * BroadcastChannel, so the triage follows every commit without asking.
 * The numbers of the history are not read here: they come with the worker's
 * analysis, which counts them the same way on opening and after a run. Returns a function that stops watching, or null
 * when the page cannot open the database (the worker's copy is shown then).
 */
export async function watchStorage(listener: StorageListener): Promise<(() => void) | null> {
  let db: Awaited<ReturnType<typeof openDatabase>>;
  try {
    db = await openDatabase();
  } catch {
    return null;
  }
  const ignore = (): void => undefined;
  // A newer version opening in another tab (or a "Start clean" there) waits for every connection to close;
  // this one closes at once (Dexie's own handler) and the page is told to reload, so neither tab is stuck.
  db.on('versionchange', (e) => {
    listener.closed(e.newVersion === null || e.newVersion === 0 ? 'deleted' : 'upgraded');
  });
  const subscriptions: Subscription[] = [
    liveQuery(() => db.triage.toArray()).subscribe({
      next: (rows) => {
        const out: Record<string, Triage> = {};
        for (const r of rows) out[r.id] = { status: r.status, note: r.note, changedAt: r.changedAt };
        listener.triage(out);
      },
      error: ignore,
    }),
    liveQuery(async () => (await historyMeta(db.meta)).revision).subscribe({ next: (r) => listener.revision(r), error: ignore }),
  ];
  return () => {
    for (const s of subscriptions) s.unsubscribe();
    db.close();
  };
}

/** Deletes the stored history's database ("Start clean"); other tabs let go of it (their versionchange above). */
export function deleteStoredHistory(): Promise<void> {
  return Dexie.delete(DB_NAME);
}
