import { AlertsImportError, parseAlertLines, type ImportedAlerts } from '../core/alerts/import';
import type { ParsePool } from '../core/ingest/coordinator';
import type { FileReport } from '../core/ingest/report';
import { toRecord } from '../core/alerts/record';
import { defaultSettings, resolveSettings, type Settings, type Suppression } from '../core/settings/settings';
import type { Triage, TriageStatus } from '../core/alerts/triage';
import { storageProblem } from '../db/problems';
import type {
  AlertDetail,
  InterruptedWork,
  Analysis,
  DemoForm,
  Export,
  FilesRead,
  HostActivity,
  Notice,
  Opened,
  ProgressCallback,
  Refusal,
  RunOutcome,
  StorageStatus,
  SuppressedAlert,
  TriageChange,
  WorkAsked,
} from './api';
import { FileHandles } from './fileHandles';
import { emptyHistory, type History } from './history';
import { hostActivity } from './hostView';
import { demoInputs, fileInputs, type Input } from './inputs';
import { openHistory } from './openHistory';
import { readDrop } from './readDrop';
import { removeFiles } from './removeFiles';
import { replaceWithState } from './replaceWithState';
import { rereadHistory, rereadInputs } from './reread';
import type { RunProgressReporter } from './progress';
import { RunControl, type RunWork } from './runControl';
import { readingKey, withHistoryLock, withReadingLock } from './runLock';
import { ShownResults } from './shownResults';
import { exportState } from './stateTransfer';
import type { HistoryStore, StoredState } from './store';
import { TriageBook } from './triageBook';

export type PoolFactory = (settings: Settings) => ParsePool & { settings: Settings; close(): void };

function done(analysis: Analysis, notices: Notice[] = [], files: FilesRead | null = null): RunOutcome {
  return { status: 'done', analysis, notices, files };
}

function refused(refusal: Refusal): RunOutcome {
  return { status: 'refused', refusal };
}

/**
 * The worker's history and everything that can be done to it, as the ingest
 * worker offers it to the page (src/worker/api.ts). Each job is in a file of
 * its own; this class holds the state they share and runs them one at a time:
 * files are read in parallel into sorted runs in the store and a drop is
 * committed in one transaction (readDrop.ts); detection then streams every
 * stored run through the streaming detector (shownResults.ts), which is what
 * gives the answers of one batch, whatever the order and however many
 * visits. Memory holds the file manifest, the counts and the current alerts,
 * never the events. Without storage it does the same in memory
 * (openHistory.ts).
 */
export class Workspace {
  /** Set by start(), which every method that uses it waits for. */
  private store!: HistoryStore;
  private history: History = emptyHistory();
  private settings: Settings = defaultSettings();
  private readonly triage = new TriageBook();
  /** Files of this visit that failed or repeated an added one: shown, never stored. */
  private notAdded: FileReport[] = [];
  private readonly handles = new FileHandles();
  private readonly results = new ShownResults();
  private readonly runs = new RunControl();
  private readonly ready: Promise<StorageStatus>;
  private startNotices: Notice[] = [];
  private interruptedWork: InterruptedWork | null = null;
  private pool: ReturnType<PoolFactory> | null = null;
  private trafficJoin: Analysis['trafficJoin'] = null;

  constructor(
    openStore: () => Promise<HistoryStore>,
    private readonly makePool: PoolFactory,
  ) {
    this.ready = this.start(openStore);
  }

  async open(): Promise<Opened> {
    const storage = await this.ready;
    // The parse workers start while the page shows what is stored, not when the first file is
    // dropped: starting them (a script each to load and compile) held up a first drop by ~0.2 s.
    // A worker that cannot start fails that first run, as it did when started there.
    this.poolFor(this.settings);
    const notices = this.startNotices;
    this.startNotices = [];
    const interrupted = this.interruptedWork;
    this.interruptedWork = null;
    return { storage, analysis: this.view(), notices, interrupted };
  }

  addFiles(files: readonly File[], onProgress: ProgressCallback): Promise<RunOutcome> {
    return this.addInputs(fileInputs(files), onProgress, { kind: 'drop', names: files.map((f) => f.name) });
  }

