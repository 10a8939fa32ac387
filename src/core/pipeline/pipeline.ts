import type { Detection } from '../alerts/alert';
import { StreamDetector } from '../detect/stream';
import type { CompactEvent } from '../events/columns';
import { mapFiles, type MapInput, type MapOptions, type ParsePool } from '../ingest/coordinator';
import { mayStitch } from '../ingest/endpointHead';
import type { FileReport } from '../ingest/report';
import { RunBuilder, type HeldMap } from '../ingest/runBuilder';
import { joinRuns } from '../runs/joinRuns';
import { mergeSources, runSource, type MergeSource } from '../runs/merge';
import { MemoryRunStore, writeEndpointRun, writeEventsRun, writeTrafficRun, type RunRef, type RunStore } from '../runs/runStore';
import { TrafficJoin } from '../runs/trafficJoin';
import type { Settings } from '../settings/settings';
import { addCounts, emptyCounts, type Counts } from '../sources/counts';
import { ClientClassifier } from '../classify/client';
import { DomainKeys } from '../classify/domain';
import { FLAG_PENDING } from '../events/columns';
import { StitchJoin, type StitchCounts } from '../runs/stitchJoin';
import { rewriteRuns } from '../runs/rewriteRuns';

/*
 * How reading becomes alerts. Every reader of logs (the CLI's detect, events
 * and --engine, the tab's worker, and the tests' case runner) goes through
 * these steps, in this order, and wires none of them itself:
 *
 *   1. mapInputs    the inputs parsed into sorted runs in a store (events, and
 *                   TRAFFIC rows apart), a report per input, and the counts
 *                   of the files added (isAdded);
 *   2. joinTraffic  the runs merged in time order, each URL event given the
 *                   bytes of its TRAFFIC session when TRAFFIC rows were read
 *                   (joinTrafficRuns writes the joined events back as runs,
 *                   for the tab, which keeps them), then stitched to the
 *                   endpoint connections when endpoint records were read
 *                   (runs/stitchJoin.ts; the tab keeps the endpoint runs and
 *                   stitches at every detection);
 *   3. detectRuns   the joined events, with any saved history's, into the
 *                   streaming detector, activation counted from the data start.
 *
 * readAndDetect composes the three for a caller that does it all at once.
 */

/** Whether a file adds its events and counts to the history: read to the end, and not a repeat of a file added before. */
export function isAdded(report: Pick<FileReport, 'error' | 'duplicateOf'>): boolean {
  return report.error === null && report.duplicateOf === null;
}

/** `base` (a saved history's counts, left as it is) plus the counts of the files added. */
export function addedCounts(reports: readonly FileReport[], base?: Counts): Counts {
  const counts = base === undefined ? emptyCounts() : structuredClone(base);
  for (const r of reports) if (isAdded(r)) addCounts(counts, r.counts);
  return counts;
}

/** How big runs grow and how many are merged at once (RunBuilder); tests make both small. */
export interface RunLimits {
  events: number;
  traffic: number;
  fanIn: number;
}

export interface MapRequest {
  inputs: readonly MapInput[];
  pool: ParsePool;
  store: RunStore;
  options: MapOptions;
  limits?: RunLimits;
  /** The counts the added files' are added to: a saved history's. */
  base?: Counts;
  /** Endpoint records read before are stitched with the inputs: their browser rows are kept for it (ingest/endpointHead.ts mayStitch). */
  historyHasEndpoints?: boolean;
}

export interface Mapped {
  /** One per input, in order. */
  reports: FileReport[];
  /** Sorted runs of the events of the files added. */
  runs: RunRef[];
  /** Sorted runs of their TRAFFIC rows, for the join. */
  trafficRuns: RunRef[];
  /** Sorted runs of their endpoint records, for stitching. */
  endpointRuns: RunRef[];
  /** The indices (into the inputs) of the files added. */
  added: number[];
  /** `base` plus the counts of the files added; `counts.minTime` is the data start. */
  counts: Counts;
}

/** The runs a map wrote: its events', and its TRAFFIC rows' apart. */
export interface MappedRuns {
  readonly runs: readonly RunRef[];
  readonly trafficRuns: readonly RunRef[];
  readonly endpointRuns: readonly RunRef[];
}

/** Step 1, the map into sorted runs in `store`. On a cancel or failure nothing is left in the store. */
export async function mapInputs(req: MapRequest): Promise<Mapped> {
  const { limits } = req;
  const builder =
    limits === undefined ? new RunBuilder(req.store) : new RunBuilder(req.store, limits.events, limits.traffic, limits.fanIn);
  let reports: FileReport[];
  try {
    // Browser rows are read and kept for stitching only when there is endpoint data to stitch them to.
    const keepPending = await mayStitch(req.inputs, req.historyHasEndpoints === true);
    reports = await mapFiles(req.inputs, req.pool, builder, { ...req.options, keepPending });
    await builder.finish();
  } catch (e) {
    await builder.discard().catch(() => undefined);
    throw e;
  }
  return {
    reports,
    runs: [...builder.runs],
    trafficRuns: [...builder.trafficRuns],
    endpointRuns: [...builder.endpointRuns],
    added: reports.flatMap((r, i) => (isAdded(r) ? [i] : [])),
    counts: addedCounts(reports, req.base),
  };
}

