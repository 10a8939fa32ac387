import * as Comlink from 'comlink';
import { errorMessage } from '../core/util/errorMessage';
import { defaultSettings, type Settings } from '../core/settings/settings';
import { needsReread } from './settingsChange';
import type { Triage, TriageStatus } from '../core/alerts/triage';
import type {
  AlertDetail,
  Analysis,
  Coverage,
  DemoForm,
  Duplicate,
  Export,
  HostActivity,
  RunOutcome,
  RunProgress,
  StorageStatus,
  TriageChange,
} from '../worker/api';
import { saveBlob } from './download';
import { startIngestWorker, type IngestClient } from './ingestClient';
import { watchStorage } from './liveStorage';
import {
  ALERT_GONE,
  alreadyLoadedText,
  bulkTriageFailed,
  bulkTriageText,
  DEMO_ALREADY_STORED,
  duplicatesText,
  exportFailed,
  noticeText,
  nothingAddedWhat,
  notSavedText,
  partlyReadWhat,
  readProblemText,
  refusalText,
  RESULTS_CHANGED,
  runWhat,
  triageNotSaved,
  type RunAsked,
} from './messages';
import { clearDraft, readDrafts, saveDraft } from './noteDrafts';
import { StorageEstimate } from './storageEstimate.svelte';

/** What the page asked for; runs go to the worker one at a time, in order. */
type Job =
  | { kind: 'open' }
  | { kind: 'files'; files: File[] }
  | { kind: 'demo'; form: DemoForm }
  | { kind: 'remove'; keys: string[]; names: string[] }
  | { kind: 'remove-demo'; keys: string[] }
  | { kind: 'settings'; settings: Settings }
  | { kind: 'import'; file: File }
  | { kind: 'import-alerts'; file: File }
  | { kind: 'reset' };

export interface RunNote {
  /**
   * `stopped`: a file could not be added, those before it were; `refused`:
   * nothing was changed; `nothing`: the run went through but added no file
   * (every one was refused, empty or already in the baseline).
   */
  outcome: 'done' | 'nothing' | 'cancelled' | 'failed' | 'stopped' | 'refused';
  /** What the run did, in words. */
  what: string;
  /** What went less than well in a run that completed (files not read), in words; null when nothing did. */
  problem?: string | null;
  ms: number;
  /** For a failed, stopped or refused run, why. */
  error: string | null;
  /** For a cancelled run: files finished before the cancel were added. */
  kept: boolean;
}

/** Same name, size and modification time: the same file dropped again in this tab, not read twice. */
function fileKey(f: File): string {
  return `${f.name}\u0000${f.size}\u0000${f.lastModified}`;
}

/** A question the page must ask before a run: the demo into a history of real logs, or real logs onto the demo. */
export type Choice = { kind: 'demo'; form: DemoForm; over: 'real' | 'other-demo' } | { kind: 'drop'; files: File[] };

/** A triage note is saved this long after the last keystroke (and at once on blur, close, switching alerts). */
const NOTE_DELAY_MS = 400;

/**
 * The page's state: the runs, their progress, the current analysis, the
 * settings that made it, the triage and what storage holds. File contents
 * never come here: only File handles, passed to the worker.
 */
class Session {
  running = $state(false);
  progress = $state.raw<RunProgress | null>(null);
  analysis = $state.raw<Analysis | null>(null);
  /** The settings of the current analysis. */
  settings = $state.raw<Settings>(defaultSettings());
  /** Bumped when a run completes; the `data-run` of the ingest-done hook. Opening the stored history is not a run. */
  completedRuns = $state(0);
  lastRun = $state.raw<RunNote | null>(null);
  /** The last run that completed: what the page shows now. */
  lastDone = $state.raw<RunNote | null>(null);
  /** Things to tell the user about the last request (files already added). */
  notices = $state.raw<string[]>([]);
  fatal = $state<string | null>(null);
  queued = $state(0);
  /** The demo is waiting or being read: asking again does nothing. */
  demoPending = $state(false);
  /** A question to ask before going on (App shows it); null when none. */
  choice = $state.raw<Choice | null>(null);
  /** Triage edits not yet saved by the worker, by alert id. */
  unsaved = $state.raw<Record<string, { status: TriageStatus; note: string }>>({});
  /** Null while the stored history is being opened. */
  storage = $state.raw<StorageStatus | null>(null);
  /** Triage by alert id: from the worker, kept current by a live query on the database. */
  triage = $state.raw<Record<string, Triage>>({});
  triageError = $state<string | null>(null);
  readonly estimate = new StorageEstimate();

