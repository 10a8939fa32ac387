import { errorMessage } from '../core/util/errorMessage';
import { defaultSettings, type Settings, type Suppression } from '../core/settings/settings';
import type { Analysis, DemoForm, Export, HostActivity, Opened, SuppressedAlert } from '../worker/api';
import { saveBlob } from './download';
import { startIngestWorker, type IngestClient } from './ingestClient';
import { watchStorage } from './liveStorage';
import { exportFailed, noticeText, RESULTS_CHANGED } from './messages';
import { OpenAlert } from './openAlert.svelte';
import { Runs } from './runs.svelte';
import { StoredHistory } from './storedHistory.svelte';
import { TriageEdits } from './triageEdits.svelte';

export type { Choice, RunNote } from './runs.svelte';

/**
 * The page's state, by owner: `runs` (what was asked and how it went),
 * `history` (the stored history and its analysis), `triage` (saved and
 * unsaved triage) and `open` (the alert in the detail panel). This class
 * wires them to one worker and holds the requests that span them. File
 * contents never come here: only File handles, passed to the worker.
 */
class Session {
  fatal = $state<string | null>(null);
  readonly history = new StoredHistory();
  readonly runs: Runs;
  readonly triage: TriageEdits;
  readonly open: OpenAlert;
  private readonly worker: IngestClient;

  /** `separate`: a session of its own in memory (the demo opened beside a stored history), which never touches storage. */
  constructor(readonly separate = false) {
    this.worker = startIngestWorker((m) => (this.fatal = m), { memoryOnly: separate });
    this.triage = new TriageEdits(
      this.worker,
      // Drafts go to localStorage only for the stored history (a separate session keeps nothing, and shares the origin's storage).
      () => !this.separate && this.history.storage?.mode === 'indexeddb',
      (text) => this.runs.say(text),
    );
    this.open = new OpenAlert(this.worker);
    this.runs = new Runs(this.worker, this.history, {
      opened: (opened) => this.opened(opened),
      show: (analysis) => this.show(analysis),
    });
    this.runs.enqueue({ kind: 'open' });
  }

  /** Adds files; onto a history that holds the demo, asks first (`ask` false: asked already). */
  addFiles(files: readonly File[], ask = true): void {
    if (files.length === 0) return;
    if (ask && (this.history.analysis?.demoForm ?? null) !== null) {
      this.runs.choice = { kind: 'drop', files: [...files] };
      return;
    }
    this.runs.enqueue({ kind: 'files', files: [...files] });
  }

  /**
   * Loads the demo in a form; into a history of real logs, or of the demo in
   * another form, asks first (the question is decided once the stored history
   * is open, so `?demo` asks too).
   */
  loadDemo(form: DemoForm = 'panos'): void {
    if (this.runs.demoPending) return;
    this.runs.demoPending = true;
    this.runs.enqueue({ kind: 'demo', form });
  }

  /** The answers to a Choice. */
  clearDemoThenAdd(files: File[]): void {
    this.runs.choice = null;
    this.removeDemo();
    this.runs.enqueue({ kind: 'files', files });
  }

  replaceDemo(form: DemoForm): void {
    this.runs.choice = null;
    this.removeDemo();
    this.runs.demoPending = true;
    this.runs.enqueue({ kind: 'demo', form });
  }

  dismissChoice(): void {
    this.runs.choice = null;
  }

  /** Takes files out of the history by key (Analysis.fileKeys); `names` are theirs, for the words. */
  removeFiles(keys: string[], names: string[]): void {
    if (keys.length > 0) this.runs.enqueue({ kind: 'remove', keys, names });
  }

  private removeDemo(): void {
    const a = this.history.analysis;
    if (a === null) return;
    const keys = a.fileKeys.filter((_, i) => a.fileDemo[i]);
    if (keys.length > 0) this.runs.enqueue({ kind: 'remove-demo', keys });
  }

  applySettings(settings: Settings): void {
    this.runs.enqueue({ kind: 'settings', settings });
  }

  /** Back to the default settings; the suppression list is kept: it is the analysts' record, not a tuning knob. */
  resetSettings(): void {
    this.applySettings({ ...defaultSettings(), suppress: this.history.settings.suppress });
  }

  addSuppression(entry: Suppression): void {
    const s = this.history.settings;
    this.applySettings({ ...s, suppress: [...s.suppress, entry] });
  }

  /** Takes out the suppression entry at `index` of the settings in force. */
  removeSuppression(index: number): void {
    const s = this.history.settings;
    this.applySettings({ ...s, suppress: s.suppress.filter((_, i) => i !== index) });
  }

  /** The alerts shown now that `entry` would hide; null when the results changed meanwhile. */
  suppressionPreview(entry: Suppression): Promise<SuppressedAlert[] | null> {
    const analysis = this.history.analysis;
    return analysis === null ? Promise.resolve([]) : this.worker.suppressionPreview(analysis.generation, entry);
  }

  /** What each suppression entry hides now, in the list's order; null when the results changed meanwhile. */
  suppressedAlerts(): Promise<SuppressedAlert[][] | null> {
    const analysis = this.history.analysis;
    return analysis === null ? Promise.resolve([]) : this.worker.suppressedAlerts(analysis.generation);
  }

  importState(file: File): void {
    this.runs.enqueue({ kind: 'import', file });
  }

  importAlerts(file: File): void {
    this.runs.enqueue({ kind: 'import-alerts', file });
  }

  resetState(): void {
    this.runs.enqueue({ kind: 'reset' });
  }

  searchAlerts(generation: number, text: string): Promise<number[] | null> {
    return this.worker.searchAlerts(generation, text);
  }

  hostActivity(index: number, spanMs: number): Promise<HostActivity | null> {
    const analysis = this.history.analysis;
    return analysis === null ? Promise.resolve(null) : this.worker.hostActivity(analysis.generation, index, spanMs);
  }

  async openDetail(index: number): Promise<void> {
    const analysis = this.history.analysis;
    if (analysis === null) return;
    this.triage.error = null;
    await this.open.open(analysis.generation, index);
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
      this.runs.say(exportFailed(errorMessage(e)));
    }
  }

  private async export(make: (generation: number) => Promise<Export | null>): Promise<void> {
    const analysis = this.history.analysis;
    if (analysis === null) return;
    try {
      const made = await make(analysis.generation);
      if (made === null) throw new Error(RESULTS_CHANGED);
      saveBlob(made.blob, made.fileName);
    } catch (e) {
      this.runs.say(exportFailed(errorMessage(e)));
    }
  }

  /** Leaves the page: edits not yet saved are kept as drafts already; the worker is asked to save them too. */
  pageHidden(): void {
    this.triage.flushAll();
  }

  private async opened(opened: Opened): Promise<void> {
    this.history.storage = opened.storage;
    this.show(opened.analysis);
    this.runs.notices = opened.notices.map(noticeText);
    // Not waited for: runs need not wait for the page's own connection.
    if (opened.storage.mode === 'indexeddb')
      void watchStorage({
        triage: (t) => (this.triage.saved = t),
        ...this.runs.others.listener(() => this.history.analysis),
      });
    await this.triage.restoreDrafts();
  }

  private show(analysis: Analysis): void {
    if (this.history.analysis?.generation !== analysis.generation) this.open.close();
    this.history.show(analysis);
    this.triage.saved = analysis.triage;
  }
}

/** `?memory` (with `?demo`): a separate session that never opens the stored history (the demo beside real logs). */
export const session = new Session(new URLSearchParams(location.search).has('memory'));
