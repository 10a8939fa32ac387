import { ClientClassifier } from '../classify/client';
import { datasetFiles, generate, type GeneratedFile, type GenerateOptions } from '../generate/index';
import { DomainKeys } from '../classify/domain';
import type { EventColumns } from '../events/columns';
import { isPanosFormat, type FormatId, type ReaderContext } from '../sources/format';
import { readEvtxRecords } from '../sources/evtx';
import { readLines } from '../sources/lines';
import { PanosReader } from '../sources/panos';
import { readPanosBytes } from '../sources/panosBytes';
import { createReader } from '../sources/reader';
import { structuralScanner, type StructuralIndex, type StructuralScanner } from '../sources/structural';
import type { Settings } from '../settings/settings';
import type { Counts } from '../sources/counts';
import { makeTimeParser, type TimeParser } from '../util/time';
import { EventSink } from './eventSink';
import { blockDigests } from '../util/fingerprint';
import type { TrafficColumns } from '../runs/traffic';
import type { StoredEndpoint } from '../runs/endpointRuns';

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
  /** The part's byte offset in the file (gunzipped): EVTX parts, cut at chunk ends, name their damage by it. */
  offset?: number;
  /** Browser rows are kept for stitching (MapOptions.keepPending, ingest/eventSink.ts). */
  keepPending: boolean;
  /** The first bytes end the part before: digested with this part (`hash`), not read (Segment.hash). */
  skip?: number;
  /** The fingerprint blocks of the first this many bytes are digested, into SegmentResult.blocks (Segment.hash). */
  hash?: number;
}

/**
 * A generated file (the demo dataset, `generate()` in src/core/generate),
 * made and read whole by the parse worker itself: generating is what the demo
 * spends its time on, so it is spread over the workers like parsing.
 */
export interface GeneratedJob {
  file: string;
  source: string;
  /** `index` counts in `datasetFiles` (the firewall's files and the endpoint view, day by day). */
  generated: { options: Partial<GenerateOptions>; index: number };
  /** As SegmentJob's. */
  keepPending: boolean;
}

/** What a part of a file held. Line numbers in it count from 1 at the part's first line. */
export interface SegmentResult {
  /** Lines in the part. */
  lines: number;
  counts: Counts;
  events: EventColumns;
  traffic: TrafficColumns;
  /** Endpoint records, lines counted from 1 at the part's first line. */
  endpoints: StoredEndpoint[];
  format: FormatId | null;
  /** The reader's context at the end of the part (LineReader.context). */
  context: { context: ReaderContext; final: boolean } | null;
  /** The line whose row first showed the format, when the part began without a context. */
  recognisedAt: number | null;
  /** The reader refused the file (LineReader.refused): nothing of it is to be kept. */
  refused?: string;
  /** For a generated file: its size in UTF-8. */
  bytes?: number;
  /** The part's buffer, handed back once read, for the next part to be built in (SegmentBuffers). */
  spent?: ArrayBuffer;
  /** The digests of the part's fingerprint blocks, when asked (SegmentJob.hash). */
  blocks?: ArrayBuffer[];
}

/** The digests a job asks for (SegmentJob.hash), started at once: WebCrypto copies the bytes when called, so they can be read and reused meanwhile. */
export function jobDigests(job: SegmentJob | GeneratedJob): Promise<ArrayBuffer[]> | null {
  return 'bytes' in job && job.hash !== undefined && job.hash > 0 ? blockDigests(job.bytes.subarray(0, job.hash)) : null;
}

/** Decodes a part's UTF-8 (`first`: the file's first part, whose byte order mark is dropped). */
export type Utf8Decoder = (bytes: Uint8Array, first: boolean) => string;