  selected = $state<number | null>(null);
  detail = $state.raw<AlertDetail | null>(null);
  detailError = $state<string | null>(null);

  /** Live from the database when it is there, else the worker's count. */
  get coverage(): Coverage | null {
    return this.liveCoverage ?? this.analysis?.coverage ?? null;
  }

  private liveCoverage = $state.raw<Coverage | null>(null);
  private readonly worker: IngestClient;
  private readonly fileKeys = new Set<string>();
  private readonly queue: Job[] = [];
  private pumping = false;
  private readonly noteTimers = new Map<string, ReturnType<typeof setTimeout>>();

  /** `separate`: a session of its own in memory (the demo opened beside a stored history), which never touches storage. */
  constructor(readonly separate = false) {
    this.worker = startIngestWorker((m) => (this.fatal = m), { memoryOnly: separate });
    this.enqueue({ kind: 'open' });
  }

  /** Adds files; onto a history that holds the demo, asks first (`ask` false: asked already). */
  addFiles(files: readonly File[], ask = true): void {
    if (files.length === 0) return;
    if (ask && (this.analysis?.demoForm ?? null) !== null) {
      this.choice = { kind: 'drop', files: [...files] };
      return;
    }
    this.enqueue({ kind: 'files', files: [...files] });
  }

  /**
   * Loads the demo in a form; into a history of real logs, or of the demo in
   * another form, asks first (the question is decided once the stored history
   * is open, so `?demo` asks too).
   */
  loadDemo(form: DemoForm = 'panos'): void {
    if (this.demoPending) return;
    this.demoPending = true;
    this.enqueue({ kind: 'demo', form });
  }

  /** The answers to a Choice. */
  clearDemoThenAdd(files: File[]): void {
    this.choice = null;
    this.removeDemo();
    this.enqueue({ kind: 'files', files });
  }

  replaceDemo(form: DemoForm): void {
    this.choice = null;
    this.removeDemo();
    this.demoPending = true;
    this.enqueue({ kind: 'demo', form });
  }

  dismissChoice(): void {
    this.choice = null;
  }

  /** Takes files out of the history by key (Analysis.fileKeys); `names` are theirs, for the words. */
  removeFiles(keys: string[], names: string[]): void {
    if (keys.length > 0) this.enqueue({ kind: 'remove', keys, names });
  }

  private removeDemo(): void {
    const a = this.analysis;
    if (a === null) return;
    const keys = a.fileKeys.filter((_, i) => a.fileDemo[i]);
    if (keys.length > 0) this.enqueue({ kind: 'remove-demo', keys });
  }

  applySettings(settings: Settings): void {
    this.enqueue({ kind: 'settings', settings });
  }

  importState(file: File): void {
    this.enqueue({ kind: 'import', file });
  }

  importAlerts(file: File): void {
    this.enqueue({ kind: 'import-alerts', file });
  }

  resetState(): void {
    this.enqueue({ kind: 'reset' });
  }

  /** Stops the run in progress and drops the ones waiting; files already added stay. */
  cancel(): void {
    this.queue.length = 0;
    this.queued = 0;
    this.demoPending = false;
    if (this.running) void this.worker.cancel();
  }

  statusOf(id: string): TriageStatus {
    return this.triage[id]?.status ?? 'new';
  }

  async setTriage(id: string, status: TriageStatus, note: string): Promise<void> {
    this.cancelNoteTimer(id);
    try {
      const saved = await this.worker.setTriage(id, status, note);
      this.triage = { ...this.triage, [id]: saved };
      this.triageError = null;
      this.settled(id, { status, note });
    } catch (e) {
      this.triageError = triageNotSaved(errorMessage(e));
    }
  }