  addDemo(form: DemoForm, onProgress: ProgressCallback): Promise<RunOutcome> {
    return this.addInputs(demoInputs(form), onProgress, { kind: 'demo', names: [form] });
  }

  /** Takes files out of the history: their events and counts go, and detection runs again (triage is kept by alert id). */
  async removeFiles(keys: readonly string[], onProgress: ProgressCallback | null = null): Promise<RunOutcome> {
    await this.ready;
    const names = this.history.files.filter((f) => keys.includes(f.key)).map((f) => f.report.name);
    return this.run([], onProgress, { kind: 'remove', names, keys: [...keys] }, async (_signal, progress) => {
      progress.analysing('writing');
      const removed = await removeFiles(this.store, this.history, this.settings, keys, () => progress.analysing());
      if ('refusal' in removed) return refused(removed.refusal);
      this.handles.forget(removed.gone);
      this.history = removed.history;
      return this.analysedAndSaved(progress);
    });
  }

  /** Reads everything again under new settings (the lists and the time zone decide while reading). */
  async rebuild(settingsInput: Settings, onProgress: ProgressCallback): Promise<RunOutcome> {
    await this.ready;
    const settings = resolveSettings(settingsInput);
    const seen = this.history.revision;
    const wanted = rereadInputs(this.history, this.handles);
    if ('refusal' in wanted) return refused(wanted.refusal);
    return this.run(wanted.inputs, onProgress, { kind: 'settings', names: [] }, async (signal, progress) => {
      // Another tab changed the history while this run waited its turn: the files to read are no longer these.
      if (this.history.revision !== seen) return refused({ kind: 'history-changed' });
      const reread = await rereadHistory({
        store: this.store,
        inputs: wanted.inputs,
        demoLoaded: wanted.demoLoaded,
        settings,
        pool: this.poolFor(settings),
        signal,
        progress,
      });
      if ('refusal' in reread) return refused(reread.refusal);
      this.history = reread.history;
      this.settings = settings;
      this.notAdded = [];
      this.trafficJoin = reread.join ?? this.trafficJoin;
      return this.analysedAndSaved(progress);
    });
  }

  async reanalyse(settingsInput: Settings): Promise<RunOutcome> {
    await this.ready;
    return this.run([], null, { kind: 'settings', names: [] }, async () => {
      this.settings = resolveSettings(settingsInput);
      await this.analyse();
      const notices = await this.saveAlerts(true);
      return done(this.view(), notices);
    });
  }

  cancel(): void {
    this.runs.cancel();
  }

  detail(gen: number, index: number): AlertDetail | null {
    return this.results.detail(gen, index, this.history);
  }

  async exportJsonLines(gen: number, order: readonly number[]): Promise<Export | null> {
    await this.freshTriage();
    return this.results.exportJsonLines(gen, order, this.triage.all);
  }

  async exportCsv(gen: number, order: readonly number[]): Promise<Export | null> {
    await this.freshTriage();
    return this.results.exportCsv(gen, order, this.triage.all);
  }

  searchAlerts(gen: number, text: string): number[] | null {
    return this.results.search(gen, text);
  }

  suppressionPreview(gen: number, entry: Suppression): SuppressedAlert[] | null {
    return this.results.suppressionPreview(gen, entry);
  }

  suppressedAlerts(gen: number): SuppressedAlert[][] | null {
    return this.results.suppressedAlerts(gen);
  }

  async hostActivity(gen: number, index: number, spanMs: number): Promise<HostActivity | null> {
    await this.ready;
    const alert = this.results.alert(gen, index);
    if (alert === undefined) return null;
    if (this.runs.busy) throw new Error('a run is in progress; try again when it has finished');
    const span = Math.max(0, spanMs);
    const processes = this.results.hostProcesses(gen, alert.host);
    if (processes === undefined) return null;
    const activity = await hostActivity(this.store.runs('host-view'), this.history.runs, {
      host: alert.host,
      from: alert.firstSeen - span,
      to: alert.firstSeen + span,
      around: alert.firstSeen,
      uploadMinBytes: this.settings.uploadMinBytes,
    });
    return { ...activity, processes: processes?.processes ?? null, otherProcessEvents: processes?.otherEvents ?? 0 };
  }

