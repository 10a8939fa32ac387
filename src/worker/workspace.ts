import { AlertsImportError, parseAlertLines, type ImportedAlerts } from '../core/alertsImport';
import { compareAlerts, detect, type Detection } from '../core/detector';
import { IngestCancelled, type FileReport } from '../core/ingest';
import { toRecord } from '../core/record';
import { defaultSettings, resolveSettings, type Settings } from '../core/settings';
import { StateError, TRIAGE_STATUSES, type Triage, type TriageStatus } from '../core/state';
import type { StoredHistory } from '../db/loadHistory';
import { StorageProblem, storageProblem } from '../db/problems';
import type { AlertDetail, Analysis, Duplicate, Export, Opened, ProgressCallback, RunOutcome, StorageStatus } from './api';
import { nextTask } from './chunks';
import { EventBudgetExceeded, MAX_KEPT_EVENTS } from './eventBudget';
import { csvExport, jsonLinesExport } from './exports';
import { applyReading, emptyHistory, type History, type Reading } from './history';
import { demoInputs, fileInputs, type Input } from './inputs';
import { MemoryStore } from './memoryStore';
import { RunProgressReporter } from './progress';
import { readInput } from './readInput';
import { readStateFile, stateExport } from './stateFile';
import type { HistoryStore, StoreCommit } from './store';
import { applyJoins, joinReading, revertJoins } from './trafficJoin';
import { alertDetail, analysisView } from './views';

/** Longest note kept; a note is for the case file, not for pasting logs into. */
const MAX_NOTE_CHARS = 20_000;
/** Tries to save a file when another tab keeps writing in between. */
const COMMIT_ATTEMPTS = 3;

function plural(n: number, one: string, many = one + 's'): string {
  return `${n} ${n === 1 ? one : many}`;
}

function done(analysis: Analysis, extra: Partial<RunOutcome> = {}): RunOutcome {
  return { status: 'done', analysis, message: null, duplicates: [], notices: [], ...extra };
}

function refused(message: string): RunOutcome {
  return { status: 'refused', analysis: null, message, duplicates: [], notices: [] };
}

/** Files before the one past the budget were saved as each completed: the message says so. */
function budgetMessage(e: EventBudgetExceeded, added: number): string {
  if (added === 0) return e.message;
  const before = added === 1 ? 'The file before it in this drop was added' : `The ${added} files before it in this drop were added`;
  return `${before}; nothing of ${e.file} was kept. ${e.message}`;
}

/**
 * The worker's history and everything that can be done to it: files added
 * one by one, each saved in one transaction before it counts; detection run
 * again over all kept events at the end of each run (which is what gives the
 * answers of one batch, whatever the order and however many visits); triage;
 * the state file; reset. With no storage it does the same in memory.
 */
export class Workspace {
  eventBudget = MAX_KEPT_EVENTS;
  private store: HistoryStore = new MemoryStore('not opened yet');
  private history: History = emptyHistory();
  private settings: Settings = defaultSettings();
  private triage: Record<string, Triage> = {};
  /** Files of this visit that failed or repeated an added one: shown, never stored. */
  private notAdded: FileReport[] = [];
  /** Dropped files by content fingerprint: what lets the history be read again under new settings. */
  private readonly handles = new Map<string, File>();
  private current: { generation: number; detection: Detection; settings: Settings } | null = null;
  private generation = 0;
  private running: AbortController | null = null;
  private readonly ready: Promise<StorageStatus>;
  private startNotices: string[] = [];
  /**
   * Alerts detected elsewhere (an engine over more logs than a tab holds),
   * shown for triage in place of this history's own detection until the next
   * run. Held in memory only: after a reload the file is imported again, and
   * the triage given meanwhile (saved by alert id) comes back with it.
   */
  private imported: (ImportedAlerts & { source: string }) | null = null;

  constructor(openStore: () => Promise<HistoryStore>) {
    this.ready = this.start(openStore);
  }

