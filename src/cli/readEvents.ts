import type { CompactEvent } from '../core/events/columns';
import { eventRow, type EventRow } from '../core/sql/eventRow';
import { fileRow, type FileRow } from '../core/sql/fileRow';
import { pulled, type MergeSource } from '../core/runs/merge';
import type { MapInput } from '../core/ingest/coordinator';
import { isEmptyReport, type FileReport } from '../core/ingest/report';
import { joinTraffic, mapInputs, mappedSources, type Mapped } from '../core/pipeline/pipeline';
import type { Settings } from '../core/settings/settings';
import type { Counts } from '../core/sources/counts';
import type { StitchCounts } from '../core/runs/stitchJoin';
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
  join(): { joined: number | null; unmatched: number | null; stitch: StitchCounts | null };
  /** Removes the temporary runs. */
  close(): void;
}

export interface ReadOptions {
  /** Work out content fingerprints (recognises a file given twice). */
  fingerprint: boolean;
  threads: number;
  /** Endpoint records the caller merges beside the map's (the tests' engine helper): browser rows are kept for stitching. */
  historyHasEndpoints?: boolean;
}

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
    mapped = await mapInputs({
      inputs: inputs.map((input, i) => ({ ...input, source: `${run}-${i}` })),
      pool,
      store,
      options: { inflate: zlibInflate, fingerprint: opts.fingerprint },
      historyHasEndpoints: opts.historyHasEndpoints,
    });
  } catch (e) {
    store.close();
    throw e;
  } finally {
    pool.close();
  }
  await pauseAt('mapped');
  const sources = (): MergeSource[] => mappedSources(store, mapped);
  let joined: { joined: number | null; unmatched: number | null } = { joined: null, unmatched: null };
  let stitched: StitchCounts | null = null;
  return {
    files: mapped.reports,
    counts: mapped.counts,
    failed: mapped.reports.some((r) => r.error !== null && !isEmptyReport(r)),
    sources,
    async *rows() {
      const batches = pulled<CompactEvent>(async (push, flush) => {
        const { traffic, stitch } = await joinTraffic(sources(), settings, { event: push, drain: flush });
        if (traffic !== null) joined = traffic;
        stitched = stitch;
      });
      for await (const batch of batches) for (const e of batch) yield eventRow(e);
    },
    fileRows: () => mapped.reports.map(fileRow),
    join: () => ({ ...joined, stitch: stitched }),
    close: () => store.close(),
  };
}
