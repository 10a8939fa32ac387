import { TRIAGE_STATUSES, type TriageStatus } from '../core/alerts/triage';
import { localStore } from './localPrefs';

/**
 * Triage being typed, written to localStorage on every keystroke: it is
 * synchronous, so a reload or a closed tab a moment after typing still finds
 * it, where a save through the worker to IndexedDB may not have finished.
 * The next visit saves what it finds and forgets it.
 */
const KEY = 'offbrowse.triage-drafts';

export interface Draft {
  status: TriageStatus;
  note: string;
}

const storage = localStore;

export function readDrafts(): Record<string, Draft> {
  const s = storage();
  if (s === null) return {};
  try {
    const v: unknown = JSON.parse(s.getItem(KEY) ?? '{}');
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return {};
    const out: Record<string, Draft> = {};
    for (const [id, d] of Object.entries(v as Record<string, unknown>)) {
      const draft = d as Partial<Draft> | null;
      if (draft !== null && typeof draft.note === 'string' && TRIAGE_STATUSES.includes(draft.status as TriageStatus)) {
        out[id] = { status: draft.status as TriageStatus, note: draft.note };
      }
    }
    return out;
  } catch {
    return {};
  }
}

function write(drafts: Record<string, Draft>): void {
  const s = storage();
  if (s === null) return;
  try {
    if (Object.keys(drafts).length === 0) s.removeItem(KEY);
    else s.setItem(KEY, JSON.stringify(drafts));
  } catch {
    // Storage full or refused: the worker's save is then the only copy, as before.
  }
}

export function saveDraft(id: string, draft: Draft): void {
  write({ ...readDrafts(), [id]: draft });
}

/** Forgets a draft once it is saved; a newer one typed meanwhile stays. */
export function clearDraft(id: string, saved: Draft): void {
  const drafts = readDrafts();
  const d = drafts[id];
  if (d === undefined || d.status !== saved.status || d.note !== saved.note) return;
  delete drafts[id];
  write(drafts);
}