  async open(): Promise<Opened> {
    const storage = await this.ready;
    const notices = this.startNotices;
    this.startNotices = [];
    return { storage, analysis: this.view(), notices };
  }

  addFiles(files: readonly File[], onProgress: ProgressCallback): Promise<RunOutcome> {
    return this.addInputs(fileInputs(files), onProgress);
  }

  addDemo(onProgress: ProgressCallback): Promise<RunOutcome> {
    return this.addInputs(demoInputs(), onProgress);
  }

  async rebuild(settingsInput: Settings, onProgress: ProgressCallback): Promise<RunOutcome> {
    await this.ready;
    const settings = resolveSettings(settingsInput);
    const inputs: Input[] = this.history.demoLoaded ? demoInputs() : [];
    const missing: string[] = [];
    for (const f of this.history.collected.files) {
      if (f.fingerprint !== null && this.history.demoFiles.has(f.fingerprint)) continue;
      const file = f.fingerprint === null ? undefined : this.handles.get(f.fingerprint);
      if (file === undefined) missing.push(f.name);
      else inputs.push(...fileInputs([file]));
    }
    if (missing.length > 0) {
      const names = missing.length <= 3 ? missing.join(', ') : `${missing.slice(0, 3).join(', ')} and ${missing.length - 3} more`;
      return refused(
        `The lists and the time zone are used while reading, so every file must be read again, but ${plural(missing.length, 'file')} ` +
          `(${names}) ${missing.length === 1 ? 'was' : 'were'} added on an earlier visit and ${missing.length === 1 ? 'is' : 'are'} not open in this tab. ` +
          'Drop them again (they are recognised and add nothing), then apply the settings; or reset the baseline and add the files again. Nothing was changed.',
      );
    }
    return this.exclusive(inputs, onProgress, async (signal, progress) => {
      const next = emptyHistory();
      for (let i = 0; i < inputs.length; i++) {
        if (signal.aborted) throw new IngestCancelled();
        const reading = await readInput(inputs[i], i, {
          settings, known: next.collected.files, signal, progress, keptBefore: next.collected.candidates.length, budget: this.eventBudget,
        });
        const { report } = reading;
        progress.finished(i, report.error, report.duplicateOf);
        if (report.error !== null) return refused(`${report.name} could not be read again: ${report.error}. Nothing was changed.`);
        if (report.duplicateOf !== null) continue;
        applyJoins(joinReading(next.collected, reading));
        applyReading(next, reading);
      }
      progress.analysing();
      await nextTask();
      if (signal.aborted) throw new IngestCancelled();
      try {
        await this.store.replace(next, settings, null);
      } catch (e) {
        return refused(`The settings were not applied: ${storageProblem(e).message}. Nothing was changed.`);
      }
      this.history = next;
      this.settings = settings;
      this.notAdded = [];
      const analysis = this.analyseNow();
      return done(analysis, { notices: await this.saveAlerts(false) });
    });
  }

  async reanalyse(settingsInput: Settings): Promise<RunOutcome> {
    await this.ready;
    return this.exclusive([], null, async () => {
      const settings = resolveSettings(settingsInput);
      const uploadChanged = settings.uploadMinBytes !== this.settings.uploadMinBytes;
      this.settings = settings;
      const analysis = this.analyseNow();
      return done(analysis, { notices: await this.saveAlerts(uploadChanged) });
    });
  }

  cancel(): void {
    this.running?.abort();
  }

  detail(gen: number, index: number): AlertDetail | null {
    const alert = this.at(gen)?.detection.alerts[index];
    return alert === undefined ? null : alertDetail(alert, index);
  }

  exportJsonLines(gen: number, statuses: TriageStatus[]): Export | null {
    const at = this.at(gen);
    return at === null ? null : jsonLinesExport({ alerts: at.detection.alerts, settings: at.settings, triage: this.triage, statuses });
  }

