import { liveQuery, type Subscription } from 'dexie';
import type { Triage } from '../core/alerts/triage';
import { openDatabase } from '../db/open';

export interface StorageListener {
  triage(triage: Record<string, Triage>): void;
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
  const subscriptions: Subscription[] = [
    liveQuery(() => db.triage.toArray()).subscribe({
      next: (rows) => {
        const out: Record<string, Triage> = {};
        for (const r of rows) out[r.id] = { status: r.status, note: r.note, changedAt: r.changedAt };
        listener.triage(out);
      },
      error: ignore,
    }),
  ];
  return () => {
    for (const s of subscriptions) s.unsubscribe();
    db.close();
  };
}
