import type { ParsePool } from '../core/ingest/coordinator';
import type { FileReport } from '../core/ingest/report';
import type { Settings } from '../core/settings/settings';
import { StorageProblem } from '../db/problems';
import type { Duplicate, FilesRead, NotSaved } from './api';
import { nextTask } from './chunks';
import { commitReading } from './commitReading';
import type { FileHandles } from './fileHandles';
import type { History } from './history';
import type { Input } from './inputs';
import type { RunProgressReporter } from './progress';
import { readInputs, ReadingFailed, type Reading } from './reading';
import { readingKey, withReadingLock } from './runLock';
import type { HistoryStore } from './store';

export interface DropRequest {
  store: HistoryStore;
  history: History;
  settings: Settings;
  inputs: readonly Input[];
  pool: ParsePool;
  /** Where the files read are kept, to read the history again under new settings. */
  handles: FileHandles;
  signal: AbortSignal;
  progress: RunProgressReporter;
}

interface DropFacts {
  /** Files of the drop that failed or repeat an added one: shown, never stored. */
  notAdded: FileReport[];
  /** The drop's TRAFFIC join, when it had TRAFFIC rows. */
  join: Reading['join'];
}

export type Drop =
  /** `history`: with the files added; `cancelled`: a cancel stopped the reading, after `files.added` files. */
  | (DropFacts & { status: 'read'; history: History; files: FilesRead; cancelled: boolean })
  /** Saving failed: nothing of the drop was added. */
  | (DropFacts & { status: 'stopped'; notSaved: NotSaved; duplicates: Duplicate[] });

/** A drop is saved whole or not at all: a failure to save takes all of it. */
function notSaved(inputs: readonly Input[], e: StorageProblem): NotSaved {
  const sizes = inputs.map((i) => i.size);
  const bytes = sizes.includes(null) ? null : sizes.reduce<number>((n, s) => n + s!, 0);
  return { names: inputs.map((i) => i.name), bytes, reason: e.message };
}

/**
 * Reads dropped files (or the demo) into the history: parsed in parallel
 * into pending runs, then committed in one transaction. A file whose
 * content was added before, under any name, adds nothing.
 */
export async function readDrop(r: DropRequest): Promise<Drop> {
  const owner = readingKey();
  const runs = r.store.runs(owner);
  const { inputs, progress } = r;
  let reading: Reading;
  try {
    reading = await withReadingLock(owner, () =>
      readInputs({
        inputs,
        owner,
        settings: r.settings,
        known: r.history.files.map((f) => f.report),
        store: runs,
        pool: r.pool,
        signal: r.signal,
        progress,
        historyHasEndpoints: r.history.runs.some((run) => run.kind === 'endpoint'),
      }),
    );
  } catch (e) {
    if (!(e instanceof ReadingFailed)) throw e;
    if (!(e.reason instanceof StorageProblem)) throw e.reason;
    progress.finished(e.index, e.reason.message);
    return { status: 'stopped', notSaved: notSaved(inputs, e.reason), duplicates: [], notAdded: [], join: null };
  }
  const notAdded: FileReport[] = [];
  const duplicates: Duplicate[] = [];
  for (const { index, report } of reading.notAdded) {
    notAdded.push(report);
    if (report.duplicateOf !== null) {
      duplicates.push({ name: report.name, of: report.duplicateOf });
      r.handles.keep(inputs[index], report);
    }
  }
  progress.analysing();
  await nextTask();
  let committed: Awaited<ReturnType<typeof commitReading>>;
  try {
    committed = await commitReading(r.store, r.history, reading, runs, (a, of) => {
      duplicates.push({ name: a.entry.report.name, of });
      notAdded.push(a.entry.report);
      progress.finished(a.index, null, of);
    });
  } catch (e) {
    if (!(e instanceof StorageProblem)) throw e;
    for (const run of reading.runs) await runs.delete(run).catch(() => undefined);
    for (const a of reading.added) progress.finished(a.index, e.message);
    return { status: 'stopped', notSaved: notSaved(inputs, e), duplicates, notAdded, join: reading.join };
  }
  for (const a of committed.reading.added) {
    progress.finished(a.index, null);
    r.handles.keep(inputs[a.index], a.entry.report);
  }
  const notRead = reading.notAdded
    .filter((n) => n.report.error !== null)
    .map((n) => ({ name: n.report.name, error: n.report.error! }));
  return {
    status: 'read',
    history: committed.history,
    cancelled: reading.cancelled,
    notAdded,
    join: reading.join,
    files: { added: committed.reading.added.length, duplicates, notRead },
  };
}