/** The runs of a map as sources of a merge: each read from the store when the merge asks. */
export function mappedSources(store: RunStore, mapped: MappedRuns): MergeSource[] {
  return [...mapped.runs, ...mapped.trafficRuns, ...mapped.endpointRuns].map((r) => runSource(store, r));
}

/** What the TRAFFIC join did: URL events that took their bytes from a TRAFFIC row, and those that wanted bytes and found none near them. */
export interface JoinCounts {
  joined: number;
  unmatched: number;
}

export interface EventSink {
  event(e: CompactEvent): void;
  /** Awaited between blocks of the merge, so whatever `event` writes to can keep up. */
  drain?: () => Promise<void>;
}

const MINUTE_MS = 60_000;

/** What the joins of step 2 did; each null when it had nothing to join (no TRAFFIC rows, no endpoint records). */
export interface Joined {
  traffic: JoinCounts | null;
  stitch: StitchCounts | null;
}

/**
 * Step 2, the joins as the runs are merged: every URL event of `sources`, in
 * time order, to `out`, with its session's bytes when TRAFFIC rows are among
 * the sources, and stitched to its process when endpoint records are (with
 * the events made from endpoint records alone). Without endpoint records, the
 * events kept only for stitching (FLAG_PENDING) are dropped.
 */
export async function joinTraffic(sources: readonly MergeSource[], settings: Settings, out: EventSink): Promise<Joined> {
  const traffic = sources.some((s) => s.kind === 'traffic');
  const trafficMs = settings.trafficJoinMinutes * MINUTE_MS;
  const stitch = sources.some((s) => s.kind === 'endpoint')
    ? new StitchJoin(
        settings.stitchSeconds * 1000,
        traffic ? trafficMs : 0,
        new ClientClassifier(settings),
        new DomainKeys(settings.textShareSites),
        out.event,
      )
    : null;
  const next =
    stitch !== null
      ? (e: CompactEvent) => stitch.event(e)
      : (e: CompactEvent) => {
          if ((e.flags & FLAG_PENDING) === 0) out.event(e);
        };
  const join = traffic ? new TrafficJoin(trafficMs, next) : null;
  await mergeSources(sources, {
    event:
      join === null
        ? next
        : (e) => {
            join.event(e);
            stitch?.tick(e.time);
          },
    traffic:
      join === null
        ? undefined
        : (t) => {
            join.traffic(t);
            stitch?.tick(t.time);
          },
    endpoint:
      stitch === null
        ? undefined
        : (r) => {
            // The TRAFFIC join first lets go of what waited long enough, so no event it holds is older than its time span allows.
            join?.tick(r.time);
            stitch.endpoint(r);
          },
    drain: out.drain,
  });
  join?.finish();
  stitch?.finish();
  return {
    traffic: join === null ? null : { joined: join.joined, unmatched: join.unmatched },
    stitch: stitch?.counts ?? null,
  };
}

/**
 * Step 2 for a history that keeps its events (the tab): the join written
 * back as runs of joined events, the runs read deleted. Runs are kept as they
 * are when there is no TRAFFIC to join and no event kept only for stitching to drop.
 */
export async function joinTrafficRuns(
  store: RunStore,
  mapped: MappedRuns,
  settings: Settings,
  opts: { keepPending?: boolean; from?: (run: RunRef) => RunStore } = {},
): Promise<{ runs: RunRef[]; join: JoinCounts | null }> {
  // Events kept only for stitching stay when there are endpoint records to stitch them to: the drop's or the history's.
  const keepPending = opts.keepPending === true || mapped.endpointRuns.length > 0;
  const endpoint = [...mapped.endpointRuns];
  if (mapped.trafficRuns.length === 0) {
    // Nothing to drop either: the runs stay as they are (a rewrite read and wrote every event once more).
    const nonePending = mapped.runs.every((r) => r.pending === 0);
    if (keepPending || nonePending) return { runs: [...mapped.runs, ...endpoint], join: null };
    const runs = await rewriteRuns(store, mapped.runs, (push) => ({
      event(e) {
        if ((e.flags & FLAG_PENDING) === 0) push(e);
      },
    }));
    return { runs: [...runs, ...endpoint], join: null };
  }
  const { trafficJoinMinutes } = settings;
  const joined = await joinRuns(store, mapped.runs, mapped.trafficRuns, trafficJoinMinutes, keepPending, opts.from);
  return { runs: [...joined.runs, ...endpoint], join: { joined: joined.joined, unmatched: joined.unmatched } };
}

