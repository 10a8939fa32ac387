import { AlertsImportError, parseAlertLines, type ImportedAlerts } from '../core/alertsImport';
import type { Coverage } from '../core/detect/coverage';
import { compareAlerts, type Detection } from '../core/detector';
import type { ParsePool } from '../core/map/coordinator';
import { IngestCancelled, type FileReport } from '../core/map/report';
import { toRecord } from '../core/record';
import { withoutFiles } from '../core/events/rewriteRuns';
import type { RunStore } from '../core/events/runStore';
import { defaultSettings, resolveSettings, type Settings } from '../core/settings';
import { StateError, TRIAGE_STATUSES, type Triage, type TriageStatus } from '../core/state';
import { addCounts, emptyCounts } from '../core/stats';
import { StorageProblem, storageProblem } from '../db/problems';
import { analyseHistory } from './analysis';
import { DomainKeys } from '../core/domain';
import type {
  AlertDetail, Analysis, DemoForm, Duplicate, Export, FilesRead, HostActivity, Notice, Opened, ProgressCallback, Refusal, RunOutcome,
  StorageStatus, TriageChange,
} from './api';
import { searchAlerts } from './alertSearch';
import { hostActivity } from './hostView';
import { historyWithout } from './removeFiles';
import { nextTask } from './chunks';
import { csvExport, jsonLinesExport } from './exports';
import { emptyHistory, eventCount, type History } from './history';
import { demoFormOf, demoInputs, fileInputs, type Input } from './inputs';
import { MemoryStore } from './memoryStore';
import { RunProgressReporter } from './progress';
import { readInputs, ReadingFailed, type Reading } from './reading';
import { withReadingLock } from './runLock';
import { exportState, importState } from './stateTransfer';
import type { HistoryStore } from './store';
import { alertDetail, analysisView } from './views';

/** Longest note kept; a note is for the case file, not for pasting logs into. */
const MAX_NOTE_CHARS = 20_000;
/** Tries to commit a drop when another tab keeps adding the same files in between. */
const COMMIT_ATTEMPTS = 3;

export type PoolFactory = (settings: Settings) => ParsePool & { settings: Settings; close(): void };

function done(analysis: Analysis, notices: Notice[] = [], files: FilesRead | null = null): RunOutcome {
  return { status: 'done', analysis, notices, files };
}

function refused(refusal: Refusal): RunOutcome {
  return { status: 'refused', refusal };
}

/** A drop is saved whole or not at all: a failure to save takes all of it. */
function notSaved(inputs: readonly Input[], e: StorageProblem, duplicates: Duplicate[]): RunOutcome {
  return { status: 'stopped', notSaved: { names: inputs.map((i) => i.name), reason: e.message }, duplicates };
}

/** A key for one reading, unique in any history: its files' keys start with it. */
function readingKey(): string {
  return `${Date.now().toString(36)}-${Math.floor(Math.random() * 2 ** 32).toString(36)}`;
}

/**
 * The worker's history and everything that can be done to it. Files are
 * read in parallel into sorted runs in the store, and a drop is committed
 * in one transaction; detection then streams every stored run through the
 * streaming detector (which is what gives the answers of one batch, whatever
 * the order and however many visits). Memory holds the file manifest, the
 * counts and the current alerts, never the events. Without storage it does
 * the same in memory.
 */
export class Workspace {
  /** Set by start(), which every public method waits for. */
  private store!: HistoryStore;
  private history: History = emptyHistory();
  private settings: Settings = defaultSettings();
  private triage: Record<string, Triage> = {};
  /** Files of this visit that failed or repeated an added one: shown, never stored. */
  private notAdded: FileReport[] = [];
  /** Dropped files by content fingerprint: what lets the history be read again under new settings. */
  private readonly handles = new Map<string, File>();
  private current: { generation: number; detection: Detection; settings: Settings; coverage: Coverage } | null = null;
  private generation = 0;
  private running: AbortController | null = null;
  private readonly ready: Promise<StorageStatus>;
  private startNotices: Notice[] = [];
  private pool: ReturnType<PoolFactory> | null = null;
  private trafficJoin: Analysis['trafficJoin'] = null;
  /**
   * Alerts detected elsewhere (an engine over more logs than a tab holds),
   * shown for triage in place of this history's own detection until the next
   * run. Held in memory only: after a reload the file is imported again, and
   * the triage given meanwhile (saved by alert id) comes back with it.
   */
  private imported: (ImportedAlerts & { source: string }) | null = null;

