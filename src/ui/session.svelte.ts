import * as Comlink from 'comlink';
import { defaultSettings, type Settings } from '../core/settings';
import type { Triage, TriageStatus } from '../core/state';
import type { AlertDetail, Analysis, Coverage, Export, RunOutcome, RunProgress, StorageStatus } from '../worker/api';
import { saveBlob } from './download';
import { startIngestWorker, type IngestClient } from './ingestClient';
import { watchStorage } from './liveStorage';
import { StorageEstimate } from './storageEstimate.svelte';

/** What the page asked for; runs go to the worker one at a time, in order. */
type Job =
  | { kind: 'open' }
  | { kind: 'files'; files: File[] }
  | { kind: 'demo' }
  | { kind: 'settings'; settings: Settings }
  | { kind: 'import'; file: File }
  | { kind: 'import-alerts'; file: File }
  | { kind: 'reset' };

export interface RunNote {
  /** `stopped`: a file could not be added, those before it were; `refused`: nothing was changed. */
  outcome: 'done' | 'cancelled' | 'failed' | 'stopped' | 'refused';
  /** What the run did, in words. */
  what: string;
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

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
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

  constructor() {
    this.worker = startIngestWorker((m) => (this.fatal = m));
    this.enqueue({ kind: 'open' });
  }

  addFiles(files: readonly File[]): void {
    if (files.length === 0) return;
    this.enqueue({ kind: 'files', files: [...files] });
  }

  loadDemo(): void {
    if (this.analysis?.demoLoaded || this.demoPending) return;
    this.demoPending = true;
    this.enqueue({ kind: 'demo' });
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
    try {
      const saved = await this.worker.setTriage(id, status, note);
      this.triage = { ...this.triage, [id]: saved };
      this.triageError = null;
    } catch (e) {
      this.triageError = `Not saved: ${message(e)}`;
    }
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
      if (this.selected === index) this.detailError = message(e);
    }
  }

  closeDetail(): void {
    this.selected = null;
    this.detail = null;
    this.detailError = null;
  }

  /** `statuses`: only alerts with these triage statuses (all when empty). */
  exportJsonLines(statuses: TriageStatus[] = []): Promise<void> {
    return this.export((gen) => this.worker.exportJsonLines(gen, statuses));
  }

  exportCsv(statuses: TriageStatus[] = []): Promise<void> {
    return this.export((gen) => this.worker.exportCsv(gen, statuses));
  }

  async exportState(): Promise<void> {
    try {
      const made = await this.worker.exportState();
      saveBlob(made.blob, made.fileName);
    } catch (e) {
      this.notices = [`Export failed: ${message(e)}`];
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
      this.notices = [`Export failed: ${message(e)}`];
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
    } catch (e) {
      this.storage = { mode: 'memory', problem: `the stored history could not be opened: ${message(e)}` };
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
    // Asked for (`?demo`) before the stored history was open, which already holds it.
    if (job.kind === 'demo' && this.analysis?.demoLoaded) {
      this.demoPending = false;
      this.notices = ['The demo data is already in the stored baseline.'];
      return;
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
        what = 'loaded the demo data';
        outcome = await this.worker.addDemo(onProgress);
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
      this.lastRun = { outcome: 'failed', what, ms: performance.now() - started, error: message(e), kept: false };
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
    if ((job.kind === 'import' || job.kind === 'reset') && outcome.status === 'done') this.fileKeys.clear();

    if (outcome.status === 'done') {
      this.lastRun = this.lastDone = { outcome: 'done', what, ms, error: null, kept: false };
      this.completedRuns++;
      if (job.kind === 'files' || job.kind === 'demo' || job.kind === 'import') void this.estimate.requestPersistence();
    } else {
      this.lastRun = { outcome: outcome.status, what, ms, error: outcome.message, kept: outcome.analysis !== null };
    }
    void this.estimate.refresh();
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

export const session = new Session();
