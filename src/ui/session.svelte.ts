import * as Comlink from 'comlink';
import { defaultSettings, type Settings } from '../core/settings';
import type { AlertDetail, Analysis, Export, RunOutcome, RunProgress } from '../worker/api';
import { saveBlob } from './download';
import { startIngestWorker, type IngestClient } from './ingestClient';

/** What the page asked for; runs go to the worker one at a time, in order. */
type Job =
  | { kind: 'files'; files: File[] }
  | { kind: 'demo' }
  | { kind: 'settings'; settings: Settings };

export interface RunNote {
  outcome: 'done' | 'cancelled' | 'failed';
  /** What the run did, in words. */
  what: string;
  ms: number;
  /** For a failed run, why. */
  error: string | null;
}

/** Same name, size and modification time: the same file dropped again, not read twice. */
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

/**
 * The page's state: the runs, their progress, the current analysis and the
 * settings that made it. File contents never come here: only File handles,
 * kept so that new classification settings can have the worker read them again.
 */
export class Session {
  running = $state(false);
  progress = $state.raw<RunProgress | null>(null);
  analysis = $state.raw<Analysis | null>(null);
  /** The settings of the current analysis. */
  settings = $state.raw<Settings>(defaultSettings());
  /** Bumped when a run completes; the `data-run` of the ingest-done hook. */
  completedRuns = $state(0);
  lastRun = $state.raw<RunNote | null>(null);
  /** The last run that completed: what the page shows now. */
  lastDone = $state.raw<RunNote | null>(null);
  /** Things to tell the user about the last request (files skipped as already loaded). */
  notices = $state.raw<string[]>([]);
  fatal = $state<string | null>(null);
  /** Files read into the history (failed ones included), for reading again. */
  files = $state.raw<File[]>([]);
  queued = $state(0);
  /** The demo is waiting or being read: asking again does nothing. */
  demoPending = $state(false);

  selected = $state<number | null>(null);
  detail = $state.raw<AlertDetail | null>(null);
  detailError = $state<string | null>(null);

  private readonly worker: IngestClient;
  private readonly fileKeys = new Set<string>();
  private readonly queue: Job[] = [];
  private pumping = false;

  constructor() {
    this.worker = startIngestWorker((m) => (this.fatal = m));
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

  /** Stops the run in progress and drops the ones waiting; the history stays as it was. */
  cancel(): void {
    this.queue.length = 0;
    this.queued = 0;
    this.demoPending = false;
    if (this.running) void this.worker.cancel();
  }

  async openDetail(index: number): Promise<void> {
    const analysis = this.analysis;
    if (analysis === null) return;
    this.selected = index;
    this.detailError = null;
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

  exportJsonLines(): Promise<void> {
    return this.export((gen) => this.worker.exportJsonLines(gen));
  }

  exportCsv(): Promise<void> {
    return this.export((gen) => this.worker.exportCsv(gen));
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
    this.queued = this.queue.length;
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (let job = this.queue.shift(); job !== undefined; job = this.queue.shift()) {
        this.queued = this.queue.length;
        await this.runJob(job);
      }
    } finally {
      this.pumping = false;
    }
  }

  private async runJob(job: Job): Promise<void> {
    const started = performance.now();
    const onProgress = Comlink.proxy((p: RunProgress) => {
      if (this.running) this.progress = p;
    });
    let what = '';
    let newFiles: File[] = [];
    let settings = this.settings;
    let outcome: RunOutcome;

    this.running = true;
    this.progress = null;
    this.notices = [];
    try {
      if (job.kind === 'files') {
        newFiles = this.unseen(job.files);
        what = newFiles.length === 0 ? 'found nothing new to read' : `read ${newFiles.length === 1 ? newFiles[0].name : `${newFiles.length} files`}`;
        outcome = await this.worker.addFiles(newFiles, settings, onProgress);
      } else if (job.kind === 'demo') {
        what = 'loaded the demo data';
        outcome = await this.worker.addDemo(settings, onProgress);
      } else {
        settings = job.settings;
        const reread = needsReread(this.settings, settings);
        what = reread ? 'applied the settings and read everything again' : 'applied the settings';
        outcome = reread
          ? await this.worker.rebuild(this.files, this.analysis?.demoLoaded ?? false, settings, onProgress)
          : await this.worker.reanalyse(settings);
      }
    } catch (e) {
      this.lastRun = { outcome: 'failed', what, ms: performance.now() - started, error: message(e) };
      return;
    } finally {
      this.running = false;
      if (job.kind === 'demo') this.demoPending = false;
    }

    if (outcome.status === 'cancelled') {
      this.lastRun = { outcome: 'cancelled', what, ms: performance.now() - started, error: null };
      return;
    }
    for (const f of newFiles) this.fileKeys.add(fileKey(f));
    if (newFiles.length) this.files = [...this.files, ...newFiles];
    this.settings = settings;
    if (this.analysis?.generation !== outcome.analysis.generation) this.closeDetail();
    this.analysis = outcome.analysis;
    this.lastRun = this.lastDone = { outcome: 'done', what, ms: performance.now() - started, error: null };
    this.completedRuns++;
  }

  /** Files not read before (and not twice in this drop); says which were left out. */
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
    if (again.length) {
      const names = again.length <= 3 ? again.join(', ') : `${again.slice(0, 3).join(', ')} and ${again.length - 3} more`;
      this.notices = [`Already loaded, not read again: ${names}.`];
    }
    return out;
  }
}

export const session = new Session();
