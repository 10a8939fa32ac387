import type { RunRef, RunStore } from '../core/runs/runStore';
import { fflateInflate, type Inflate } from '../core/util/gzip';
import { errorMessage } from '../core/util/errorMessage';
import { mapFiles, type MapInput, type MapSink, type ParsePool } from '../core/ingest/coordinator';
import { HEAD_BYTES, mayStitch } from '../core/ingest/endpointHead';
import { blobChunks } from './chunks';
import { IngestCancelled, type FileReport } from '../core/ingest/report';
import { RunBuilder } from '../core/ingest/runBuilder';
import type { Settings } from '../core/settings/settings';
import type { ManifestEntry } from '../core/state/state';
import type { Counts } from '../core/sources/counts';
import { addedCounts, isAdded, joinHeld, joinTrafficRuns } from '../core/pipeline/pipeline';
import type { Input } from './inputs';
import { hasPlatformGunzip, platformInflate } from './platformInflate';
import { PROGRESS_EVERY_MS, type RunProgressReporter } from './progress';

/** Reading stopped on an error while file `index` was being read (storage full, say): nothing of the reading is kept. */
export class ReadingFailed extends Error {
  constructor(
    readonly index: number,
    readonly reason: unknown,
  ) {
    super(errorMessage(reason));
    this.name = 'ReadingFailed';
  }
}

export interface ReadRequest {
  inputs: readonly Input[];
  /** A key for the reading, unique in the history: its files' keys start with it. */
  owner: string;
  settings: Settings;
  /** The files added before: one with the same content is a repeat and adds nothing. */
  known: readonly FileReport[];
  store: RunStore;
  pool: ParsePool;
  signal: AbortSignal;
  progress: RunProgressReporter;
  /** The history holds endpoint records: the drop's events kept only for stitching stay (pipeline joinTrafficRuns). */
  historyHasEndpoints?: boolean;
}

/** What a reading produced: files read to the end, their events in pending runs of the store. */
export interface Reading {
  /** The files to add, each with its index among the inputs. */
  added: { index: number; entry: ManifestEntry }[];
  /** Files that could not be read, or repeat one already added (report.duplicateOf), with their index. */
  notAdded: { index: number; report: FileReport }[];
  /** Pending runs holding the added files' events, after the TRAFFIC join. */
  runs: RunRef[];
  counts: Counts;
  events: number;
  /** A cancel stopped the reading: `added` are the files finished before it. */
  cancelled: boolean;
  join: { joined: number; unmatched: number } | null;
}

/**
 * Whether a file the platform's gunzip failed on is read again with fflate:
 * one it refused for a second gzip member (Chromium: "Junk found after end of
 * compressed data"), which fflate reads; and one cut short, which fflate
 * reads up to the cut (Chromium keeps back its last output, so only fflate
 * can say after how many lines it ends). Not one it found damaged: fflate,
 * which checks no CRC, would read the damage as text.
 */
function readAgainWithFflate(e: unknown): boolean {
  const text = errorMessage(e);
  return /truncat|unexpected end/i.test(text) || !/not valid|incorrect|invalid/i.test(text);
}

/**
 * Reads inputs into pending runs: the map (parts of files parsed in parallel
 * by the pool), then, when TRAFFIC rows were among them, the join of their
 * bytes to the URL events. A cancel keeps the files read to the end and
 * drops the one being read. Gzip goes through the platform's gunzip; a file
 * it refuses for holding several gzip members (Chromium does), or finds cut
 * short, is read again with fflate (readAgainWithFflate).
 */
