import { errorMessage } from '../core/util/errorMessage';
import type { Triage, TriageStatus } from '../core/alerts/triage';
import type { TriageChange } from '../worker/api';
import type { IngestClient } from './ingestClient';
import { bulkTriageFailed, bulkTriageText, triageNotSaved } from './messages';
import { clearDraft, readDrafts, saveDraft } from './noteDrafts';

/** A triage note is saved this long after the last keystroke (and at once on blur, close, switching alerts). */
const NOTE_DELAY_MS = 400;

/**
 * The triage of the alerts: what the worker has saved (kept current by a live
 * query on the database), the edits typed and not yet saved, and why the
 * last save failed.
 */
export class TriageEdits {
  /** Triage by alert id, alerts no longer present included. */
  saved = $state.raw<Record<string, Triage>>({});
  /** Triage edits not yet saved by the worker, by alert id. */
  unsaved = $state.raw<Record<string, { status: TriageStatus; note: string }>>({});
  error = $state<string | null>(null);
  private readonly noteTimers = new Map<string, ReturnType<typeof setTimeout>>();

  /**
   * `keepsDrafts`: whether edits go to localStorage too (the stored history
   * only); `say`: words about a bulk change, for the page's notices.
   */
  constructor(
    private readonly worker: IngestClient,
    private readonly keepsDrafts: () => boolean,
    private readonly say: (text: string) => void,
  ) {}

  statusOf(id: string): TriageStatus {
    return this.saved[id]?.status ?? 'new';
  }

  async set(id: string, status: TriageStatus, note: string): Promise<void> {
    this.cancelNoteTimer(id);
    try {
      const saved = await this.worker.setTriage(id, status, note);
      this.saved = { ...this.saved, [id]: saved };
      this.error = null;
      this.settled(id, { status, note });
    } catch (e) {
      this.error = triageNotSaved(errorMessage(e));
    }
  }

  /**
   * A triage edit as it is typed: kept at once in localStorage (a reload or a
   * closed tab keeps it) and saved by the worker NOTE_DELAY_MS after the
   * last keystroke, or at once by `flush`.
   */
  edit(id: string, status: TriageStatus, note: string): void {
    this.unsaved = { ...this.unsaved, [id]: { status, note } };
    if (this.keepsDrafts()) saveDraft(id, { status, note });
    this.cancelNoteTimer(id);
    this.noteTimers.set(
      id,
      setTimeout(() => void this.flush(id), NOTE_DELAY_MS),
    );
  }

  /** Saves an alert's unsaved edit now (the field was left, the drawer closed, another alert opened). */
  async flush(id: string): Promise<void> {
    this.cancelNoteTimer(id);
    const edit = this.unsaved[id];
    if (edit === undefined) return;
    const stored = this.saved[id];
    if ((stored?.status ?? 'new') === edit.status && (stored?.note ?? '') === edit.note) {
      this.settled(id, edit);
      return;
    }
    await this.set(id, edit.status, edit.note);
  }

  /** Every unsaved edit, now (the page is being hidden or closed). */
  flushAll(): void {
    for (const id of Object.keys(this.unsaved)) void this.flush(id);
  }

  /** Bulk triage: a status for every alert given, and a line added to each note when one is given. */
  async setMany(ids: readonly string[], status: TriageStatus, addNote: string): Promise<void> {
    const line = addNote.trim();
    const changes: TriageChange[] = ids.map((id) => {
      const note = this.unsaved[id]?.note ?? this.saved[id]?.note ?? '';
      return { id, status, note: line === '' ? note : note === '' ? line : `${note}\n${line}` };
    });
    try {
      const saved = await this.worker.setTriageMany(changes);
      this.saved = { ...this.saved, ...saved };
      for (const c of changes) this.settled(c.id, c);
      this.error = null;
      this.say(bulkTriageText(changes.length, status, line !== ''));
    } catch (e) {
      this.say(bulkTriageFailed(errorMessage(e)));
    }
  }

  /** Edits typed before a reload or a closed tab that the worker had not saved: saved now. */
  async restoreDrafts(): Promise<void> {
    if (!this.keepsDrafts()) return;
    for (const [id, d] of Object.entries(readDrafts())) {
      const stored = this.saved[id];
      if ((stored?.status ?? 'new') === d.status && (stored?.note ?? '') === d.note) clearDraft(id, d);
      else await this.set(id, d.status, d.note);
    }
  }

  private settled(id: string, saved: { status: TriageStatus; note: string }): void {
    const edit = this.unsaved[id];
    if (edit !== undefined && edit.status === saved.status && edit.note === saved.note) {
      const { [id]: _done, ...rest } = this.unsaved;
      this.unsaved = rest;
    }
    if (this.keepsDrafts()) clearDraft(id, saved);
  }

  private cancelNoteTimer(id: string): void {
    const t = this.noteTimers.get(id);
    if (t !== undefined) clearTimeout(t);
    this.noteTimers.delete(id);
  }
}
