import type { ParsePool } from '../core/ingest/coordinator';
import { IngestCancelled } from '../core/ingest/report';
import type { Settings } from '../core/settings/settings';
import { StorageProblem, storageProblem } from '../db/problems';
import type { Refusal } from './api';
import { nextTask } from './chunks';
import type { FileHandles } from './fileHandles';
import type { History } from './history';
import { demoFormOf, demoInputs, fileInputs, type Input } from './inputs';
import type { RunProgressReporter } from './progress';
import { readInputs, ReadingFailed, type Reading } from './reading';
import { readingKey, withReadingLock } from './runLock';
import type { HistoryStore } from './store';

/**
 * What reading the whole history again takes: every file, the demo made
 * again in the form it was loaded in (the manifest's formats say which),
 * the others from this tab's handles. Refused, naming them, when some were
 * added on an earlier visit and are not open in this tab.
 */
export function rereadInputs(
  history: History,
  handles: FileHandles,
): { inputs: Input[]; demoLoaded: boolean } | { refusal: Refusal } {
  const inputs: Input[] = [];
  const missing: string[] = [];
  const form = demoFormOf(history.files);
  if (form !== null) inputs.push(...demoInputs(form));
  for (const f of history.files) {
    if (f.demo) continue;
    const file = handles.get(f);
    if (file === undefined) missing.push(f.report.name);
    else inputs.push(...fileInputs([file]));
  }
  return missing.length > 0 ? { refusal: { kind: 'files-not-held', names: missing } } : { inputs, demoLoaded: form !== null };
}

export interface RereadRequest {
  store: HistoryStore;
  /** From rereadInputs, with whether the demo is among them. */
  inputs: readonly Input[];
  demoLoaded: boolean;
  /** The settings to read under: the lists and the time zone decide while reading. */
  settings: Settings;
  pool: ParsePool;
  signal: AbortSignal;
  progress: RunProgressReporter;
}

/**
 * Reads the history again under new settings into new runs, and replaces
 * the stored history with them in one transaction: until then the old one
 * stays, and on any failure it stays as it was (the refusal says why). A
 * cancel throws IngestCancelled, leaving nothing behind.
 */
export async function rereadHistory(
  r: RereadRequest,
): Promise<{ history: History; join: Reading['join'] } | { refusal: Refusal }> {
  const owner = readingKey();
  const runs = r.store.runs(owner);
  const { progress } = r;
  let reading: Reading;
  try {
    reading = await withReadingLock(owner, () =>
      readInputs({
        inputs: r.inputs,
        owner,
        settings: r.settings,
        known: [],
        store: runs,
        pool: r.pool,
        signal: r.signal,
        progress,
      }),
    );
  } catch (e) {
    if (!(e instanceof ReadingFailed)) throw e;
    if (!(e.reason instanceof StorageProblem)) throw e.reason;
    return { refusal: { kind: 'settings-not-applied', reason: e.reason.message } };
  }
  const failed = reading.notAdded.find((n) => n.report.error !== null);
  if (reading.cancelled || failed !== undefined) {
    for (const run of reading.runs) await runs.delete(run);
    if (reading.cancelled) throw new IngestCancelled();
    return { refusal: { kind: 'file-not-read-again', name: failed!.report.name, reason: failed!.report.error! } };
  }
  progress.analysing();
  await nextTask();
  const history: History = {
    files: reading.added.map((a) => a.entry),
    counts: reading.counts,
    runs: reading.runs,
    demoLoaded: r.demoLoaded,
    revision: 0,
  };
  try {
    history.revision = await r.store.replace(history, r.settings, null);
  } catch (e) {
    for (const run of reading.runs) await runs.delete(run).catch(() => undefined);
    return { refusal: { kind: 'settings-not-applied', reason: storageProblem(e).message } };
  }
  for (const a of reading.added) progress.finished(a.index, null);
  return { history, join: reading.join };
}
