import { analyse } from '../../src/core/analyse';
import type { Detection } from '../../src/core/detector';
import type { Inflate } from '../../src/core/gzip';
import { Ingest, type Collected } from '../../src/core/ingest';
import { toRecord, type AlertRecord, type EvidenceRecord } from '../../src/core/record';
import type { Settings } from '../../src/core/settings';
import { zlibInflate } from '../../src/cli/files';

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
  /** Gunzip; the CLI's zlib unless a test wants the core's own default (`'core-default'`). */
  inflate?: Inflate | 'core-default';
}

export interface CoreRun {
  records: AlertRecord[];
  detection: Detection;
  collected: Collected;
}

/**
 * The file in chunks lent as the browser's reader lends them (src/worker/chunks.ts):
 * one buffer reused, and the last chunk scribbled over once the next is asked
 * for, so core code that keeps a chunk past that point gives wrong results here.
 */
async function* chunked(bytes: Uint8Array, size: number): AsyncIterable<Uint8Array> {
  const lent = new Uint8Array(Math.min(size, bytes.length));
  for (let i = 0; i < bytes.length; i += size) {
    const chunk = lent.subarray(0, Math.min(size, bytes.length - i));
    chunk.set(bytes.subarray(i, i + size));
    yield chunk;
    chunk.fill(0xff);
  }
}

/** The detect path of the CLI (src/cli/main.ts): Ingest per file in the given order, analyse, toRecord. */
export async function runCore(files: readonly InputFile[], settings: Settings, opts: FeedOptions = {}): Promise<CoreRun> {
  const ingest = new Ingest(settings);
  const inflate = opts.inflate === 'core-default' ? undefined : (opts.inflate ?? zlibInflate);
  for (const f of files) {
    await ingest.addFile(f.name, chunked(f.bytes, f.chunkSize ?? opts.chunkSize ?? Math.max(1, f.bytes.length)), { inflate });
  }
  const detection = analyse(ingest.result, settings);
  return { records: detection.alerts.map((a) => toRecord(a, settings)), detection, collected: ingest.result };
}

/** The record fields DETECTION.md fixes (see tests/cases/README.md); the rest may change. */
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
> & { source?: EvidenceRecord['source'] };

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
          time: e.time, url: e.url, method: e.method, user_agent: e.user_agent,
          bytes_out: e.bytes_out, bytes_in: e.bytes_in, action: e.action,
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
