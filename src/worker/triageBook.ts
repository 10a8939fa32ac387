import { TRIAGE_STATUSES, type Triage, type TriageStatus } from '../core/alerts/triage';
import type { TriageChange } from './api';
import type { HistoryStore } from './store';

/** Longest note kept; a note is for the case file, not for pasting logs into. */
const MAX_NOTE_CHARS = 20_000;

function checked(status: TriageStatus): TriageStatus {
  if (!TRIAGE_STATUSES.includes(status)) throw new Error(`unknown triage status "${String(status)}"`);
  return status;
}

/**
 * Triage by alert id, as stored: kept by id, so it outlives re-analysis
 * while the alert exists. Each change is saved before it is kept here.
 */
export class TriageBook {
  private entries: Record<string, Triage> = {};

  get all(): Record<string, Triage> {
    return this.entries;
  }

  /** What the store holds now (a load, a state imported, a reset). */
  replace(entries: Record<string, Triage>): void {
    this.entries = entries;
  }

  async set(store: HistoryStore, id: string, status: TriageStatus, note: string): Promise<Triage> {
    const triage = this.next(id, checked(status), note, new Date().toISOString());
    if (triage === this.entries[id]) return triage;
    await store.setTriage(id, triage);
    this.entries[id] = triage;
    return triage;
  }

  /** Several alerts' triage at once (bulk triage), in one transaction. */
  async setMany(store: HistoryStore, changes: readonly TriageChange[]): Promise<Record<string, Triage>> {
    const now = new Date().toISOString();
    const out: Record<string, Triage> = {};
    for (const c of changes) out[c.id] = this.next(c.id, checked(c.status), c.note, now);
    await store.setTriages(out);
    Object.assign(this.entries, out);
    return out;
  }

  /** Triage that came with imported alerts, saved one by one. */
  async adopt(store: HistoryStore, entries: Record<string, Triage>): Promise<void> {
    for (const [id, t] of Object.entries(entries)) {
      await store.setTriage(id, t);
      this.entries[id] = t;
    }
  }

  /** The triage to keep for a change: the one kept already when nothing changes (its time of change stays). */
  private next(id: string, status: TriageStatus, note: string, now: string): Triage {
    const text = note.slice(0, MAX_NOTE_CHARS);
    const before = this.entries[id];
    return before !== undefined && before.status === status && before.note === text
      ? before
      : { status, note: text, changedAt: now };
  }
}
