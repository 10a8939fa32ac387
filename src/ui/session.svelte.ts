import * as Comlink from 'comlink';
import { errorMessage } from '../core/errorMessage';
import { defaultSettings, type Settings } from '../core/settings';
import type { Triage, TriageStatus } from '../core/state';
import type {
  AlertDetail, Analysis, Coverage, DemoForm, Export, HostActivity, RunOutcome, RunProgress, StorageStatus, TriageChange,
} from '../worker/api';
import { saveBlob } from './download';
import { startIngestWorker, type IngestClient } from './ingestClient';
import { watchStorage } from './liveStorage';
import { clearDraft, readDrafts, saveDraft } from './noteDrafts';
import { StorageEstimate } from './storageEstimate.svelte';

/** What the page asked for; runs go to the worker one at a time, in order. */
type Job =
  | { kind: 'open' }
  | { kind: 'files'; files: File[] }
  | { kind: 'demo'; form: DemoForm }
  | { kind: 'remove'; keys: string[]; what: string }
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
export type Choice =
  | { kind: 'demo'; form: DemoForm; over: 'real' | 'other-demo' }
  | { kind: 'drop'; files: File[] };

/** The demo's forms as buttons and messages name them. */
export const DEMO_NAMES: Readonly<Record<DemoForm, string>> = {
  panos: 'PAN-OS demo', zeek: 'Zeek sensor demo', 'zeek-json': 'Zeek JSON sensor demo', suricata: 'Suricata sensor demo',
};

/** A triage note is saved this long after the last keystroke (and at once on blur, close, switching alerts). */
export const NOTE_DELAY_MS = 400;

/** Settings that decide how rows are classified while reading; changing them means reading again. */
export function needsReread(a: Settings, b: Settings): boolean {
  const same = (x: string[], y: string[]): boolean => x.length === y.length && x.every((v, i) => v === y[i]);
  return (
    a.timeZone !== b.timeZone ||
    !same(a.textShareSites, b.textShareSites) ||
    !same(a.browserProcesses, b.browserProcesses) ||
    !same(a.appTokens, b.appTokens)
  );
}

function names(list: readonly string[]): string {
  return list.length <= 3 ? list.join(', ') : `${list.slice(0, 3).join(', ')} and ${list.length - 3} more`;
}

/**
 * The page's state: the runs, their progress, the current analysis, the
 * settings that made it, the triage and what storage holds. File contents
 * never come here: only File handles, passed to the worker.
 */
export class Session {
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

  /** Takes files out of the history by key (Analysis.fileKeys). */
  removeFiles(keys: string[], what: string): void {
    if (keys.length > 0) this.enqueue({ kind: 'remove', keys, what });
  }

