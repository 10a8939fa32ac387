import * as Comlink from 'comlink';
import { analyse } from '../core/analyse';
import type { Detection } from '../core/detector';
import { generate } from '../core/generate/index';
import { fflateInflate, type Inflate } from '../core/gzip';
import { Ingest, IngestCancelled } from '../core/ingest';
import { resolveSettings, type Settings } from '../core/settings';
import type { Export, IngestApi, ProgressCallback, RunOutcome } from './api';
import { blobChunks, nextTask, textChunks } from './chunks';
import { csvExport, jsonLinesExport } from './exports';
import { emptyHistory, mergeHistory, type History } from './history';
import { hasPlatformGunzip, platformInflate } from './platformInflate';
import { PROGRESS_EVERY_MS, RunProgressReporter } from './progress';
import { alertDetail, analysisView } from './views';

/** One thing to read: a dropped file or a generated demo file. */
interface Input {
  name: string;
  size: number | null;
  chunks(): AsyncIterable<Uint8Array>;
}

/** The history read so far, kept for the page's life so new settings need not read the files again. */
let history: History = emptyHistory();
let current: { generation: number; detection: Detection; settings: Settings } | null = null;
let generation = 0;
let running: AbortController | null = null;

function fileInputs(files: readonly File[]): Input[] {
  return files.map((f) => ({ name: f.name, size: f.size, chunks: () => blobChunks(f) }));
}

function demoInputs(): Input[] {
  return generate().files.map((f) => ({ name: f.name, size: null, chunks: () => textChunks(f.chunks()) }));
}

/** Reads one input into a history of its own, so a failed or cancelled read touches nothing else. */
async function readInput(
  input: Input, i: number, settings: Settings, signal: AbortSignal, progress: RunProgressReporter,
): Promise<History> {
  const attempt = async (inflate: Inflate): Promise<History> => {
    const ingest = new Ingest(settings);
    await ingest.addFile(input.name, input.chunks(), {
      size: input.size, signal, inflate, progressEveryMs: PROGRESS_EVERY_MS,
      onProgress: (p) => progress.reading(i, p),
    });
    return { collected: ingest.result, demoLoaded: false };
  };

  let platformFailed = false;
  let own = await attempt(hasPlatformGunzip() ? platformInflate(() => (platformFailed = true)) : fflateInflate);
  if (platformFailed && own.collected.files[0]?.error != null && !signal.aborted) {
    progress.restart(i);
    own = await attempt(fflateInflate);
  }
  progress.finished(i, own.collected.files[0]?.error ?? null);
  return own;
}

/**
 * Reads `inputs` into a new history (on top of `base`, or from scratch), then
 * analyses it. The new history replaces the current one only when the run
 * completes, so a cancel at any point leaves everything as it was.
 */
async function run(
  inputs: Input[], base: History | null, demo: boolean, settingsInput: Settings, onProgress: ProgressCallback,
): Promise<RunOutcome> {
  if (running !== null) throw new Error('another run is in progress');
  const settings = resolveSettings(settingsInput);
  const controller = new AbortController();
  const { signal } = controller;
  running = controller;
  const progress = new RunProgressReporter(inputs, onProgress);
  progress.flush();
  try {
    const read = emptyHistory();
    for (let i = 0; i < inputs.length; i++) {
      if (signal.aborted) throw new IngestCancelled();
      mergeHistory(read, await readInput(inputs[i], i, settings, signal, progress));
    }
    read.demoLoaded ||= demo;
    progress.analysing();
    await nextTask();
    if (signal.aborted) throw new IngestCancelled();

    const next = emptyHistory();
    if (base !== null) mergeHistory(next, base);
    mergeHistory(next, read);
    return commit(next, settings);
  } catch (e) {
    if (e instanceof IngestCancelled || signal.aborted) {
      progress.cancelled();
      return { status: 'cancelled' };
    }
    throw e;
  } finally {
    progress.stop();
    running = null;
    // The page made a fresh callback proxy for this run; free its message port.
    (onProgress as Partial<Comlink.Remote<ProgressCallback>>)[Comlink.releaseProxy]?.();
  }
}

function commit(next: History, settings: Settings): RunOutcome {
  const detection = analyse(next.collected, settings);
  history = next;
  current = { generation: ++generation, detection, settings };
  return { status: 'done', analysis: analysisView(generation, history, detection, settings) };
}

function currentAt(gen: number): NonNullable<typeof current> | null {
  return current !== null && current.generation === gen ? current : null;
}

const api: IngestApi = {
  addFiles(files, settings, onProgress) {
    return run(fileInputs(files), history, false, settings, onProgress);
  },

  addDemo(settings, onProgress) {
    return run(demoInputs(), history, true, settings, onProgress);
  },

  rebuild(files, demo, settings, onProgress) {
    const inputs = [...(demo ? demoInputs() : []), ...fileInputs(files)];
    return run(inputs, null, demo, settings, onProgress);
  },

  async reanalyse(settingsInput) {
    if (running !== null) throw new Error('another run is in progress');
    return commit(history, resolveSettings(settingsInput));
  },

  cancel() {
    running?.abort();
  },

  async detail(gen, index) {
    const at = currentAt(gen);
    const alert = at?.detection.alerts[index];
    return alert === undefined ? null : alertDetail(alert, index);
  },

  async exportJsonLines(gen): Promise<Export | null> {
    const at = currentAt(gen);
    return at === null ? null : jsonLinesExport(at.detection.alerts, at.settings);
  },

  async exportCsv(gen): Promise<Export | null> {
    const at = currentAt(gen);
    return at === null ? null : csvExport(at.detection.alerts, at.settings);
  },
};

Comlink.expose(api);