  /**
   * A triage edit as it is typed: kept at once in localStorage (a reload or a
   * closed tab keeps it) and saved by the worker NOTE_DELAY_MS after the
   * last keystroke, or at once by `flushTriage`.
   */
  editTriage(id: string, status: TriageStatus, note: string): void {
    this.unsaved = { ...this.unsaved, [id]: { status, note } };
    if (this.keepsDrafts()) saveDraft(id, { status, note });
    this.cancelNoteTimer(id);
    this.noteTimers.set(
      id,
      setTimeout(() => void this.flushTriage(id), NOTE_DELAY_MS),
    );
  }

  /** Saves an alert's unsaved edit now (the field was left, the drawer closed, another alert opened). */
  async flushTriage(id: string): Promise<void> {
    this.cancelNoteTimer(id);
    const edit = this.unsaved[id];
    if (edit === undefined) return;
    const stored = this.triage[id];
    if ((stored?.status ?? 'new') === edit.status && (stored?.note ?? '') === edit.note) {
      this.settled(id, edit);
      return;
    }
    await this.setTriage(id, edit.status, edit.note);
  }

  /** Every unsaved edit, now (the page is being hidden or closed). */
  flushAllTriage(): void {
    for (const id of Object.keys(this.unsaved)) void this.flushTriage(id);
  }

