import type { ImportedAlerts } from '../core/alerts/import';
import type { Coverage } from '../core/detect/coverage';
import type { ProcessBook } from './hostProcesses';
import { compareAlerts, type Alert, type Detection } from '../core/alerts/alert';
import { DomainKeys } from '../core/classify/domain';
import type { FileReport } from '../core/ingest/report';
import { checkSuppression, type Settings, type Suppression } from '../core/settings/settings';
import { suppressionFor } from '../core/alerts/suppress';
import type { Triage } from '../core/alerts/triage';
import { searchAlerts } from './alertSearch';
import { analyseHistory } from './analysis';
import type { AlertDetail, Analysis, Export, SuppressedAlert } from './api';
import { csvExport, jsonLinesExport } from './exports';
import { eventCount, type History } from './history';
import type { HistoryStore } from './store';
import { alertDetail, alertSummary, analysisView } from './views';

/** One analysis as the page was shown it; requests name it by generation. */
interface Shown {
  generation: number;
  detection: Detection;
  /** The settings that made the alerts (the imported alerts' own, while they are shown). */
  settings: Settings;
  coverage: Coverage;
  /** Every host's processes, from the history's own detection (imported alerts have none of their own). */
  processes: ProcessBook;
  /** What stitching did (null without endpoint records, and while imported alerts are shown). */
  stitch: Analysis['stitch'];
  /** The history's alerts its suppression list left out (none while imported alerts are shown). */
  hidden: readonly Alert[];
}

/** What the view of an analysis shows besides its alerts. */
export interface ViewContext {
  history: History;
  /** Files of this visit that failed or repeated an added one. */
  notAdded: FileReport[];
  triage: Record<string, Triage>;
  filesNotHeld: number;
  trafficJoin: Analysis['trafficJoin'];
}

/** The alerts at `order`, in that order (indexes no longer there are passed over). */
function pick<T>(alerts: readonly T[], order: readonly number[]): T[] {
  const out: T[] = [];
  for (const i of order) if (Number.isInteger(i) && i >= 0 && i < alerts.length) out.push(alerts[i]);
  return out;
}

/**
 * The results the page is shown: the history's own detection or, until the
 * next run, alerts detected elsewhere (an engine over more logs than a tab
 * holds). Each analysis gets a new generation; detail, export and search
 * answer only for the current one, so the page never mixes two.
 * Imported alerts are held in memory only: after a reload the file is
 * imported again, and the triage given meanwhile (saved by alert id) comes
 * back with it.
 */
export class ShownResults {
  private current: Shown | null = null;
  private generation = 0;
  private imported: (ImportedAlerts & { source: string }) | null = null;

  /** Shows `got` from the next analysis on, in place of the history's own alerts. */
  showImported(got: ImportedAlerts, source: string): void {
    this.imported = { ...got, source };
  }

  /** Back to the history's own alerts from the next analysis on (every run does this). */
  dropImported(): void {
    this.imported = null;
  }

  /** Detection over every stored event, streamed from the runs (or the imported alerts, while they are shown). */
  async analyse(store: HistoryStore, history: History, settings: Settings): Promise<void> {
    const { detection, coverage, hidden, stitch, processes } = await analyseHistory(store.runs('analysis'), history, settings);
    if (this.imported !== null) {
      const alerts = [...this.imported.alerts].sort(compareAlerts);
      const shown: Detection = { alerts, dataStart: null, activeFrom: null, inactiveEvents: 0, suppressed: [] };
      this.current = {
        generation: ++this.generation,
        detection: shown,
        settings: this.imported.settings,
        coverage,
        hidden: [],
        processes,
        stitch: null,
      };
    } else {
      this.current = { generation: ++this.generation, detection, settings, coverage, hidden, processes, stitch };
    }
  }

  /** The history's own alerts and coverage, to save; null while imported ones are shown (they are not this history's). */
  own(): { alerts: readonly Alert[]; coverage: Coverage } | null {
    if (this.current === null || this.imported !== null) return null;
    return { alerts: this.current.detection.alerts, coverage: this.current.coverage };
  }

  /** The alerts shown now, whatever their generation. */
  alerts(): readonly Alert[] {
    return this.current?.detection.alerts ?? [];
  }

  view(ctx: ViewContext): Analysis {
    const current = this.current;
    if (current === null) throw new Error('nothing was analysed yet');
    return analysisView(current.generation, ctx.history, current.detection, current.settings, {
      notAdded: ctx.notAdded,
      triage: ctx.triage,
      filesNotHeld: ctx.filesNotHeld,
      coverage: current.coverage,
      trafficJoin: ctx.trafficJoin,
      stitch: current.stitch,
      events: eventCount(ctx.history),
      importedAlerts: this.imported?.source ?? null,
    });
  }

  alert(generation: number, index: number): Alert | undefined {
    return this.at(generation)?.detection.alerts[index];
  }

  /** A host's processes as the analysis of `generation` saw them; undefined when that generation is gone. */
  hostProcesses(generation: number, host: string): ReturnType<ProcessBook['of']> | undefined {
    const at = this.at(generation);
    return at === null ? undefined : at.processes.of(host);
  }

  detail(generation: number, index: number, history: History): AlertDetail | null {
    const at = this.at(generation);
    const alert = at?.detection.alerts[index];
    if (at === null || alert === undefined) return null;
    const formats = new Map(history.files.map((f) => [f.report.name, f.report.format]));
    const domains = new DomainKeys(at.settings.textShareSites);
    return alertDetail(alert, index, {
      formats,
      isTextShare: (d) => domains.isTextShare(d),
      uploadMinBytes: at.settings.uploadMinBytes,
    });
  }

  exportJsonLines(generation: number, order: readonly number[], triage: Record<string, Triage>): Export | null {
    const at = this.at(generation);
    return at === null ? null : jsonLinesExport({ alerts: pick(at.detection.alerts, order), settings: at.settings, triage });
  }

  exportCsv(generation: number, order: readonly number[], triage: Record<string, Triage>): Export | null {
    const at = this.at(generation);
    return at === null ? null : csvExport({ alerts: pick(at.detection.alerts, order), settings: at.settings, triage });
  }

  search(generation: number, text: string): number[] | null {
    const at = this.at(generation);
    return at === null ? null : searchAlerts(at.detection.alerts, text);
  }

  suppressionPreview(generation: number, entry: Suppression): SuppressedAlert[] | null {
    const at = this.at(generation);
    if (at === null) return null;
    const one = [checkSuppression(entry, 0)];
    return at.detection.alerts.filter((a) => suppressionFor(one, a.host, a.client, a.domain) === 0).map(suppressedAlert);
  }

  suppressedAlerts(generation: number): SuppressedAlert[][] | null {
    const at = this.at(generation);
    if (at === null) return null;
    const list = at.settings.suppress;
    const out: SuppressedAlert[][] = list.map(() => []);
    for (const a of at.hidden) out[suppressionFor(list, a.host, a.client, a.domain)]?.push(suppressedAlert(a));
    return out;
  }

  private at(generation: number): Shown | null {
    return this.current !== null && this.current.generation === generation ? this.current : null;
  }
}

function suppressedAlert(a: Alert): SuppressedAlert {
  const { index: _index, ...rest } = alertSummary(a, -1);
  return rest;
}
