import { parsePool, type CliPool } from '../../src/cli/pool';
import { zlibInflate } from '../../src/cli/files';
import type { Detection } from '../../src/core/alerts/alert';
import type { CompactEvent } from '../../src/core/events/columns';
import { readAndDetect, type RunLimits } from '../../src/core/pipeline/pipeline';
import { MemoryRunStore } from '../../src/core/runs/runStore';
import type { StitchCounts } from '../../src/core/runs/stitchJoin';
import { fflateInflate, type Inflate } from '../../src/core/util/gzip';
import type { FileReport } from '../../src/core/ingest/report';
import { toRecord, type AlertRecord, type EvidenceRecord } from '../../src/core/alerts/record';
import type { Settings } from '../../src/core/settings/settings';
import type { Counts } from '../../src/core/sources/counts';

export interface InputFile {
  /** Passed to the core as the CLI passes a path; the core keeps the base name. */
  name: string;
  bytes: Uint8Array;
  /** Bytes per chunk for this file; overrides FeedOptions.chunkSize. */
  chunkSize?: number;
}

export interface FeedOptions {
  /** Bytes per chunk; the whole file in one chunk when absent (as the CLI reads a small file). */
  chunkSize?: number;
  /** Chunk sizes, cycled (overrides chunkSize). */
  chunkSizes?: readonly number[];
  /** Gunzip; the CLI's zlib unless a test wants the core's own default (`'core-default'`). */
  inflate?: Inflate | 'core-default';
  /** Parse threads (the CLI's `--threads`); 1 parses on this thread. */
  threads?: number;
  /** A pool to parse with (kept across runs, so threads start once); `threads` is then ignored. */
  pool?: CliPool;
  /** Work out content fingerprints (repeats are then found). */
  fingerprint?: boolean;
  /** Cut files into parts of about these sizes (the map's first part, then the others). */
  segmentBytes?: { first: number; rest: number };
  /** Keep every event detection saw (CoreRun.events). */
  keepEvents?: boolean;
  /** Runs this small, merged this many at a time (the defaults hold far more than a case has). */
  runLimits?: RunLimits;
}

export interface CoreRun {
  records: AlertRecord[];
  detection: Detection;
  /** Counts of every file that was added. */
  counts: Counts;
  /** A report per input, in order. */
  files: FileReport[];
  /** From the TRAFFIC join; null when no TRAFFIC rows were read. */
  joined: number | null;
  unmatched: number | null;
  /** From stitching; null when no endpoint records were read. */
  stitch: StitchCounts | null;
  /** With `keepEvents`: every event detection saw, in time order. */
  events: CompactEvent[];
}

/**
 * The file in chunks (of the sizes given, cycled) lent as the browser's reader
 * lends them (src/worker/chunks.ts): one buffer reused, and the last chunk
 * scribbled over once the next is asked for, so core code that keeps a chunk
 * past that point gives wrong results here. The event loop gets a turn now and
 * then, as with a real stream.
 */
async function* chunked(bytes: Uint8Array, sizes: readonly number[]): AsyncIterable<Uint8Array> {
  const lent = new Uint8Array(Math.max(1, Math.min(Math.max(...sizes), bytes.length)));
  let at = 0;
  for (let k = 0; at < bytes.length; k++) {
    const size = sizes[k % sizes.length];
    const chunk = lent.subarray(0, Math.min(size, bytes.length - at));
    chunk.set(bytes.subarray(at, at + size));
    yield chunk;
    chunk.fill(0xff);
    at += size;
    if (k % 32 === 31) await new Promise((r) => setTimeout(r, 0));
  }
}

/**
 * The files, chunked as a test asks, through the pipeline that ships
 * (src/core/pipeline readAndDetect, as the CLI's detect and the tab run it).
 */