/** The decoder every JavaScript runtime has. */
export function textDecoder(): Utf8Decoder {
  const stripBom = new TextDecoder('utf-8');
  const keepBom = new TextDecoder('utf-8', { ignoreBOM: true });
  return (bytes, first) => (first ? stripBom : keepBom).decode(bytes);
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
  /** The generated dataset last asked for: its files are made one by one, but its plan once. */
  private dataset: { key: string; files: GeneratedFile[] } | null = null;
  /** The structural index of PAN-OS parts (sources/structural.ts), made when the first one comes; null where the kernel does not run. */
  private scanner: StructuralScanner | null | undefined;

  constructor(
    settings: Settings,
    private readonly decode: Utf8Decoder = textDecoder(),
  ) {
    this.clients = new ClientClassifier(settings);
    this.domains = new DomainKeys(settings.textShareSites);
    this.parseTime = makeTimeParser(settings.timeZone);
  }

  parse(whole: SegmentJob): SegmentResult {
    // The bytes of the part before, carried for hashing, are not read again.
    const job = whole.skip ? { ...whole, bytes: whole.bytes.subarray(whole.skip) } : whole;
    const { context } = job;
    if (context?.format === 'evtx') return this.parseEvtx(job);
    // A part of a PAN-OS file, once its format is known, is read from its bytes; all else is decoded first.
    if (context !== null && isPanosFormat(context.format)) {
      if (this.scanner === undefined) this.scanner = structuralScanner();
      // The byte order mark the decoder drops at a file's start.
      const { bytes } = job;
      const bom = job.first && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
      const plain = bom ? bytes.subarray(3) : bytes;
      const index = this.scanner?.index(plain) ?? null;
      if (index !== null) return this.parseBytes(job, context, plain, index);
    }
    return this.parseText([this.decode(job.bytes, job.first)], job);
  }

  /** Whole chunks of an EVTX file (and its header, in the first part): binary, not decoded as text. */
  private parseEvtx(job: SegmentJob): SegmentResult {
    const sink = new EventSink(this.clients, this.domains, job.file, job.source, job.keepPending);
    const records = readEvtxRecords(job.bytes, job.offset ?? 0, job.file, sink);
    sink.counts.lines += records;
    return {
      lines: records,
      counts: sink.counts,
      events: sink.events.build(),
      traffic: sink.trafficRows.build(),
      endpoints: sink.endpoints,
      format: 'evtx',
      context: { context: { format: 'evtx' }, final: true },
      recognisedAt: null,
    };
  }

  private parseBytes(job: SegmentJob, context: ReaderContext, bytes: Uint8Array, index: StructuralIndex): SegmentResult {
    const sink = new EventSink(this.clients, this.domains, job.file, job.source, job.keepPending);
    const reader = new PanosReader(this.parseTime, context);
    readPanosBytes(bytes, index, reader, sink, sink.counts, (line) => this.decode(line, false));
    return {
      lines: sink.counts.lines,
      counts: sink.counts,
      events: sink.events.build(),
      traffic: sink.trafficRows.build(),
      endpoints: sink.endpoints,
      format: reader.format,
      context: reader.context(),
      recognisedAt: null,
      ...(reader.refused ? { refused: reader.refused } : {}),
    };
  }

  /** Makes a generated file and reads it whole. */
  generate(job: GeneratedJob): SegmentResult {
    const { options, index } = job.generated;
    const key = JSON.stringify(options);
    if (this.dataset?.key !== key) this.dataset = { key, files: datasetFiles(generate(options)) };
    const size = { bytes: 0 };
    // Read chunk by chunk as they are made (each is whole lines): joining them first cost a copy of the whole file.
    const chunks = sized(this.dataset.files[index].chunks(), size);
    const result = this.parseText(chunks, { file: job.file, source: job.source, context: null, keepPending: job.keepPending });
    return { ...result, bytes: size.bytes };
  }

  /** Reads `texts`, each whole lines (the last one's last line may lack its line end), as one text. */
  private parseText(
    texts: Iterable<string>,
    job: Pick<SegmentJob, 'file' | 'source' | 'context' | 'keepPending'>,
  ): SegmentResult {
    const sink = new EventSink(this.clients, this.domains, job.file, job.source, job.keepPending);
    const reader = createReader(job.context?.format === 'evtx' ? null : job.context, this.parseTime);
    const counts = sink.counts;
    let recognisedAt: number | null = null;
    for (const text of texts) {
      // Only the text the reader first knows its format in tells where; lines count on from the texts before.
      const at = readLines(text, counts.lines + 1, reader, sink, counts);
      recognisedAt ??= at;
    }
    return {
      lines: counts.lines,
      counts,
      events: sink.events.build(),
      traffic: sink.trafficRows.build(),
      endpoints: sink.endpoints,
      format: reader.format,
      context: reader.context(),
      recognisedAt,
      ...(reader.refused ? { refused: reader.refused } : {}),
    };
  }
}

/** `texts` as they pass, their size in UTF-8 added to `size.bytes`. */
function* sized(texts: Iterable<string>, size: { bytes: number }): Iterable<string> {
  for (const text of texts) {
    size.bytes += utf8Length(text);
    yield text;
  }
}

const NON_ASCII = /[\u0080-\uffff]/g;

/** The size of `text` in UTF-8, without encoding it. */
function utf8Length(text: string): number {
  // Generated text is nearly always ASCII: the regular expression jumps from one other character to the next, several
  // times as fast as a loop over every character (which ran from the first one to the chunk's end).
  NON_ASCII.lastIndex = 0;
  let n = text.length;
  while (NON_ASCII.test(text)) {
    const i = NON_ASCII.lastIndex - 1;
    const c = text.charCodeAt(i);
    if (c < 0x800) {
      n += 1;
    } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      // A surrogate pair: two units, four bytes.
      NON_ASCII.lastIndex = i + 2;
      n += 2;
    } else {
      n += 2;
    }
  }
  return n;
}