export async function readInputs(r: ReadRequest): Promise<Reading> {
  const builder = new RunBuilder(r.store);
  const reports = new Map<number, FileReport>();
  const platformFailed = new Set<number>();
  const sink = (offset: number, failures: Set<number> | null): MapSink => ({
    events: (i, events, lineOffset) => builder.events(i + offset, events, lineOffset),
    traffic: (i, traffic) => builder.traffic(i + offset, traffic),
    endpoints: (i, records) => builder.endpoints(i + offset, records),
    async fileDone(i, report) {
      const index = i + offset;
      if (report.error !== null && failures?.has(index)) {
        // Read again with fflate below: nothing of this attempt is kept, nothing shown yet.
        await builder.fileDone(index, report);
        return;
      }
      reports.set(index, report);
      // A file read to the end waits for the commit; the others are done with.
      if (isAdded(report)) r.progress.saving(index);
      else r.progress.finished(index, report.error, report.duplicateOf);
      await builder.fileDone(index, report);
    },
  });

  const mapInput = (input: Input, index: number): MapInput => ({
    name: input.name,
    source: `${r.owner}-${index}`,
    size: input.size,
    chunks: () => input.chunks(),
    generated: input.generated,
  });
  // Decided once for the drop (a file read again with fflate below is read as in the first pass); of a file, its head alone is read.
  const heads = r.inputs.map((input, index) => {
    const { file } = input;
    return file === null
      ? mapInput(input, index)
      : { ...mapInput(input, index), chunks: () => blobChunks(file.slice(0, HEAD_BYTES)) };
  });
  const keepPending = await mayStitch(heads, r.historyHasEndpoints === true);
  const known = [...r.known];
  /** The input being read (the gunzip that fails is that one's). */
  const position = { index: 0 };
  const run = async (
    inputs: readonly { input: Input; index: number }[],
    inflate: (index: { index: number }) => Inflate,
    failures: Set<number> | null,
  ): Promise<void> => {
    if (inputs.length === 0) return;
    const offset = inputs[0].index;
    position.index = offset;
    await mapFiles(
      inputs.map(({ input, index }) => mapInput(input, index)),
      r.pool,
      sink(offset, failures),
      {
        signal: r.signal,
        inflate: inflate(position),
        fingerprint: true,
        known,
        progressEveryMs: PROGRESS_EVERY_MS,
        onProgress: (i, p) => r.progress.reading(i + offset, p),
        onFileStart: (i) => (position.index = i + offset),
        keepPending,
      },
    );
    for (const report of reports.values()) if (isAdded(report) && !known.includes(report)) known.push(report);
  };

  let cancelled = false;
  try {
    const all = r.inputs.map((input, index) => ({ input, index }));
    if (hasPlatformGunzip()) {
      await run(
        all,
        (current) =>
          platformInflate((e) => {
            if (readAgainWithFflate(e)) platformFailed.add(current.index);
          }),
        platformFailed,
      );
      // Each file the platform could not gunzip, again with fflate (the map reads the inputs given in order, so one at a time).
      for (const index of [...platformFailed].sort((a, b) => a - b)) {
        r.progress.restart(index);
        await run([{ input: r.inputs[index], index }], () => fflateInflate, null);
      }
    } else {
      await run(all, () => fflateInflate, null);
    }
  } catch (e) {
    if (!(e instanceof IngestCancelled) && !r.signal.aborted) {
      await builder.discard().catch(() => undefined);
      throw new ReadingFailed(Math.min(position.index, r.inputs.length - 1), e);
    }
    cancelled = true;
    await builder.abandonFile();
  }

  try {
    const joinOptions = { keepPending: r.historyHasEndpoints };
    // What the map still holds is joined from memory: only the joined run (and the endpoint records) reach IndexedDB.
    const held = builder.takeHeld();
    if (held === null) await builder.finish();
    const { runs, join } =
      held === null
        ? await joinTrafficRuns(r.store, builder, r.settings, joinOptions)
        : await joinHeld(r.store, builder, held, r.settings, joinOptions);
    const added: Reading['added'] = [];
    const notAdded: Reading['notAdded'] = [];
    const now = Date.now();
    const inOrder = [...reports].sort((a, b) => a[0] - b[0]);
    for (const [index, report] of inOrder) {
      if (isAdded(report))
        added.push({ index, entry: { key: `${r.owner}-${index}`, report, demo: r.inputs[index].demo, addedAt: now } });
      else notAdded.push({ index, report });
    }
    const counts = addedCounts(inOrder.map(([, report]) => report));
    return {
      added,
      notAdded,
      runs,
      counts,
      events: runs.reduce((n, run) => n + (run.kind === 'events' ? run.count : 0), 0),
      cancelled,
      join,
    };
  } catch (e) {
    await builder.discard().catch(() => undefined);
    throw new ReadingFailed(r.inputs.length - 1, e);
  }
}
