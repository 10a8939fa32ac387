import type { Triage } from '../core/alerts/triage';
import type { OffbrowseDb } from './schema';

/** Saves one alert's triage; it is kept by alert id, so it outlives re-analysis while the alert exists. */
export async function putTriage(db: OffbrowseDb, id: string, t: Triage): Promise<void> {
  await db.triage.put({ id, status: t.status, note: t.note, changedAt: t.changedAt });
}

/** Saves several alerts' triage in one transaction (bulk triage): all or none. */
export async function putTriages(db: OffbrowseDb, triage: Record<string, Triage>): Promise<void> {
  const rows = Object.entries(triage).map(([id, t]) => ({ id, status: t.status, note: t.note, changedAt: t.changedAt }));
  await db.transaction('rw', db.triage, () => db.triage.bulkPut(rows));
}
