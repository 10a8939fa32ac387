import { TrafficJoin } from '../core/runs/trafficJoin';
import type { CompactEvent } from '../core/events/columns';
import { eventRow, type EventRow } from '../core/sql/eventRow';
import { fileRow, type FileRow } from '../core/sql/fileRow';
import { mergeSources, pulled, runSource, type MergeSource } from '../core/runs/merge';
import type { MapInput } from '../core/ingest/coordinator';
import { mapToRuns, type Mapped } from '../core/ingest/mapToRuns';
import { isEmptyReport, type FileReport } from '../core/ingest/report';
import type { Settings } from '../core/settings/settings';
import { addCounts, emptyCounts, type Counts } from '../core/sources/counts';
import { zlibInflate } from './files';
import { parsePool } from './pool';
import { TempRunStore } from './runFiles';
import { pauseAt } from './testHook';

export interface MapResult {
  /** The files of this run, in the order given. */
  files: FileReport[];
  /** The counts of the files added (data start: `counts.minTime`). */
  counts: Counts;
  /** True when an input could not be read or recognised. */
  failed: boolean;
  /** The sorted runs, for the built-in engine's merge (TRAFFIC rows among them are joined there). */
  sources(): MergeSource[];
  /** One row per non-browser event, in time order, TRAFFIC bytes joined; read from the runs each time. */
  rows(): AsyncIterable<EventRow>;
  /** One row per file of this run. */
  fileRows(): FileRow[];
  /**
   * The TRAFFIC join's counts once `rows()` has been read through, as the
   * built-in engine's reduce reports them (null without TRAFFIC rows).
   */
  join(): { joined: number | null; unmatched: number | null };
  /** Removes the temporary runs. */
  close(): void;
}

export interface ReadOptions {
  /** Work out content fingerprints (recognises a file given twice). */
  fingerprint: boolean;
  threads: number;
}

const MINUTE_MS = 60_000;

/**
 * The map: inputs to sorted runs of compact events in temporary files (the
 * parallel pipeline of `detect`), with the per-file facts (data start,
 * counts) beside them. Everything that needs the map without the built-in
 * detector goes through here: `events`, and the SQL engines.
 */
export async function readEvents(
  inputs: readonly Omit<MapInput, 'source'>[],
  settings: Settings,
  opts: ReadOptions,
): Promise<MapResult> {
  const store = new TempRunStore();
  const pool = parsePool(settings, opts.threads);
  const run = Date.now().toString(36);
  let mapped: Mapped;
  try {
    mapped = await mapToRuns(
      inputs.map((input, i) => ({ ...input, source: `${run}-${i}` })),
      pool,
      store,
      {
        inflate: zlibInflate,
        fingerprint: opts.fingerprint,
      },
    );
  } catch (e) {
    store.close();
    throw e;
  } finally {
    pool.close();
  }
  await pauseAt('mapped');
  const counts = emptyCounts();
  for (const r of mapped.reports) if (r.error === null && r.duplicateOf === null) addCounts(counts, r.counts);
  const runs = [...mapped.runs, ...mapped.trafficRuns];
  const sources = (): MergeSource[] => runs.map((r) => runSource(store, r));
  let joined: { joined: number | null; unmatched: number | null } = { joined: null, unmatched: null };
  return {
    files: mapped.reports,
    counts,
    failed: mapped.reports.some((r) => r.error !== null && !isEmptyReport(r)),
    sources,
    async *rows() {
      const batches = pulled<CompactEvent>(async (push, flush) => {
        if (mapped.trafficRuns.length === 0) {
          await mergeSources(sources(), { event: push, drain: flush });
          return;
        }
        const join = new TrafficJoin(settings.trafficJoinMinutes * MINUTE_MS, push);
        await mergeSources(sources(), { event: (e) => join.event(e), traffic: (t) => join.traffic(t), drain: flush });
        join.finish();
        joined = { joined: join.joined, unmatched: join.unmatched };
      });
      for await (const batch of batches) for (const e of batch) yield eventRow(e);
    },
    fileRows: () => mapped.reports.map(fileRow),
    join: () => joined,
    close: () => store.close(),
  };
}