export async function runCore(files: readonly InputFile[], settings: Settings, opts: FeedOptions = {}): Promise<CoreRun> {
  const inflate = opts.inflate === 'core-default' ? fflateInflate : (opts.inflate ?? zlibInflate);
  const store = new MemoryRunStore();
  const own = opts.pool === undefined;
  const pool = opts.pool ?? parsePool(settings, opts.threads ?? 1);
  pool.settings = settings;
  const inputs = files.map((f, i) => ({
    name: f.name,
    source: `input-${i}`,
    size: f.bytes.length,
    chunks: () => chunked(f.bytes, opts.chunkSizes ?? [f.chunkSize ?? opts.chunkSize ?? Math.max(1, f.bytes.length)]),
  }));
  const events: CompactEvent[] = [];
  const { mapped, detected } = await readAndDetect({
    inputs,
    pool,
    store,
    settings,
    options: { inflate, fingerprint: opts.fingerprint ?? false, segmentBytes: opts.segmentBytes },
    limits: opts.runLimits,
    mapDone: () => {
      if (own) pool.close();
    },
    detectWith: () => (opts.keepEvents ? { tee: (e) => events.push(e) } : {}),
  });
  return {
    records: detected.detection.alerts.map((a) => toRecord(a, settings)),
    detection: detected.detection,
    counts: mapped.counts,
    files: mapped.reports,
    joined: detected.joined,
    unmatched: detected.unmatched,
    stitch: detected.stitch,
    events,
  };
}

/** The record fields docs/detection.md fixes ("The alert record"; see tests/cases/README.md); the rest may change. */
export type StableRecord = Pick<
  AlertRecord,
  'variation' | 'name' | 'severity' | 'host' | 'user' | 'client' | 'domain' | 'first_seen' | 'last_seen' | 'count' | 'mitre'
> & {
  explanation: Pick<AlertRecord['explanation'], 'hosts_with_key_in_window' | 'host_seen_key_in_window' | 'window_days'>;
  evidence: StableEvidence[];
};

export type StableEvidence = Pick<
  EvidenceRecord,
  'time' | 'url' | 'method' | 'user_agent' | 'bytes_out' | 'bytes_in' | 'action'
> & {
  source?: EvidenceRecord['source'];
  /** Absent in the expected records of cases without endpoint data: null and false. */
  process?: EvidenceRecord['process'];
  user_agent_claims_browser?: boolean;
};

/** Projects a record (actual or expected) on the stable fields; `withSource: false` drops evidence positions. */
export function stable(r: StableRecord, withSource = true): StableRecord {
  return {
    variation: r.variation,
    name: r.name,
    severity: r.severity,
    host: r.host,
    user: r.user,
    client: r.client,
    domain: r.domain,
    first_seen: r.first_seen,
    last_seen: r.last_seen,
    count: r.count,
    mitre: { tactic: r.mitre.tactic, technique: r.mitre.technique },
    explanation: {
      hosts_with_key_in_window: r.explanation.hosts_with_key_in_window,
      host_seen_key_in_window: r.explanation.host_seen_key_in_window,
      window_days: r.explanation.window_days,
    },
    evidence: canonicalEvidence(
      r.evidence.map((e) => {
        const out: StableEvidence = {
          time: e.time,
          url: e.url,
          method: e.method,
          user_agent: e.user_agent,
          bytes_out: e.bytes_out,
          bytes_in: e.bytes_in,
          action: e.action,
          process: e.process ?? null,
          user_agent_claims_browser: e.user_agent_claims_browser ?? false,
        };
        if (withSource && e.source) out.source = { file: e.source.file, line: e.source.line };
        return out;
      }),
    ),
  };
}

/**
 * Evidence is "in time order"; the contract does not order events of equal
 * time, so those are compared as a set (sorted by content here).
 */
function canonicalEvidence(list: StableEvidence[]): StableEvidence[] {
  return [...list].sort((a, b) => cmp(a.time, b.time) || cmp(JSON.stringify(a), JSON.stringify(b)));
}

/**
 * Records are ordered "by first_seen, then host as a string"; records that tie
 * on both are in no fixed order, so they are compared as a set.
 */
export function canonicalRecords(list: StableRecord[]): StableRecord[] {
  return [...list].sort(
    (a, b) => cmp(a.first_seen, b.first_seen) || cmp(a.host, b.host) || cmp(JSON.stringify(a), JSON.stringify(b)),
  );
}

/** Whether records are in the contract's order (first_seen, then host as a string). */
export function inContractOrder(list: readonly StableRecord[]): boolean {
  for (let i = 1; i < list.length; i++) {
    const a = list[i - 1];
    const b = list[i];
    if ((cmp(a.first_seen, b.first_seen) || cmp(a.host, b.host)) > 0) return false;
  }
  return true;
}

/** Evidence times never go backwards. */
export function evidenceInTimeOrder(r: StableRecord): boolean {
  return r.evidence.every((e, i) => i === 0 || r.evidence[i - 1].time <= e.time);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
