/**
 * Reading endpoint logs through the product's one parsing path (the format
 * sniffer, the readers, the coordinator's parts) into a sink of the tests'
 * own that keeps the endpoint records, which the ingest's sink does not
 * keep on this branch.
 */
import { ClientClassifier } from '../../src/core/classify/client';
import { DomainKeys } from '../../src/core/classify/domain';
import type { EndpointRecord } from '../../src/core/events/endpoint';
import { mapFiles, type MapInput, type ParsePool } from '../../src/core/ingest/coordinator';
import { EventSink } from '../../src/core/ingest/eventSink';
import type { FileReport } from '../../src/core/ingest/report';
import { textDecoder, type GeneratedJob, type SegmentJob, type SegmentResult } from '../../src/core/ingest/segment';
import type { SkipReason } from '../../src/core/sources/counts';
import { readLines } from '../../src/core/sources/lines';
import { createReader } from '../../src/core/sources/reader';
import type { RowSink, UrlRow } from '../../src/core/sources/rowSink';
import { defaultSettings } from '../../src/core/settings/settings';
import { fflateInflate } from '../../src/core/util/gzip';
import { makeTimeParser } from '../../src/core/util/time';

/** A sink that counts as the ingest does and keeps every endpoint record, with the file it came from. */
export class Collecting implements RowSink {
  readonly inner: EventSink;
  readonly records: EndpointRecord[] = [];

  constructor(readonly file = 'test.log') {
    const settings = defaultSettings();
    this.inner = new EventSink(new ClientClassifier(settings), new DomainKeys(settings.textShareSites), file, file, true);
  }

  url(row: UrlRow, line: number, text: string, start: number, end: number): void {
    this.inner.url(row, line, text, start, end);
  }
  traffic(session: string, time: number, sent: number, received: number | null): void {
    this.inner.traffic(session, time, sent, received);
  }
  endpoint(rec: EndpointRecord): void {
    this.records.push({ ...rec, file: this.file });
  }
  other(type: string): void {
    this.inner.other(type);
  }
  header(): void {
    this.inner.header();
  }
  skip(reason: SkipReason, line: number, text: string): void {
    this.inner.skip(reason, line, text);
  }
  get counts(): EventSink['counts'] {
    return this.inner.counts;
  }
}

/** Reads a whole text as one part, from its first line, the format told from the lines. */
export function readText(text: string, file = 'test.log'): { sink: Collecting; format: string | null } {
  const sink = new Collecting(file);
  const reader = createReader(null, makeTimeParser('UTC'));
  readLines(text, 1, reader, sink, sink.counts);
  return { sink, format: reader.format };
}

/**
 * A parse pool on this thread that keeps the endpoint records of every part,
 * with their lines counted from the file's start (parts of a file whose context
 * is never final are parsed one after another, so the lines before each are known).
 */
export class CollectingPool implements ParsePool {
  readonly size = 2;
  readonly records: EndpointRecord[] = [];
  private readonly linesBefore = new Map<string, number>();
  private readonly decode = textDecoder();

  parse(job: SegmentJob): Promise<SegmentResult> {
    const sink = new Collecting(job.file);
    const reader = createReader(job.context?.format === 'evtx' ? null : job.context, makeTimeParser('UTC'));
    const before = this.linesBefore.get(job.source) ?? 0;
    const recognisedAt = readLines(this.decode(job.bytes, job.first), 1, reader, sink, sink.counts);
    this.linesBefore.set(job.source, before + sink.counts.lines);
    for (const r of sink.records) this.records.push({ ...r, line: r.line + before });
    return Promise.resolve({
      lines: sink.counts.lines,
      counts: sink.counts,
      events: sink.inner.events.build(),
      endpoints: [],
      traffic: sink.inner.trafficRows.build(),
      format: reader.format,
      context: reader.context(),
      recognisedAt,
      ...(reader.refused ? { refused: reader.refused } : {}),
    });
  }

  generate(_job: GeneratedJob): Promise<SegmentResult> {
    return Promise.reject(new Error('not used'));
  }
}

/** Reads files through the coordinator (gunzip, UTF-16, parts cut at line ends) with a CollectingPool. */
export async function mapThrough(
  files: { name: string; bytes: Uint8Array }[],
  segmentBytes?: { first: number; rest: number },
  chunkBytes = 997,
): Promise<{ reports: FileReport[]; records: EndpointRecord[] }> {
  const pool = new CollectingPool();
  const inputs: MapInput[] = files.map((f) => ({
    name: f.name,
    source: f.name,
    size: f.bytes.length,
    chunks: async function* () {
      // Small chunks by default, so a UTF-16 unit or a gzip block is cut between them.
      for (let at = 0; at < f.bytes.length; at += chunkBytes) yield f.bytes.subarray(at, at + chunkBytes);
    },
  }));
  const reports = await mapFiles(
    inputs,
    pool,
    { events: () => undefined, traffic: () => undefined, endpoints: () => undefined, fileDone: () => undefined },
    { inflate: fflateInflate, fingerprint: false, ...(segmentBytes ? { segmentBytes } : {}) },
  );
  return { reports, records: pool.records };
}