  constructor(openStore: () => Promise<HistoryStore>, private readonly makePool: PoolFactory) {
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

  addDemo(form: DemoForm, onProgress: ProgressCallback): Promise<RunOutcome> {
    return this.addInputs(demoInputs(form), onProgress);
  }

  /** Takes files out of the history: their events and counts go, and detection runs again (triage is kept by alert id). */
  async removeFiles(keys: readonly string[]): Promise<RunOutcome> {
    await this.ready;
    return this.exclusive([], null, async () => {
      const drop = new Set(keys);
      const gone = this.history.files.filter((f) => drop.has(f.key));
      if (gone.length === 0) return refused({ kind: 'files-gone' });
      const owner = readingKey();
      const runs = this.store.runs(owner);
      const names = gone.map((f) => f.report.name);
      let next: History;
      try {
        next = await withReadingLock(owner, () => historyWithout(runs, this.history, drop));
      } catch (e) {
        return refused({ kind: 'files-not-removed', names, reason: storageProblem(e).message });
      }
      try {
        next.revision = await this.store.replace(next, this.settings, null);
      } catch (e) {
        for (const run of next.runs) await runs.delete(run).catch(() => undefined);
        return refused({ kind: 'files-not-removed', names, reason: storageProblem(e).message });
      }
      for (const f of gone) if (f.report.fingerprint !== null) this.handles.delete(f.report.fingerprint);
      this.history = next;
      const analysis = await this.analyseNow();
      return done(analysis, await this.saveAlerts());
    });
  }

  async rebuild(settingsInput: Settings, onProgress: ProgressCallback): Promise<RunOutcome> {
    await this.ready;
    const settings = resolveSettings(settingsInput);
    const inputs: Input[] = [];
    const missing: string[] = [];
    const form = demoFormOf(this.history.files);
    const demo = form !== null;
    // The demo is made again in the form it was loaded in (the manifest's formats say which).
    if (form !== null) inputs.push(...demoInputs(form));
    for (const f of this.history.files) {
      if (f.demo) continue;
      const file = f.report.fingerprint === null ? undefined : this.handles.get(f.report.fingerprint);
      if (file === undefined) missing.push(f.report.name);
      else inputs.push(...fileInputs([file]));
    }
    if (missing.length > 0) return refused({ kind: 'files-not-held', names: missing });
    return this.exclusive(inputs, onProgress, async (signal, progress) => {
      const owner = readingKey();
      const runs = this.store.runs(owner);
      let reading: Reading;
      try {
        reading = await withReadingLock(owner, () =>
          readInputs({ inputs, owner, settings, known: [], store: runs, pool: this.poolFor(settings), signal, progress }),
        );
      } catch (e) {
        if (!(e instanceof ReadingFailed)) throw e;
        if (!(e.reason instanceof StorageProblem)) throw e.reason;
        return refused({ kind: 'settings-not-applied', reason: e.reason.message });
      }
      const failed = reading.notAdded.find((n) => n.report.error !== null);
      if (reading.cancelled || failed !== undefined) {
        for (const run of reading.runs) await runs.delete(run);
        if (reading.cancelled) throw new IngestCancelled();
        return refused({ kind: 'file-not-read-again', name: failed!.report.name, reason: failed!.report.error! });
      }
      progress.analysing();
      await nextTask();
      const next: History = {
        files: reading.added.map((a) => a.entry), counts: reading.counts, runs: reading.runs, demoLoaded: demo, revision: 0,
      };
      try {
        next.revision = await this.store.replace(next, settings, null);
      } catch (e) {
        for (const run of reading.runs) await runs.delete(run).catch(() => undefined);
        return refused({ kind: 'settings-not-applied', reason: storageProblem(e).message });
      }
      for (const a of reading.added) progress.finished(a.index, null);
      this.history = next;
      this.settings = settings;
      this.notAdded = [];
      this.trafficJoin = reading.join ?? this.trafficJoin;
      const analysis = await this.analyseNow();
      return done(analysis, await this.saveAlerts());
    });
  }

  async reanalyse(settingsInput: Settings): Promise<RunOutcome> {
    await this.ready;
    return this.exclusive([], null, async () => {
      this.settings = resolveSettings(settingsInput);
      const analysis = await this.analyseNow();
      return done(analysis, await this.saveAlerts());
    });
  }

  cancel(): void {
    this.running?.abort();
  }

  detail(gen: number, index: number): AlertDetail | null {
    const at = this.at(gen);
    const alert = at?.detection.alerts[index];
    if (at === null || alert === undefined) return null;
    const formats = new Map(this.history.files.map((f) => [f.report.name, f.report.format]));
    const domains = new DomainKeys(at.settings.textShareSites);
    return alertDetail(alert, index, { formats, isTextShare: (d) => domains.isTextShare(d), uploadMinBytes: at.settings.uploadMinBytes });
  }

  exportJsonLines(gen: number, order: readonly number[]): Export | null {
    const at = this.at(gen);
    return at === null ? null : jsonLinesExport({ alerts: pick(at.detection.alerts, order), settings: at.settings, triage: this.triage });
  }

  exportCsv(gen: number, order: readonly number[]): Export | null {
    const at = this.at(gen);
    return at === null ? null : csvExport({ alerts: pick(at.detection.alerts, order), settings: at.settings, triage: this.triage });
  }

  searchAlerts(gen: number, text: string): number[] | null {
    const at = this.at(gen);
    return at === null ? null : searchAlerts(at.detection.alerts, text);
  }

  async hostActivity(gen: number, index: number, spanMs: number): Promise<HostActivity | null> {
    await this.ready;
    const alert = this.at(gen)?.detection.alerts[index];
    if (alert === undefined) return null;
    if (this.running !== null) throw new Error('a run is in progress; try again when it has finished');
    const span = Math.max(0, spanMs);
    return hostActivity(this.store.runs('host-view'), this.history.runs, {
      host: alert.host, from: alert.firstSeen - span, to: alert.firstSeen + span, around: alert.firstSeen, uploadMinBytes: this.settings.uploadMinBytes,
    });
  }

  /** Several alerts' triage at once (bulk triage), in one transaction. */
  async setTriageMany(changes: readonly TriageChange[]): Promise<Record<string, Triage>> {
    await this.ready;
    const now = new Date().toISOString();
    const out: Record<string, Triage> = {};
    for (const c of changes) {
      if (!TRIAGE_STATUSES.includes(c.status)) throw new Error(`unknown triage status "${String(c.status)}"`);
      const text = c.note.slice(0, MAX_NOTE_CHARS);
      const before = this.triage[c.id];
      out[c.id] = before !== undefined && before.status === c.status && before.note === text ? before : { status: c.status, note: text, changedAt: now };
    }
    await this.store.setTriages(out);
    Object.assign(this.triage, out);
    return out;
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
    const alerts = (this.current?.detection.alerts ?? []).map((a) => toRecord(a, this.settings));
    return exportState(this.store.runs('export'), this.history, this.settings, this.triage, alerts);
  }

  async importState(file: File): Promise<RunOutcome> {
    await this.ready;
    return this.exclusive([], null, async () => {
      const owner = readingKey();
      const runs = this.store.runs(owner);
      let imported;
      try {
        imported = await withReadingLock(owner, () => importState(file, runs));
      } catch (e) {
        if (e instanceof StateError) return refused({ kind: 'state-not-imported', file: file.name, reason: e.message, cause: 'file' });
        if (e instanceof StorageProblem) return refused({ kind: 'state-not-imported', file: file.name, reason: e.message, cause: 'storage' });
        throw e;
      }
      const { header } = imported;
      const next: History = { files: header.files, counts: header.counts, runs: imported.runs, demoLoaded: header.demoLoaded, revision: 0 };
      try {
        next.revision = await this.store.replace(next, header.settings, imported.triage);
      } catch (e) {
        for (const run of imported.runs) await runs.delete(run).catch(() => undefined);
        return refused({ kind: 'state-not-imported', file: file.name, reason: storageProblem(e).message, cause: 'storage' });
      }
      this.history = next;
      this.settings = header.settings;
      this.triage = imported.triage;
      this.notAdded = [];
      const analysis = await this.analyseNow();
      return done(analysis, await this.saveAlerts());
    });
  }

  async importAlerts(file: File): Promise<RunOutcome> {
    await this.ready;
    return this.exclusive([], null, async () => {
      let got: ImportedAlerts;
      try {
        got = parseAlertLines(await file.text());
      } catch (e) {
        if (e instanceof AlertsImportError) return refused({ kind: 'alerts-not-imported', file: file.name, reason: e.message });
        throw e;
      }
      for (const [id, t] of Object.entries(got.triage)) {
        await this.store.setTriage(id, t);
        this.triage[id] = t;
      }
      this.imported = { ...got, source: file.name };
      const analysis = await this.analyseNow();
      return done(analysis, [{ kind: 'imported-alerts', count: got.alerts.length, file: file.name }]);
    });
  }

  async reset(): Promise<RunOutcome> {
    await this.ready;
    return this.exclusive([], null, async () => {
      let revision: number;
      try {
        revision = await this.store.clear();
      } catch (e) {
        return refused({ kind: 'not-deleted', reason: storageProblem(e).message });
      }
      this.history = { ...emptyHistory(), revision };
      this.triage = {};
      this.notAdded = [];
      this.handles.clear();
      this.trafficJoin = null;
      return done(await this.analyseNow());
    });
  }

  private async start(openStore: () => Promise<HistoryStore>): Promise<StorageStatus> {
    let store: HistoryStore;
    try {
      store = await openStore();
    } catch (e) {
      this.store = new MemoryStore({ mode: 'memory', cause: 'no-database', reason: storageProblem(e).message });
      await this.analyseNow();
      return this.store.status;
    }
    try {
      const stored = await store.load();
      this.store = store;
      this.history = stored.history;
      if (stored.settings !== null) this.settings = stored.settings;
      this.triage = stored.triage;
      await this.analyseNow();
      if (stored.settingsProblem) {
        this.startNotices.push({ kind: 'settings-not-used', reason: stored.settingsProblem });
      }
      // Alerts are worked out from the events, so ones missing or stale (a tab closed between a commit and its alerts) are made again.
      if (!stored.alertsCurrent && this.history.files.length > 0) this.startNotices.push(...(await this.saveAlerts()));
    } catch (e) {
      store.close();
      this.store = new MemoryStore({ mode: 'memory', cause: 'unreadable', reason: storageProblem(e).message });
      this.history = emptyHistory();
      await this.analyseNow();
    }
    return this.store.status;
  }

  private poolFor(settings: Settings): ReturnType<PoolFactory> {
    this.pool ??= this.makePool(settings);
    this.pool.settings = settings;
    return this.pool;
  }

  /**
   * One run at a time. `inputs` are what the progress lists; the work gets
   * the abort signal and the progress reporter. A cancel ends as `cancelled`
   * with the analysis of what was added before it.
   */
  private async exclusive(
    inputs: Input[], onProgress: ProgressCallback | null, work: (signal: AbortSignal, progress: RunProgressReporter) => Promise<RunOutcome>,
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
        return { status: 'cancelled', analysis: null, notices: [], files: null };
      }
      throw e;
    } finally {
      progress.stop();
      this.running = null;
    }
  }

  private addInputs(inputs: Input[], onProgress: ProgressCallback): Promise<RunOutcome> {
    return this.ready.then(() =>
      this.exclusive(inputs, onProgress, async (signal, progress) => {
        const owner = readingKey();
        const runs = this.store.runs(owner);
        let reading: Reading;
        try {
          reading = await withReadingLock(owner, () =>
            readInputs({
              inputs, owner, settings: this.settings, known: this.history.files.map((f) => f.report), store: runs,
              pool: this.poolFor(this.settings), signal, progress,
            }),
          );
        } catch (e) {
          if (!(e instanceof ReadingFailed)) throw e;
          if (!(e.reason instanceof StorageProblem)) throw e.reason;
          progress.finished(e.index, e.reason.message);
          return notSaved(inputs, e.reason, []);
        }
        const duplicates: Duplicate[] = [];
        for (const { index, report } of reading.notAdded) {
          this.notAdded.push(report);
          if (report.duplicateOf !== null) {
            duplicates.push({ name: report.name, of: report.duplicateOf });
            this.keepHandle(inputs[index], report);
          }
        }
        if (reading.join !== null) this.trafficJoin = reading.join;
        progress.analysing();
        await nextTask();
        let committed: Reading;
        try {
          committed = await this.commit(reading, runs, duplicates, progress);
        } catch (e) {
          if (!(e instanceof StorageProblem)) throw e;
          for (const run of reading.runs) await runs.delete(run).catch(() => undefined);
          for (const a of reading.added) progress.finished(a.index, e.message);
          return notSaved(inputs, e, duplicates);
        }
        for (const a of committed.added) {
          progress.finished(a.index, null);
          this.keepHandle(inputs[a.index], a.entry.report);
        }
        const added = committed.added.length > 0;
        const analysis = added || !reading.cancelled ? await this.analyseNow() : null;
        const notices = added ? await this.saveAlerts() : [];
        const notRead = reading.notAdded.filter((n) => n.report.error !== null).map((n) => ({ name: n.report.name, error: n.report.error! }));
        const files: FilesRead = { added: committed.added.length, duplicates, notRead };
        if (reading.cancelled) return { status: 'cancelled', analysis, notices, files };
        return done(analysis ?? (await this.analyseNow()), notices, files);
      }),
    );
  }

  /**
   * Commits a reading's files in one transaction. Files another tab added
   * meanwhile are taken out of the runs first (they are repeats now).
   */
  private async commit(reading: Reading, runs: RunStore, duplicates: Duplicate[], progress: RunProgressReporter): Promise<Reading> {
    let current = reading;
    for (let attempt = 1; ; attempt++) {
      if (current.added.length === 0) {
        for (const run of current.runs) await runs.delete(run);
        return current;
      }
      const result = await this.store.commit({
        files: current.added.map((a) => a.entry), runs: current.runs, counts: current.counts, events: current.events,
      });
      if (result.status === 'committed') {
        const h = this.history;
        if (result.before !== h.revision) {
          // Another tab wrote in between: what is stored now is ours plus theirs.
          this.history = (await this.store.load()).history;
          return current;
        }
        for (const a of current.added) h.files.push(a.entry);
        addCounts(h.counts, current.counts);
        h.runs.push(...current.runs);
        h.demoLoaded ||= current.added.some((a) => a.entry.demo);
        h.revision = result.revision;
        return current;
      }
      if (attempt === COMMIT_ATTEMPTS) {
        throw new StorageProblem('other', 'the stored history kept changing in another tab while these files were being saved; try again');
      }
      // Another tab added some of these files: drop their events and take the stored history as it is now.
      const repeats = new Map(result.files.map((f) => [f.key, f.of]));
      const keep = current.added.filter((a) => !repeats.has(a.entry.key));
      const counts = emptyCounts();
      for (const a of keep) addCounts(counts, a.entry.report.counts);
      for (const a of current.added) {
        const of = repeats.get(a.entry.key);
        if (of === undefined) continue;
        a.entry.report.duplicateOf = of;
        duplicates.push({ name: a.entry.report.name, of });
        this.notAdded.push(a.entry.report);
        progress.finished(a.index, null, of);
      }
      const kept = await withoutFiles(runs, current.runs, new Set(repeats.keys()));
      current = { ...current, added: keep, runs: kept, counts, events: kept.reduce((n, r) => n + r.count, 0) };
      this.history = (await this.store.load()).history;
    }
  }

  /** The same content under any name serves to read the history again. */
  private keepHandle(input: Input, report: FileReport): void {
    if (input.file !== null && report.fingerprint !== null) this.handles.set(report.fingerprint, input.file);
  }

  /** Detection over every stored event, streamed from the runs (or the imported alerts, while they are shown). */
  private async analyseNow(): Promise<Analysis> {
    const { detection, coverage } = await analyseHistory(this.store.runs('analysis'), this.history, this.settings);
    if (this.imported !== null) {
      const alerts = [...this.imported.alerts].sort(compareAlerts);
      const shown: Detection = { alerts, dataStart: null, activeFrom: null, inactiveEvents: 0, suppressed: [] };
      this.current = { generation: ++this.generation, detection: shown, settings: this.imported.settings, coverage };
      return this.view();
    }
    this.current = { generation: ++this.generation, detection, settings: this.settings, coverage };
    return this.view();
  }

  /** Saves the current alerts; a failure is worth a word but loses nothing (they are made again from the events). */
  private async saveAlerts(): Promise<Notice[]> {
    if (this.current === null || this.imported !== null) return [];
    try {
      const records = this.current.detection.alerts.map((a) => toRecord(a, this.settings));
      await this.store.saveAnalysis(this.history.revision, records, this.settings, this.current.coverage);
      return [];
    } catch (e) {
      return [{ kind: 'alerts-not-saved', reason: storageProblem(e).message }];
    }
  }

  private view(): Analysis {
    const current = this.current!;
    const filesNotHeld = this.history.files.filter(
      (f) => !f.demo && (f.report.fingerprint === null || !this.handles.has(f.report.fingerprint)),
    ).length;
    return analysisView(current.generation, this.history, current.detection, current.settings, {
      notAdded: this.notAdded, triage: this.triage, filesNotHeld, coverage: current.coverage, trafficJoin: this.trafficJoin,
      events: eventCount(this.history), importedAlerts: this.imported?.source ?? null,
    });
  }

  private at(gen: number): Workspace['current'] {
    return this.current !== null && this.current.generation === gen ? this.current : null;
  }
}

/** The alerts at `order`, in that order (indexes no longer there are passed over). */
function pick<T>(alerts: readonly T[], order: readonly number[]): T[] {
  const out: T[] = [];
  for (const i of order) if (Number.isInteger(i) && i >= 0 && i < alerts.length) out.push(alerts[i]);
  return out;
}
