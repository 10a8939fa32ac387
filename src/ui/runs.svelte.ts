import * as Comlink from 'comlink';
import { errorMessage } from '../core/util/errorMessage';
import type { Settings } from '../core/settings/settings';
import type { Analysis, DemoForm, Duplicate, InterruptedWork, Opened, RunOutcome, RunProgress } from '../worker/api';
import type { IngestClient } from './ingestClient';
import {
  alreadyLoadedText,
  DEMO_ALREADY_STORED,
  duplicatesText,
  noticeText,
  nothingAddedWhat,
  notSavedText,
  partlyReadWhat,
  readProblemText,
  refusalText,
  runWhat,
  type RunAsked,
} from './messages';
import { needsReread } from './settingsChange';
import type { StoredHistory } from './storedHistory.svelte';
import { OtherTabs } from './otherTabs.svelte';

/** What the page asked for; runs go to the worker one at a time, in order. */
export type Job =
  | { kind: 'open' }
  | { kind: 'files'; files: File[] }
  | { kind: 'demo'; form: DemoForm }
  | { kind: 'remove'; keys: string[]; names: string[] }
  | { kind: 'remove-demo'; keys: string[] }
  | { kind: 'settings'; settings: Settings }
  | { kind: 'import'; file: File }
  | { kind: 'import-alerts'; file: File }
  | { kind: 'reset' }
  | { kind: 'refresh' };

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

/** A question the page must ask before a run: the demo into a history of real logs, or real logs onto the demo. */
export type Choice = { kind: 'demo'; form: DemoForm; over: 'real' | 'other-demo' } | { kind: 'drop'; files: File[] };

/** Same name, size and modification time: the same file dropped again in this tab, not read twice. */
function fileKey(f: File): string {
  return `${f.name}\u0000${f.size}\u0000${f.lastModified}`;
}

/** What the runs report to the rest of the page. */
export interface RunHooks {
  /** The stored history was opened. */
  opened(opened: Opened): Promise<void>;
  /** A run ended with this analysis of the history. */
  show(analysis: Analysis): void;
}

/**
 * The runs: the queue of what was asked, the one in progress and its
 * progress, how the last ones ended, and the words and questions they leave.
 */
export class Runs {
  running = $state(false);
  progress = $state.raw<RunProgress | null>(null);
  /** Bumped when a run completes; the `data-run` of the ingest-done hook. Opening the stored history is not a run. */
  completedRuns = $state(0);
  lastRun = $state.raw<RunNote | null>(null);
  /** The last run that completed: what the page shows now. */
  lastDone = $state.raw<RunNote | null>(null);
  /** Things to tell the user about the last request (files already added). */
  notices = $state.raw<string[]>([]);
  queued = $state(0);
  /** The demo is waiting or being read: asking again does nothing. */
  demoPending = $state(false);
  /** A question to ask before going on (App shows it); null when none. */
  choice = $state.raw<Choice | null>(null);
  /** Work cut off on an earlier visit (InterruptedNotice says so); null when none, or once dismissed. */
  interrupted = $state.raw<InterruptedWork | null>(null);
  /** What other tabs did to the stored history (otherTabs.svelte.ts). */
  readonly others = new OtherTabs(
    () => this.idle(),
    () => this.enqueue({ kind: 'refresh' }),
  );

  /** Files read in this tab, by fileKey: dropped again, they are not read twice. */
  private readonly fileKeys = new Set<string>();
  private readonly queue: Job[] = [];
  private pumping = false;

  constructor(
    private readonly worker: IngestClient,
    private readonly history: StoredHistory,
    private readonly hooks: RunHooks,
  ) {}

  say(text: string): void {
    this.notices = [text];
  }

  enqueue(job: Job): void {
    this.queue.push(job);
    this.queued = this.queue.filter((j) => j.kind !== 'open' && j.kind !== 'refresh').length;
    void this.pump();
  }