  exportCsv(gen: number, statuses: TriageStatus[]): Export | null {
    const at = this.at(gen);
    return at === null ? null : csvExport({ alerts: at.detection.alerts, settings: at.settings, triage: this.triage, statuses });
  }

  async setTriage(id: string, status: TriageStatus, note: string): Promise<Triage> {
    await this.ready;
    if (!TRIAGE_STATUSES.includes(status)) throw new Error(`unknown triage status "${String(status)}"`);
    const text = note.slice(0, MAX_NOTE_CHARS);
    const before = this.triage[id];
    if (before !== undefined && before.status === status && before.note === text) return before;
    const triage: Triage = { status, note: text, changedAt: new Date().toISOString() };
    await this.store.setTriage(id, triage);
    this.triage[id] = triage;
    return triage;
  }

  async exportState(): Promise<Export> {
    await this.ready;
    if (this.running !== null) throw new Error('wait for the run in progress to finish, then export');
    return stateExport(this.history.collected, this.settings, this.current?.detection.alerts ?? [], this.triage);
  }

  async importState(file: File): Promise<RunOutcome> {
    await this.ready;
    return this.exclusive([], null, async () => {
      let loaded;
      try {
        loaded = await readStateFile(file);
      } catch (e) {
        if (e instanceof StateError) return refused(`${file.name} was not imported: ${e.message}. Nothing was changed.`);
        throw e;
      }
      if (loaded.collected.candidates.length > this.eventBudget) {
        return refused(
          `${file.name} was not imported: it holds ${loaded.collected.candidates.length.toLocaleString('en')} events, more than this tab ` +
            `keeps (${this.eventBudget.toLocaleString('en')}). Use it with the command-line tool: offbrowse detect --state ${file.name} ... Nothing was changed.`,
        );
      }
      const next: History = { collected: loaded.collected, demoLoaded: false, demoFiles: new Set() };
      try {
        await this.store.replace(next, loaded.settings, loaded.triage);
      } catch (e) {
        return refused(`${file.name} was not imported: ${storageProblem(e).message}. The stored history is unchanged.`);
      }
      this.history = next;
      this.settings = loaded.settings;
      this.triage = loaded.triage;
      this.notAdded = [];
      const analysis = this.analyseNow();
      return done(analysis, { notices: await this.saveAlerts(false) });
    });
  }

  async importAlerts(file: File): Promise<RunOutcome> {
    await this.ready;
    return this.exclusive([], null, async () => {
      let got: ImportedAlerts;
      try {
        got = parseAlertLines(await file.text());
      } catch (e) {
        if (e instanceof AlertsImportError) return refused(`${file.name} was not imported: ${e.message}. Nothing was changed.`);
        throw e;
      }
      for (const [id, t] of Object.entries(got.triage)) {
        await this.store.setTriage(id, t);
        this.triage[id] = t;
      }
      this.imported = { ...got, source: file.name };
      const analysis = this.analyseNow();
      return done(analysis, {
        notices: [
          `Showing ${plural(got.alerts.length, 'alert')} imported from ${file.name}, detected elsewhere under the settings they carry. ` +
            'The stored history is unchanged and its own alerts are not shown meanwhile; adding files, applying settings, ' +
            'importing a state or resetting goes back to them. Triage is saved; after a reload, import the file again to see these alerts.',
        ],
      });
    });
  }

  async reset(): Promise<RunOutcome> {
    await this.ready;
    return this.exclusive([], null, async () => {
      try {
        await this.store.clear();
      } catch (e) {
        return refused(`Nothing was deleted: ${storageProblem(e).message}.`);
      }
      this.history = emptyHistory();
      this.triage = {};
      this.notAdded = [];
      this.handles.clear();
      return done(this.analyseNow());
    });
  }

