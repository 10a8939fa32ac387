import { ClientClassifier } from '../client';
import { DomainKeys } from '../domain';
import type { EventColumns } from '../events/columns';
import type { FormatId, ReaderContext } from '../sources/format';
import { readLines } from '../sources/lines';
import { createReader } from '../sources/reader';
import type { Settings } from '../settings';
import type { Counts } from '../stats';
import { makeTimeParser, type TimeParser } from '../time';
import { EventSink } from './eventSink';
import type { TrafficColumns } from './traffic';

/** One part of one file, cut at line ends: what a parse worker is given. */
export interface SegmentJob {
  /** The file's base name, as evidence names it. */
  file: string;
  /** A key for the file, unique in the history (events/columns.ts SOURCE). */
  source: string;
  /** Whole lines of UTF-8 (the file's last line may lack its line end). */
  bytes: Uint8Array;
  /** The file's first part: a byte order mark at its start is dropped. */
  first: boolean;
  /** How to read the part; null while the file's format is not known. */
  context: ReaderContext | null;
}

/** What a part of a file held. Line numbers in it count from 1 at the part's first line. */
export interface SegmentResult {
  /** Lines in the part. */
  lines: number;
  counts: Counts;
  events: EventColumns;
  traffic: TrafficColumns;
  format: FormatId | null;
  /** The reader's context at the end of the part (LineReader.context). */
  context: { context: ReaderContext; final: boolean } | null;
  /** The line whose row first showed the format, when the part began without a context. */
  recognisedAt: number | null;
}

/**
 * Parses parts of files under one set of settings. The one parsing path of
 * the CLI and the browser: each parse worker holds one, and the single-thread
 * path uses one directly.
 */
export class SegmentParser {
  private readonly clients: ClientClassifier;
  private readonly domains: DomainKeys;
  private readonly parseTime: TimeParser;
  private readonly stripBom = new TextDecoder('utf-8');
  private readonly keepBom = new TextDecoder('utf-8', { ignoreBOM: true });

  constructor(settings: Settings) {
    this.clients = new ClientClassifier(settings);
    this.domains = new DomainKeys(settings.textShareSites);
    this.parseTime = makeTimeParser(settings.timeZone);
  }

  parse(job: SegmentJob): SegmentResult {
    const text = (job.first ? this.stripBom : this.keepBom).decode(job.bytes);
    const sink = new EventSink(this.clients, this.domains, job.file, job.source);
    const reader = createReader(job.context, this.parseTime);
    const counts = sink.counts;
    const recognisedAt = readLines(text, 1, reader, sink, counts);
    return {
      lines: counts.lines,
      counts,
      events: sink.events.build(),
      traffic: sink.trafficRows.build(),
      format: reader.format,
      context: reader.context(),
      recognisedAt,
    };
  }
}