  /** Several alerts' triage at once (bulk triage), in one transaction. */
  async setTriageMany(changes: readonly TriageChange[]): Promise<Record<string, Triage>> {
    await this.ready;
    return this.triage.setMany(this.store, changes);
  }

  async setTriage(id: string, status: TriageStatus, note: string): Promise<Triage> {
    await this.ready;
    return this.triage.set(this.store, id, status, note);
  }

  async exportState(): Promise<Export> {
    await this.ready;
    if (this.runs.busy) throw new Error('wait for the run in progress to finish, then export');
    await this.freshTriage();
    const alerts = this.results.alerts().map((a) => toRecord(a, this.settings));
    return exportState(this.store.runs('export'), this.history, this.settings, this.triage.all, alerts);
  }

  async importState(file: File, onProgress: ProgressCallback | null = null): Promise<RunOutcome> {
    await this.ready;
    return this.run([], onProgress, { kind: 'import', names: [file.name] }, async (_signal, progress) => {
      progress.analysing('writing');
      const taken = await replaceWithState(this.store, file, () => progress.analysing());
      if ('refusal' in taken) return refused(taken.refusal);
      this.history = taken.history;
      this.settings = taken.settings;
      this.triage.replace(taken.triage);
      this.notAdded = [];
      return this.analysedAndSaved(progress);
    });
  }

  /** Shows alerts detected elsewhere in place of the history's own, until the next run; their triage is saved. */
  async importAlerts(file: File): Promise<RunOutcome> {
    await this.ready;
    return this.run([], null, null, async () => {
      let got: ImportedAlerts;
      try {
        got = parseAlertLines(await file.text());
      } catch (e) {
        if (e instanceof AlertsImportError) return refused({ kind: 'alerts-not-imported', file: file.name, reason: e.message });
        throw e;
      }
      await this.triage.adopt(this.store, got.triage);
      this.results.showImported(got, file.name);
      await this.results.analyse(this.store, this.history, this.settings);
      return done(this.view(), [{ kind: 'imported-alerts', count: got.alerts.length, file: file.name }]);
    });
  }

  async reset(): Promise<RunOutcome> {
    await this.ready;
    return this.run([], null, null, async () => {
      let revision: number;
      try {
        revision = await this.store.clear();
      } catch (e) {
        return refused({ kind: 'not-deleted', reason: storageProblem(e).message });
      }
      this.history = { ...emptyHistory(), revision };
      this.triage.replace({});
      this.notAdded = [];
      this.handles.clear();
      this.trafficJoin = null;
      return done(await this.analyse());
    });
  }

  /** The stored history as it is now (another tab changed it), analysed; nothing is written. */
  async refresh(): Promise<Analysis> {
    await this.ready;
    if (this.runs.busy) return this.view();
    await this.catchUp();
    return this.analyse();
  }

  /** Triage typed in another tab is in the store, not in this worker's book: exports take it from the store. */
  private async freshTriage(): Promise<void> {
    await this.ready;
    if (!this.runs.busy) this.triage.replace((await this.store.load()).triage);
  }

  private async start(openStore: () => Promise<HistoryStore>): Promise<StorageStatus> {
    this.store = await openHistory(openStore, (store, stored) => this.useStored(store, stored));
    return this.store.status;
  }

  /** Takes up what a store holds and analyses it; throws (and openHistory falls back to memory) when that fails. */
  private async useStored(store: HistoryStore, stored: StoredState): Promise<void> {
    this.store = store;
    this.history = stored.history;
    if (stored.settings !== null) this.settings = stored.settings;
    this.triage.replace(stored.triage);
    await this.analyse();
    if (stored.settingsProblem) this.startNotices.push({ kind: 'settings-not-used', reason: stored.settingsProblem });
    // Alerts are worked out from the events, so ones missing or stale (a tab closed between a commit and its alerts) are made again.
    if (!stored.alertsCurrent && this.history.files.length > 0) this.startNotices.push(...(await this.saveAlerts()));
    this.interruptedWork = await store.interrupted();
  }