  /** Bulk triage: a status for every alert given, and a line added to each note when one is given. */
  async triageMany(ids: readonly string[], status: TriageStatus, addNote: string): Promise<void> {
    const line = addNote.trim();
    const changes: TriageChange[] = ids.map((id) => {
      const note = this.unsaved[id]?.note ?? this.triage[id]?.note ?? '';
      return { id, status, note: line === '' ? note : note === '' ? line : `${note}\n${line}` };
    });
    try {
      const saved = await this.worker.setTriageMany(changes);
      this.triage = { ...this.triage, ...saved };
      for (const c of changes) this.settled(c.id, c);
      this.triageError = null;
      this.notices = [bulkTriageText(changes.length, status, line !== '')];
    } catch (e) {
      this.notices = [bulkTriageFailed(errorMessage(e))];
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

  /** Drafts go to localStorage only for the stored history (a separate session keeps nothing, and shares the origin's storage). */
  private keepsDrafts(): boolean {
    return !this.separate && this.storage?.mode === 'indexeddb';
  }

  /** Edits typed before a reload or a closed tab that the worker had not saved: saved now. */
  private async restoreDrafts(): Promise<void> {
    if (!this.keepsDrafts()) return;
    for (const [id, d] of Object.entries(readDrafts())) {
      const stored = this.triage[id];
      if ((stored?.status ?? 'new') === d.status && (stored?.note ?? '') === d.note) clearDraft(id, d);
      else await this.setTriage(id, d.status, d.note);
    }
  }

  searchAlerts(generation: number, text: string): Promise<number[] | null> {
    return this.worker.searchAlerts(generation, text);
  }

  hostActivity(index: number, spanMs: number): Promise<HostActivity | null> {
    const analysis = this.analysis;
    return analysis === null ? Promise.resolve(null) : this.worker.hostActivity(analysis.generation, index, spanMs);
  }

  async openDetail(index: number): Promise<void> {
    const analysis = this.analysis;
    if (analysis === null) return;
    this.selected = index;
    this.detailError = null;
    this.triageError = null;
    if (this.detail?.alert.index !== index) this.detail = null;
    try {
      const detail = await this.worker.detail(analysis.generation, index);
      if (this.selected !== index) return;
      this.detail = detail;
      if (detail === null) this.detailError = ALERT_GONE;
    } catch (e) {
      if (this.selected === index) this.detailError = errorMessage(e);
    }
  }

  closeDetail(): void {
    this.selected = null;
    this.detail = null;
    this.detailError = null;
  }

  /** `order`: the alerts shown (indexes), in the table's order. */
  exportJsonLines(order: number[]): Promise<void> {
    return this.export((gen) => this.worker.exportJsonLines(gen, order));
  }

  exportCsv(order: number[]): Promise<void> {
    return this.export((gen) => this.worker.exportCsv(gen, order));
  }

  async exportState(): Promise<void> {
    try {
      const made = await this.worker.exportState();
      saveBlob(made.blob, made.fileName);
    } catch (e) {
      this.notices = [exportFailed(errorMessage(e))];
    }
  }

  private async export(make: (generation: number) => Promise<Export | null>): Promise<void> {
    const analysis = this.analysis;
    if (analysis === null) return;
    try {
      const made = await make(analysis.generation);
      if (made === null) throw new Error(RESULTS_CHANGED);
      saveBlob(made.blob, made.fileName);
    } catch (e) {
      this.notices = [exportFailed(errorMessage(e))];
    }
  }

  private enqueue(job: Job): void {
    this.queue.push(job);
    this.queued = this.queue.filter((j) => j.kind !== 'open').length;
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (let job = this.queue.shift(); job !== undefined; job = this.queue.shift()) {
        this.queued = this.queue.length;
        if (job.kind === 'open') await this.open();
        else await this.runJob(job);
      }
    } finally {
      this.pumping = false;
    }
  }

  /** Opens what the browser has stored (or learns there is no storage), before any run. */
  private async open(): Promise<void> {
    try {
      const opened = await this.worker.open();
      this.storage = opened.storage;
      this.settings = opened.analysis.settings;
      this.show(opened.analysis);
      this.notices = opened.notices.map(noticeText);
      // Not waited for: runs need not wait for the page's own connection.
      if (opened.storage.mode === 'indexeddb') {
        void watchStorage({ triage: (t) => (this.triage = t), coverage: (c) => (this.liveCoverage = c) });
      }
      await this.restoreDrafts();
    } catch (e) {
      this.storage = { mode: 'memory', cause: 'unreadable', reason: errorMessage(e) };
    }
    void this.estimate.refresh();
  }

  private show(analysis: Analysis): void {
    if (this.analysis?.generation !== analysis.generation) this.closeDetail();
    this.analysis = analysis;
    this.settings = analysis.settings;
    this.triage = analysis.triage;
  }

  private async runJob(job: Exclude<Job, { kind: 'open' }>): Promise<void> {
    if (job.kind === 'demo') {
      // Decided here, once the stored history is open (`?demo` asks before it is).
      const a = this.analysis;
      if (a?.demoForm === job.form && a.realFiles === 0) {
        this.demoPending = false;
        this.notices = [DEMO_ALREADY_STORED];
        return;
      }
      if (a !== null && (a.realFiles > 0 || a.demoForm !== null)) {
        this.demoPending = false;
        this.choice = { kind: 'demo', form: job.form, over: a.realFiles > 0 ? 'real' : 'other-demo' };
        return;
      }
    }
    const started = performance.now();
    const onProgress = Comlink.proxy((p: RunProgress) => {
      if (this.running) this.progress = p;
    });
    let asked: RunAsked = { kind: 'reset' };
    let newFiles: File[] = [];
    let outcome: RunOutcome;

    this.running = true;
    this.progress = null;
    this.notices = [];
    try {
      if (job.kind === 'files') {
        newFiles = this.unseen(job.files);
        asked = { kind: 'files', names: newFiles.map((f) => f.name) };
        outcome = await this.worker.addFiles(newFiles, onProgress);
      } else if (job.kind === 'demo') {
        asked = { kind: 'demo', form: job.form };
        outcome = await this.worker.addDemo(job.form, onProgress);
      } else if (job.kind === 'remove' || job.kind === 'remove-demo') {
        asked = job.kind === 'remove' ? { kind: 'remove', names: job.names } : { kind: 'remove-demo' };
        outcome = await this.worker.removeFiles(job.keys);
      } else if (job.kind === 'settings') {
        const reread = needsReread(this.settings, job.settings);
        asked = { kind: 'settings', reread };
        outcome = reread ? await this.worker.rebuild(job.settings, onProgress) : await this.worker.reanalyse(job.settings);
      } else if (job.kind === 'import') {
        asked = { kind: 'import', file: job.file.name };
        outcome = await this.worker.importState(job.file);
      } else if (job.kind === 'import-alerts') {
        asked = { kind: 'import-alerts', file: job.file.name };
        outcome = await this.worker.importAlerts(job.file);
      } else {
        asked = { kind: 'reset' };
        outcome = await this.worker.reset();
      }
    } catch (e) {
      this.lastRun = {
        outcome: 'failed',
        what: runWhat(asked),
        ms: performance.now() - started,
        error: errorMessage(e),
        kept: false,
      };
      return;
    } finally {
      this.running = false;
      if (job.kind === 'demo') this.demoPending = false;
    }

    const ms = performance.now() - started;
    let what = runWhat(asked);
    const notices = outcome.status === 'done' || outcome.status === 'cancelled' ? outcome.notices.map(noticeText) : [];
    const repeated = duplicatesText(duplicatesOf(outcome));
    if (repeated !== null) notices.unshift(repeated);
    if (notices.length > 0) this.notices = [...this.notices, ...notices];
    if ((outcome.status === 'done' || outcome.status === 'cancelled') && outcome.analysis !== null) this.show(outcome.analysis);
    if (job.kind === 'files' && outcome.status === 'done') for (const f of newFiles) this.fileKeys.add(fileKey(f));
    // Files taken out may be dropped again: the worker knows repeats by content, so the tab's shortcut starts afresh.
    const replaced = job.kind === 'import' || job.kind === 'reset' || job.kind === 'remove' || job.kind === 'remove-demo';
    if (replaced && outcome.status === 'done') this.fileKeys.clear();

    if (outcome.status === 'done') {
      const askedFiles = job.kind === 'files' ? newFiles.length : job.kind === 'demo' ? 1 : 0;
      const added = outcome.files?.added ?? 0;
      const problem = readProblemText(outcome.files?.notRead.length ?? 0, outcome.files?.duplicates.length ?? 0);
      if ((job.kind === 'files' || job.kind === 'demo') && askedFiles > 0 && added === 0) {
        this.lastRun = this.lastDone = { outcome: 'nothing', what: nothingAddedWhat(problem), ms, error: null, kept: false };
      } else {
        if (job.kind === 'files' && added < newFiles.length) what = partlyReadWhat(added, newFiles.length);
        this.lastRun = this.lastDone = { outcome: 'done', what, ms, error: null, kept: false, problem };
      }
      this.completedRuns++;
      if (job.kind === 'files' || job.kind === 'demo' || job.kind === 'import') void this.estimate.requestPersistence();
    } else if (outcome.status === 'cancelled') {
      this.lastRun = { outcome: 'cancelled', what, ms, error: null, kept: outcome.analysis !== null };
    } else {
      const error = outcome.status === 'stopped' ? notSavedText(outcome.notSaved) : refusalText(outcome.refusal);
      this.lastRun = { outcome: outcome.status, what, ms, error, kept: false };
    }
    void this.estimate.refresh();
  }

  /** Leaves the page: edits not yet saved are kept as drafts already; the worker is asked to save them too. */
  pageHidden(): void {
    this.flushAllTriage();
  }

  /** Files not read before in this tab (and not twice in this drop); says which were left out. */
  private unseen(files: readonly File[]): File[] {
    const keys = new Set(this.fileKeys);
    const out: File[] = [];
    const again: string[] = [];
    for (const f of files) {
      const key = fileKey(f);
      if (keys.has(key)) {
        again.push(f.name);
      } else {
        keys.add(key);
        out.push(f);
      }
    }
    if (again.length) this.notices = [alreadyLoadedText(again)];
    return out;
  }
}

/** `?memory` (with `?demo`): a separate session that never opens the stored history (the demo beside real logs). */
export const session = new Session(new URLSearchParams(location.search).has('memory'));

/** Files of a run whose content was already added, whatever became of the run. */
function duplicatesOf(outcome: RunOutcome): Duplicate[] {
  if (outcome.status === 'stopped') return outcome.duplicates;
  if (outcome.status === 'refused') return [];
  return outcome.files?.duplicates ?? [];
}