  /** Stops the run in progress and drops the ones waiting; files already added stay. */
  cancel(): void {
    this.queue.length = 0;
    this.queued = 0;
    this.demoPending = false;
    if (this.running) void this.worker.cancel();
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (let job = this.queue.shift(); job !== undefined; job = this.queue.shift()) {
        this.queued = this.queue.length;
        if (job.kind === 'open') await this.open();
        else if (job.kind === 'refresh')
          await this.others.refreshed(
            () => this.worker.refresh(),
            (a) => this.hooks.show(a),
          );
        else await this.run(job);
        this.others.check(this.history.analysis);
      }
    } finally {
      this.pumping = false;
    }
  }

  /** Nothing running and nothing waiting: a good time to catch up with another tab. */
  private idle(): boolean {
    return !this.running && this.queue.length === 0;
  }

  /** Opens what the browser has stored (or learns there is no storage), before any run. */
  private async open(): Promise<void> {
    try {
      const opened = await this.worker.open();
      this.interrupted = opened.interrupted;
      await this.hooks.opened(opened);
    } catch (e) {
      this.history.storage = { mode: 'memory', cause: 'unreadable', reason: errorMessage(e) };
    }
    void this.history.estimate.refresh();
  }

  /** Whether the demo should run now; else says why not or asks first. */
  private demoGoesAhead(form: DemoForm): boolean {
    // Decided here, once the stored history is open (`?demo` asks before it is).
    const a = this.history.analysis;
    if (a?.demoForm === form && a.realFiles === 0) {
      this.demoPending = false;
      this.notices = [DEMO_ALREADY_STORED];
      return false;
    }
    if (a !== null && (a.realFiles > 0 || a.demoForm !== null)) {
      this.demoPending = false;
      this.choice = { kind: 'demo', form, over: a.realFiles > 0 ? 'real' : 'other-demo' };
      return false;
    }
    return true;
  }

  private async run(job: Exclude<Job, { kind: 'open' } | { kind: 'refresh' }>): Promise<void> {
    if (job.kind === 'demo' && !this.demoGoesAhead(job.form)) return;
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
        outcome = await this.worker.removeFiles(job.keys, onProgress);
      } else if (job.kind === 'settings') {
        const reread = needsReread(this.history.settings, job.settings);
        asked = { kind: 'settings', reread };
        outcome = reread ? await this.worker.rebuild(job.settings, onProgress) : await this.worker.reanalyse(job.settings);
      } else if (job.kind === 'import') {
        asked = { kind: 'import', file: job.file.name };
        outcome = await this.worker.importState(job.file, onProgress);
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
    this.ended(job, asked, newFiles, outcome, performance.now() - started);
  }

  /** Shows what a run did: its analysis, its words, and the files it read for the tab's shortcut. */
  private ended(
    job: Exclude<Job, { kind: 'open' } | { kind: 'refresh' }>,
    asked: RunAsked,
    newFiles: File[],
    outcome: RunOutcome,
    ms: number,
  ): void {
    let what = runWhat(asked);
    const notices = outcome.status === 'done' || outcome.status === 'cancelled' ? outcome.notices.map(noticeText) : [];
    const repeated = duplicatesText(duplicatesOf(outcome));
    if (repeated !== null) notices.unshift(repeated);
    if (notices.length > 0) this.notices = [...this.notices, ...notices];
    if ((outcome.status === 'done' || outcome.status === 'cancelled') && outcome.analysis !== null)
      this.hooks.show(outcome.analysis);
    if (job.kind === 'files' && outcome.status === 'done')
      for (const f of remembered(newFiles, outcome)) this.fileKeys.add(fileKey(f));
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
      if (job.kind === 'files' || job.kind === 'demo' || this.interrupted?.kind === job.kind) this.interrupted = null;
      // Asked once real logs are stored: the demo can be made again, they cannot.
      if (outcome.analysis.realFiles > 0) void this.history.estimate.requestPersistence();
    } else if (outcome.status === 'cancelled') {
      this.lastRun = { outcome: 'cancelled', what, ms, error: null, kept: outcome.analysis !== null };
    } else {
      const error = outcome.status === 'stopped' ? notSavedText(outcome.notSaved) : refusalText(outcome.refusal);
      this.lastRun = { outcome: outcome.status, what, ms, error, kept: false };
    }
    void this.history.estimate.refresh();
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

/**
 * The files of a run to know again by name, size and time: those added or
 * already in the history. A file not read is not one of them, so dropping it
 * again reads it again (and says again why it is refused); a name the run
 * gave twice is left out when either was not read.
 */
function remembered(files: readonly File[], outcome: Extract<RunOutcome, { status: 'done' }>): File[] {
  const notRead = new Set((outcome.files?.notRead ?? []).map((f) => f.name));
  return files.filter((f) => !notRead.has(f.name));
}

/** Files of a run whose content was already added, whatever became of the run. */
function duplicatesOf(outcome: RunOutcome): Duplicate[] {
  if (outcome.status === 'stopped') return outcome.duplicates;
  if (outcome.status === 'refused') return [];
  return outcome.files?.duplicates ?? [];
}