  private async start(openStore: () => Promise<HistoryStore>): Promise<StorageStatus> {
    let store: HistoryStore;
    try {
      store = await openStore();
    } catch (e) {
      this.store = new MemoryStore(storageProblem(e).message);
      this.analyseNow();
      return this.store.status;
    }
    let stored: StoredHistory;
    try {
      stored = await store.load();
    } catch (e) {
      store.close();
      this.store = new MemoryStore(`the stored history could not be read: ${storageProblem(e).message}`);
      this.analyseNow();
      return this.store.status;
    }
    this.store = store;
    this.adopt(stored);
    this.analyseNow();
    // Alerts are worked out from the events, so ones missing or stale (a tab closed between saving a file and its alerts) are made again.
    if (stored.alertsRevision !== stored.revision && this.history.collected.files.length > 0) {
      this.startNotices = await this.saveAlerts(false);
    }
    return store.status;
  }

  /** Takes the stored history as the worker's copy; TRAFFIC sessions read in this tab stay (they are not stored). */
  private adopt(stored: StoredHistory): void {
    const traffic = this.history.collected.traffic;
    this.history = { collected: stored.collected, demoLoaded: stored.demoLoaded, demoFiles: stored.demoFiles };
    for (const [k, v] of traffic) this.history.collected.traffic.set(k, v);
    if (stored.settings !== null) this.settings = stored.settings;
    this.triage = stored.triage;
  }

  /**
   * One run at a time. `inputs` are what the progress lists; the work gets
   * the abort signal and the progress reporter. A cancel ends as `cancelled`
   * with the analysis of what was added before it.
   */
  private async exclusive(
    inputs: Input[], onProgress: ProgressCallback | null, work: (signal: AbortSignal, progress: RunProgressReporter) => Promise<RunOutcome>,
    onCancel: () => Promise<RunOutcome> = async () => ({ status: 'cancelled', analysis: null, message: null, duplicates: [], notices: [] }),
  ): Promise<RunOutcome> {
    if (this.running !== null) throw new Error('another run is in progress');
    const controller = new AbortController();
    this.running = controller;
    // Every run goes back to the history's own detection; importAlerts sets its alerts again.
    this.imported = null;
    const progress = new RunProgressReporter(inputs, onProgress ?? (() => undefined));
    if (onProgress !== null) progress.flush();
    try {
      return await work(controller.signal, progress);
    } catch (e) {
      if (e instanceof IngestCancelled || controller.signal.aborted) {
        progress.cancelled();
        return await onCancel();
      }
      throw e;
    } finally {
      progress.stop();
      this.running = null;
    }
  }

  private async addInputs(inputs: Input[], onProgress: ProgressCallback): Promise<RunOutcome> {
    await this.ready;
    const duplicates: Duplicate[] = [];
    let added = 0;
    const after = async (status: RunOutcome['status'], message: string | null): Promise<RunOutcome> => {
      const analysis = added > 0 || status === 'done' ? this.analyseNow() : null;
      const notices = analysis !== null && added > 0 ? await this.saveAlerts(false) : [];
      return { status, analysis, message, duplicates, notices };
    };
    return this.exclusive(
      inputs,
      onProgress,
      async (signal, progress) => {
        for (let i = 0; i < inputs.length; i++) {
          if (signal.aborted) throw new IngestCancelled();
          let reading: Reading;
          try {
            reading = await readInput(inputs[i], i, {
              settings: this.settings, known: this.history.collected.files, signal, progress,
              keptBefore: this.history.collected.candidates.length, budget: this.eventBudget,
            });
          } catch (e) {
            if (!(e instanceof EventBudgetExceeded)) throw e;
            progress.finished(i, e.message);
            return after('stopped', budgetMessage(e, added));
          }
          let result: 'added' | 'duplicate' | 'failed';
          try {
            result = await this.add(reading, inputs[i], i, progress);
          } catch (e) {
            if (!(e instanceof StorageProblem)) throw e;
            progress.finished(i, e.message);
            return after('stopped', `${reading.report.name} was not saved, so it was not added: ${e.message}.`);
          }
          if (result === 'added') added++;
          if (result === 'duplicate') duplicates.push({ name: reading.report.name, of: reading.report.duplicateOf ?? '' });
        }
        progress.analysing();
        await nextTask();
        return after('done', null);
      },
      () => after('cancelled', null),
    );
  }

