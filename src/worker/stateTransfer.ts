import { eventAt, type CompactEvent } from '../core/events/columns';
import { joinTraffic } from '../core/pipeline/pipeline';
import { errorMessage } from '../core/util/errorMessage';
import { mergeSources, runSource } from '../core/runs/merge';
import type { RunRef, RunStore } from '../core/runs/runStore';
import { SortedRunWriter } from '../core/runs/runWriter';
import { isGzip } from '../core/util/gzip';
import type { AlertRecord } from '../core/alerts/record';
import type { Settings } from '../core/settings/settings';
import { legacyState, StateError } from '../core/state/state';
import { type Triage } from '../core/alerts/triage';
import {
  alertLine,
  endLine,
  eventLine,
  headerLine,
  StateEventCoder,
  StateReader,
  textLines,
  triageLine,
} from '../core/state/stateLines';
import { type StateHeader } from '../core/state/state';
import type { Export } from './api';
import type { History } from './history';

/** `offbrowse-state-2026-10-20.jsonl.gz`. */
function stateFileName(now = new Date()): string {
  return `offbrowse-state-${now.toISOString().slice(0, 10)}.jsonl.gz`;
}

/** Lines are gathered to about this many characters, then compressed. */
const FLUSH_CHARS = 1 << 20;

/**
 * The state file (core/state/stateLines.ts, the CLI's `--state` format) as a Blob,
 * written as the history's runs stream past: the lines are compressed a
 * megabyte at a time, and only the compressed parts are kept.
 */
export async function exportState(
  store: RunStore,
  history: History,
  settings: Settings,
  triage: Record<string, Triage>,
  alerts: readonly AlertRecord[],
  now = new Date(),
): Promise<Export> {
  const gzip = new CompressionStream('gzip');
  const writer = gzip.writable.getWriter();
  const parts: Uint8Array[] = [];
  const collected = (async () => {
    const reader = gzip.readable.getReader();
    for (;;) {
      const next = await reader.read();
      if (next.done) return;
      parts.push(next.value);
    }
  })();
  const encoder = new TextEncoder();
  let lines: string[] = [];
  let size = 0;
  const flush = async (): Promise<void> => {
    if (lines.length === 0) return;
    const text = lines.join('');
    lines = [];
    size = 0;
    await writer.ready;
    await writer.write(encoder.encode(text));
  };
  const line = (text: string): void => {
    lines.push(text, '\n');
    size += text.length + 1;
  };
  const sources = () => history.runs.map((r) => runSource(store, r));
  // With endpoint records the file holds the events as detection sees them (stitched, endpoint-only events made,
  // events kept only for stitching gone), as the CLI's --state writes them: a first pass counts them for the header.
  const stitched = history.runs.some((r) => r.kind === 'endpoint');
  let events = 0;
  if (stitched) await joinTraffic(sources(), settings, { event: () => events++ });
  else events = history.runs.reduce((n, r) => n + r.count, 0);
  const header: StateHeader = {
    savedAt: now.toISOString(),
    settings,
    counts: history.counts,
    files: history.files,
    demoLoaded: history.demoLoaded,
    events,
  };
  line(headerLine(header));
  const sink = {
    event: (e: CompactEvent) => line(eventLine(e)),
    drain: async () => {
      if (size >= FLUSH_CHARS) await flush();
    },
  };
  if (stitched) await joinTraffic(sources(), settings, sink);
  else await mergeSources(sources(), sink);
  for (const [id, t] of Object.entries(triage)) line(triageLine(id, t));
  for (const a of alerts) line(alertLine(a));
  line(endLine(events));
  await flush();
  await writer.close();
  await collected;
  return {
    blob: new Blob(parts as BlobPart[], { type: 'application/gzip' }),
    fileName: stateFileName(now),
    alerts: alerts.length,
  };
}

export interface ImportedState {
  header: StateHeader;
  triage: Record<string, Triage>;
  /** Pending runs holding its events. */
  runs: RunRef[];
}

async function firstBytes(file: Blob): Promise<Uint8Array> {
  return new Uint8Array(await file.slice(0, 2).arrayBuffer());
}

async function* gunzipped(file: Blob): AsyncIterable<Uint8Array> {
  const reader = file.stream().pipeThrough(new DecompressionStream('gzip')).getReader();
  for (;;) {
    const next = await reader.read();
    if (next.done) return;
    yield next.value;
  }
}

/**
 * Reads a state file into pending runs of `store`: version 2 (gzip JSON
 * lines) as a stream, version 1 (one JSON object, from earlier builds) whole.
 * Throws a StateError saying what is wrong; nothing is left in the store then.
 */
export async function importState(file: Blob, store: RunStore): Promise<ImportedState> {
  const writer = new SortedRunWriter(store);
  try {
    if (isGzip(await firstBytes(file))) {
      const reader = await StateReader.open(textLines(gunzipped(file)));
      for await (const block of reader.blocks()) {
        for (let i = 0; i < block.count; i++) writer.push(eventAt(block, i));
        await writer.drain();
      }
      await reader.finish();
      const run = await writer.finish();
      return { header: reader.header, triage: reader.triage, runs: run === null ? [] : [run] };
    }
    let json: unknown;
    try {
      json = JSON.parse(await file.text());
    } catch (e) {
      throw new StateError(`not a state file: it is not gzip-compressed, and not valid JSON either (${errorMessage(e)})`);
    }
    const legacy = legacyState(json);
    const coder = new StateEventCoder(legacy.header.settings);
    const push = (block: ReturnType<StateEventCoder['take']>): void => {
      for (let i = 0; i < block.count; i++) writer.push(eventAt(block, i));
    };
    for (let i = 0; i < legacy.events.length; i++) {
      const block = coder.add(legacy.events[i], i + 1);
      if (block !== null) {
        push(block);
        await writer.drain();
      }
    }
    push(coder.take());
    const run = await writer.finish();
    return { header: legacy.header, triage: legacy.triage, runs: run === null ? [] : [run] };
  } catch (e) {
    await writer.abort().catch(() => undefined);
    if (e instanceof StateError) throw e;
    // A stream that is not gzip after all, or bytes that are not UTF-8.
    if (e instanceof TypeError) throw new StateError(`the file could not be read as a state file (${e.message})`);
    throw e;
  }
}