  /**
   * Takes up what is stored when another tab changed it since this worker
   * read it (a drop, a removal, settings): work goes on from there, never
   * from an older copy. True when it did.
   */
  private async catchUp(): Promise<boolean> {
    if ((await this.store.revision()) === this.history.revision) return false;
    // Settings changed in another tab bump the revision too (saveAlerts), so they are taken up here with the rest.
    const stored = await this.store.load();
    this.history = stored.history;
    if (stored.settings !== null) this.settings = stored.settings;
    this.triage.replace(stored.triage);
    this.notAdded = [];
    return true;
  }

  private poolFor(settings: Settings): ReturnType<PoolFactory> {
    this.pool ??= this.makePool(settings);
    this.pool.settings = settings;
    return this.pool;
  }

  /**
   * One run at a time, and across tabs one change of the history at a time
   * (withHistoryLock, from reading the stored revision to saving the alerts);
   * every run goes back to the history's own alerts (importAlerts shows its
   * own again). `marked`: work that changes the history, marked durably while
   * it runs so a tab killed part-way is told on the next opening.
   */
  private run(
    inputs: readonly Input[],
    onProgress: ProgressCallback | null,
    marked: WorkAsked | null,
    work: RunWork,
  ): Promise<RunOutcome> {
    return this.runs.exclusive(inputs, onProgress, (signal, progress) =>
      withHistoryLock(async () => {
        await this.catchUp();
        this.results.dropImported();
        if (marked === null) return work(signal, progress);
        const owner = readingKey();
        return withReadingLock(owner, async () => {
          await this.store.begin(owner, marked);
          try {
            return await work(signal, progress);
          } finally {
            await this.store.end();
          }
        });
      }),
    );
  }

  private addInputs(inputs: Input[], onProgress: ProgressCallback, marked: WorkAsked): Promise<RunOutcome> {
    return this.ready.then(() =>
      this.run(inputs, onProgress, marked, async (signal, progress) => {
        const drop = await readDrop({
          store: this.store,
          history: this.history,
          settings: this.settings,
          inputs,
          pool: this.poolFor(this.settings),
          handles: this.handles,
          signal,
          progress,
        });
        this.notAdded.push(...drop.notAdded);
        if (drop.join !== null) this.trafficJoin = drop.join;
        if (drop.status === 'stopped') return { status: 'stopped', notSaved: drop.notSaved, duplicates: drop.duplicates };
        this.history = drop.history;
        const added = drop.files.added > 0;
        // A cancel before any file was added changes nothing: no analysis to show.
        if (drop.cancelled && !added) return { status: 'cancelled', analysis: null, notices: [], files: drop.files };
        progress.analysing('detecting');
        const analysis = await this.analyse();
        progress.analysing('saving-alerts');
        const notices = added ? await this.saveAlerts() : [];
        return drop.cancelled
          ? { status: 'cancelled', analysis, notices, files: drop.files }
          : done(analysis, notices, drop.files);
      }),
    );
  }

  /** The analysis of the history as it is now, its alerts saved; `progress` hears each step. */
  private async analysedAndSaved(progress?: RunProgressReporter): Promise<RunOutcome> {
    progress?.analysing('detecting');
    const analysis = await this.analyse();
    progress?.analysing('saving-alerts');
    return done(analysis, await this.saveAlerts());
  }

  private async analyse(): Promise<Analysis> {
    await this.results.analyse(this.store, this.history, this.settings);
    return this.view();
  }

  /**
   * Saves the history's own alerts; a failure is worth a word but loses
   * nothing (they are made again from the events). `settingsChanged`: a
   * re-analysis under new settings, which other tabs must hear of.
   */
  private async saveAlerts(settingsChanged = false): Promise<Notice[]> {
    const own = this.results.own();
    if (own === null) return [];
    try {
      const records = own.alerts.map((a) => toRecord(a, this.settings));
      const revision = await this.store.saveAnalysis(
        this.history.revision,
        records,
        this.settings,
        own.coverage,
        settingsChanged,
      );
      this.history = { ...this.history, revision };
      return [];
    } catch (e) {
      return [{ kind: 'alerts-not-saved', reason: storageProblem(e).message }];
    }
  }

  private view(): Analysis {
    return this.results.view({
      history: this.history,
      notAdded: this.notAdded,
      triage: this.triage.all,
      filesNotHeld: this.handles.notHeld(this.history.files).length,
      trafficJoin: this.trafficJoin,
    });
  }
}