  private removeDemo(): void {
    const a = this.analysis;
    if (a === null) return;
    const keys = a.fileKeys.filter((_, i) => a.fileDemo[i]);
    if (keys.length > 0) this.enqueue({ kind: 'remove', keys, what: 'removed the demo data' });
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
      this.triageError = `Not saved: ${errorMessage(e)}`;
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
    this.noteTimers.set(id, setTimeout(() => void this.flushTriage(id), NOTE_DELAY_MS));
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
      this.notices = [`Set ${changes.length === 1 ? '1 alert' : `${changes.length} alerts`} to ${status}${line === '' ? '' : ' and added the note'}.`];
    } catch (e) {
      this.notices = [`Bulk triage not saved: ${errorMessage(e)}`];
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
      if (detail === null) this.detailError = 'This alert is no longer in the current results.';
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
      this.notices = [`Export failed: ${errorMessage(e)}`];
    }
  }

  private async export(make: (generation: number) => Promise<Export | null>): Promise<void> {
    const analysis = this.analysis;
    if (analysis === null) return;
    try {
      const made = await make(analysis.generation);
      if (made === null) throw new Error('the results changed while the export was made; try again');
      saveBlob(made.blob, made.fileName);
    } catch (e) {
      this.notices = [`Export failed: ${errorMessage(e)}`];
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
      this.notices = opened.notices;
      // Not waited for: runs need not wait for the page's own connection.
      if (opened.storage.mode === 'indexeddb') {
        void watchStorage({ triage: (t) => (this.triage = t), coverage: (c) => (this.liveCoverage = c) });
      }
      await this.restoreDrafts();
    } catch (e) {
      this.storage = { mode: 'memory', problem: `the stored history could not be opened: ${errorMessage(e)}` };
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
        this.notices = ['The demo data is already in the stored baseline.'];
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
    let what = '';
    let newFiles: File[] = [];
    let outcome: RunOutcome;

    this.running = true;
    this.progress = null;
    this.notices = [];
    try {
      if (job.kind === 'files') {
        newFiles = this.unseen(job.files);
        what = newFiles.length === 0 ? 'found nothing new to read' : `read ${newFiles.length === 1 ? newFiles[0].name : `${newFiles.length} files`}`;
        outcome = await this.worker.addFiles(newFiles, onProgress);
      } else if (job.kind === 'demo') {
        what = `loaded the ${DEMO_NAMES[job.form]}`;
        outcome = await this.worker.addDemo(job.form, onProgress);
      } else if (job.kind === 'remove') {
        what = job.what;
        outcome = await this.worker.removeFiles(job.keys);
      } else if (job.kind === 'settings') {
        const reread = needsReread(this.settings, job.settings);
        what = reread ? 'applied the settings and read everything again' : 'applied the settings';
        outcome = reread ? await this.worker.rebuild(job.settings, onProgress) : await this.worker.reanalyse(job.settings);
      } else if (job.kind === 'import') {
        what = `imported ${job.file.name}`;
        outcome = await this.worker.importState(job.file);
      } else if (job.kind === 'import-alerts') {
        what = `imported the alerts of ${job.file.name}`;
        outcome = await this.worker.importAlerts(job.file);
      } else {
        what = 'deleted the stored history';
        outcome = await this.worker.reset();
      }
    } catch (e) {
      this.lastRun = { outcome: 'failed', what, ms: performance.now() - started, error: errorMessage(e), kept: false };
      return;
    } finally {
      this.running = false;
      if (job.kind === 'demo') this.demoPending = false;
    }

    const ms = performance.now() - started;
    const notices = [...outcome.notices];
    if (outcome.duplicates.length > 0) {
      const list = outcome.duplicates.map((d) => (d.name === d.of ? d.name : `${d.name} (same content as ${d.of})`));
      notices.unshift(`Already in the baseline, so nothing was added from: ${names(list)}.`);
    }
    if (notices.length > 0) this.notices = [...this.notices, ...notices];
    if (outcome.analysis !== null) this.show(outcome.analysis);
    if (job.kind === 'files' && outcome.status === 'done') for (const f of newFiles) this.fileKeys.add(fileKey(f));
    // Files taken out may be dropped again: the worker knows repeats by content, so the tab's shortcut starts afresh.
    if ((job.kind === 'import' || job.kind === 'reset' || job.kind === 'remove') && outcome.status === 'done') this.fileKeys.clear();

    if (outcome.status === 'done') {
      const asked = job.kind === 'files' ? newFiles.length : job.kind === 'demo' ? 1 : 0;
      const added = outcome.added ?? 0;
      const notRead = outcome.notRead ?? [];
      const problem = readProblem(notRead.length, outcome.duplicates.length);
      if ((job.kind === 'files' || job.kind === 'demo') && asked > 0 && added === 0) {
        this.lastRun = this.lastDone = { outcome: 'nothing', what: `nothing was added: ${problem ?? 'no file held anything to add'}`, ms, error: null, kept: false };
      } else {
        if (job.kind === 'files' && added < newFiles.length) what = `read ${added} of ${newFiles.length} files`;
        this.lastRun = this.lastDone = { outcome: 'done', what, ms, error: null, kept: false, problem };
      }
      this.completedRuns++;
      if (job.kind === 'files' || job.kind === 'demo' || job.kind === 'import') void this.estimate.requestPersistence();
    } else {
      this.lastRun = { outcome: outcome.status, what, ms, error: outcome.message, kept: outcome.analysis !== null };
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
    if (again.length) this.notices = [`Already loaded, not read again: ${names(again)}.`];
    return out;
  }
}

/** `?memory` (with `?demo`): a separate session that never opens the stored history (the demo beside real logs). */
export const session = new Session(new URLSearchParams(location.search).has('memory'));

/** Files of a run that added nothing, or less than asked, in words; null when all went in. */
function readProblem(notRead: number, repeats: number): string | null {
  const parts: string[] = [];
  if (notRead > 0) parts.push(`${notRead === 1 ? '1 file was' : `${notRead} files were`} not read (see above)`);
  if (repeats > 0) parts.push(`${repeats === 1 ? '1 file is' : `${repeats} files are`} already in the baseline`);
  return parts.length === 0 ? null : parts.join('; ');
}