/**
 * Step 2 as joinTrafficRuns, for a map whose last events, TRAFFIC rows and
 * endpoint records are still held in memory (RunBuilder.takeHeld): those are
 * read from memory beside the runs the map wrote, so only the joined run and
 * the endpoint records' run reach `store`. Writing the held part to IndexedDB
 * as runs, reading it back and deleting it was most of the tab's time between
 * the last part parsed and the join's end.
 */
export async function joinHeld(
  store: RunStore,
  mapped: MappedRuns,
  held: HeldMap,
  settings: Settings,
  opts: { keepPending?: boolean } = {},
): Promise<{ runs: RunRef[]; join: JoinCounts | null }> {
  const written = held.endpoints.length > 0 ? await writeEndpointRun(store, held.endpoints) : null;
  try {
    const memory = new MemoryRunStore();
    const inMemory = new Set<RunRef>();
    const kept = async (run: Promise<RunRef>): Promise<RunRef[]> => {
      const r = await run;
      inMemory.add(r);
      return [r];
    };
    const all: MappedRuns = {
      runs: [...mapped.runs, ...(held.events.count > 0 ? await kept(writeEventsRun(memory, held.events)) : [])],
      trafficRuns: [...mapped.trafficRuns, ...(held.traffic.count > 0 ? await kept(writeTrafficRun(memory, held.traffic)) : [])],
      endpointRuns: written === null ? mapped.endpointRuns : [...mapped.endpointRuns, written],
    };
    // Without TRAFFIC rows joinTrafficRuns would hand the runs in memory back as they are.
    if (all.trafficRuns.length === 0) throw new Error('joinHeld needs TRAFFIC rows to join');
    return await joinTrafficRuns(store, all, settings, { ...opts, from: (r) => (inMemory.has(r) ? memory : store) });
  } catch (e) {
    if (written !== null) await store.delete(written).catch(() => undefined);
    throw e;
  }
}

export interface DetectOptions {
  /** Earliest event of any kind in the history: activation counts from it. */
  dataStart: number | null;
  /** Each event as detection sees it (after the TRAFFIC join), in time order: to save or count it on the way. */
  tee?: (e: CompactEvent) => void;
  /** Awaited between blocks of the merge, so whatever `tee` writes to can keep up. */
  drain?: () => Promise<void>;
}

export interface Detected {
  detection: Detection;
  /** From the TRAFFIC join; null when no TRAFFIC rows were read. */
  joined: number | null;
  unmatched: number | null;
  /** From stitching; null when no endpoint records were read. */
  stitch: StitchCounts | null;
}

/** Step 3: the sources merged (and joined, step 2) into the streaming detector in one pass. */
export async function detectRuns(sources: readonly MergeSource[], settings: Settings, opts: DetectOptions): Promise<Detected> {
  const detector = new StreamDetector(settings, opts.dataStart);
  const tee = opts.tee;
  const event =
    tee === undefined
      ? (e: CompactEvent) => detector.push(e)
      : (e: CompactEvent) => {
          tee(e);
          detector.push(e);
        };
  const { traffic, stitch } = await joinTraffic(sources, settings, { event, drain: opts.drain });
  return {
    detection: detector.finish(),
    joined: traffic?.joined ?? null,
    unmatched: traffic?.unmatched ?? null,
    stitch,
  };
}

export interface ReadAndDetectRequest extends MapRequest {
  settings: Settings;
  /** A saved history: its events are one more source (the first), and its counts the base of the added files'. */
  history?: { events: MergeSource; counts: Counts };
  /** Called once the map is over, done or failed: detection needs no parse threads. */
  mapDone?: () => void | Promise<void>;
  /** What detection tees to, known once the map is (a state writer needs the files added). */
  detectWith?: (mapped: Mapped) => Pick<DetectOptions, 'tee' | 'drain'>;
}

/** Steps 1 to 3 at once: the inputs mapped, then detected with the history's events (if any). */
export async function readAndDetect(req: ReadAndDetectRequest): Promise<{ mapped: Mapped; detected: Detected }> {
  let mapped: Mapped;
  try {
    mapped = await mapInputs({
      ...req,
      base: req.history?.counts ?? req.base,
      historyHasEndpoints: req.historyHasEndpoints === true || req.history?.events.kind === 'endpoint',
    });
  } finally {
    await req.mapDone?.();
  }
  const sources = mappedSources(req.store, mapped);
  if (req.history !== undefined) sources.unshift(req.history.events);
  const detected = await detectRuns(sources, req.settings, {
    dataStart: mapped.counts.minTime,
    ...req.detectWith?.(mapped),
  });
  return { mapped, detected };
}