  /** Saves a file read to the end and adds it to the history, or says why not. */
  private async add(reading: Reading, input: Input, i: number, progress: RunProgressReporter): Promise<'added' | 'duplicate' | 'failed'> {
    const { report } = reading;
    if (report.error !== null) {
      this.notAdded.push(report);
      progress.finished(i, report.error);
      return 'failed';
    }
    if (report.duplicateOf === null) {
      progress.saving(i);
      for (let attempt = 1; ; attempt++) {
        const joins = joinReading(this.history.collected, reading);
        applyJoins(joins);
        let result: StoreCommit;
        try {
          result = await this.store.commitFile(this.history, reading, joins.map((j) => j.event), this.settings);
        } catch (e) {
          revertJoins(joins);
          throw e;
        }
        if (result.status === 'committed') {
          applyReading(this.history, reading);
          break;
        }
        revertJoins(joins);
        if (result.status === 'duplicate') {
          report.duplicateOf = result.of;
          break;
        }
        if (attempt === COMMIT_ATTEMPTS) {
          throw new StorageProblem('other', 'the stored history kept changing in another tab while this file was being saved; try again');
        }
        this.adopt(await this.store.load());
      }
    }
    // The same content under any name serves to read the history again.
    if (input.file !== null && report.fingerprint !== null) this.handles.set(report.fingerprint, input.file);
    if (report.duplicateOf !== null) {
      this.notAdded.push(report);
      progress.finished(i, null, report.duplicateOf);
      return 'duplicate';
    }
    progress.finished(i, null);
    return 'added';
  }

  /**
   * Detection over every kept event. Byte counts from TRAFFIC rows were
   * joined as each file was added (trafficJoin.ts), so this is `detect`
   * rather than `analyse`, which would join again and change events in
   * memory that are not written back.
   */
  private analyseNow(): Analysis {
    if (this.imported !== null) {
      const alerts = [...this.imported.alerts].sort(compareAlerts);
      const detection: Detection = { alerts, dataStart: null, activeFrom: null, inactiveEvents: 0 };
      this.current = { generation: ++this.generation, detection, settings: this.imported.settings };
      return this.view();
    }
    const { candidates, counts } = this.history.collected;
    const detection = detect(candidates, counts.minTime, this.settings);
    this.current = { generation: ++this.generation, detection, settings: this.settings };
    return this.view();
  }

  /** Saves the current alerts; a failure is worth a word but loses nothing (they are made again from the events). */
  private async saveAlerts(rebuildBaseline: boolean): Promise<string[]> {
    if (this.current === null) return [];
    try {
      const records = this.current.detection.alerts.map((a) => toRecord(a, this.settings));
      await this.store.saveAnalysis(this.history, records, this.settings, rebuildBaseline);
      return [];
    } catch (e) {
      return [
        `The alerts and settings could not be saved: ${storageProblem(e).message}. The alerts are worked out again ` +
          'from the saved files on the next visit; the settings may be the earlier ones.',
      ];
    }
  }

  private view(): Analysis {
    const current = this.current!;
    const { files } = this.history.collected;
    const filesNotHeld = files.filter(
      (f) => f.fingerprint === null || (!this.history.demoFiles.has(f.fingerprint) && !this.handles.has(f.fingerprint)),
    ).length;
    return analysisView(current.generation, this.history, current.detection, current.settings, {
      notAdded: this.notAdded, triage: this.triage, filesNotHeld, importedAlerts: this.imported?.source ?? null,
    });
  }

  private at(gen: number): Workspace['current'] {
    return this.current !== null && this.current.generation === gen ? this.current : null;
  }
}
