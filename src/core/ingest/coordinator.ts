import { errorMessage } from '../util/errorMessage';
import type { EventColumns } from '../events/columns';
import { FINGERPRINT, isLegacyFingerprint } from '../util/fingerprint';
import { FileHash } from './fileHash';
import { isGzip, type Inflate } from '../util/gzip';
import { FILE_MAGIC, isEvtx } from '../evtx/layout';
import type { ReaderContext } from '../sources/format';
import { addCounts, emptyCounts, type Counts } from '../sources/counts';
import { openAtEnd } from '../sources/pendingRecord';
import {
  EMPTY_FILE,
  EMPTY_GZIP,
  IngestCancelled,
  ONLY_BLANK,
  UNRECOGNISED_FORMAT,
  type FileProgress,
  type FileReport,
} from './report';
import type { GeneratedJob, SegmentJob, SegmentResult } from './segment';
import { ChunkSegmenter, SegmentBuffers, Segmenter, type Segment } from './segmenter';
import { TextBytes } from './textBytes';
import type { TrafficColumns } from '../runs/traffic';
import type { StoredEndpoint } from '../runs/endpointRuns';

/** A file is not read further when none of its first this many lines is a row of a known format. */
const SNIFF_LINES = 1000;
/** A NUL among a file's first this many bytes marks it as binary... */
const BINARY_SNIFF_BYTES = 4096;
/** ...and it is given up when no row of a known format came in this many (a log can start with a damaged block). */
const BINARY_GIVE_UP_BYTES = 1 << 20;

/** One thing to read: a file, a dropped File, a generated demo file. */
export interface MapInput {
  name: string;
  /** A key unique in the history the file is added to (events/columns.ts SOURCE). */
  source: string;
  size: number | null;
  /** The bytes, plain or gzip. A chunk may be overwritten once the next one is asked for. */
  chunks(): AsyncIterable<Uint8Array>;
  /**
   * `chunks` can be read once only (a pipe): its head is not read before the
   * map (ingest/endpointHead.ts). Otherwise each call reads from the start.
   */
  onePass?: boolean;
  /**
   * A file of the generated dataset: made and read by a parse worker itself
   * (`chunks` is then not read). It is known by a fingerprint of what made it.
   */
  generated?: GeneratedJob['generated'];
}

/** Where parts of files are parsed: worker threads, browser workers, or this thread. */
export interface ParsePool {
  /** How many parts it parses at once. */
  readonly size: number;
  /** Parses one part. The job's bytes may be transferred away: the caller does not use them again. */
  parse(job: SegmentJob): Promise<SegmentResult>;
  /** Makes a generated file and reads it whole. */
  generate(job: GeneratedJob): Promise<SegmentResult>;
}

/** What the map hands on, in file order and, within a file, in line order. */
export interface MapSink {
  /** Events of file `file` (index into the inputs), lines counted from the file's start. */
  events(file: number, events: EventColumns, lineOffset: number): Promise<void> | void;
  traffic(file: number, traffic: TrafficColumns): Promise<void> | void;
  /** Endpoint records of file `file`, their lines counted from the file's start. */
  endpoints(file: number, records: StoredEndpoint[]): Promise<void> | void;
  /**
   * File `file` was read to the end. When `report.error` or `report.duplicateOf`
   * is set, nothing of it is to be kept.
   */
  fileDone(file: number, report: FileReport): Promise<void> | void;
}

export interface MapOptions {
  signal?: AbortSignal;
  inflate: Inflate;
  /** Work out content fingerprints, so a file already read (any name, plain or gzipped) is known and adds nothing. */
  fingerprint: boolean;
  /** Files already added: one with the same content is a duplicate. */
  known?: readonly FileReport[];
  onProgress?: (file: number, p: FileProgress) => void;
  /** Milliseconds between progress calls for a file (a final call always comes). */
  progressEveryMs?: number;
  /** Told when input `file` starts being read (files are read one after another, ahead of their results). */
  onFileStart?: (file: number) => void;
  /** Sizes of a file's first part and of the others (segmenter.ts); tests cut small files into many parts. */
  segmentBytes?: { first: number; rest: number };
  /**
   * Keep browser rows for stitching (ingest/eventSink.ts): when the inputs or
   * the history hold endpoint data (pipeline.ts mayStitch). Absent, they are
   * only counted, their fields not read.
   */
  keepPending?: boolean;
}

/** How many parts may be read ahead of those handled, per parse slot. */
const AHEAD_PER_SLOT = 2;

class Slots {
  private waiting: (() => void)[] = [];
  constructor(private free: number) {}

  async take(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  give(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
}

/** One file's reading, as its parts come back. */
interface FileRun {
  index: number;
  input: MapInput;
  base: string;
  started: number;
  /** The reader context once it can no longer change: later parts need not wait for earlier ones. */
  final: ReaderContext | null;
  /** The last part dispatched: its result and the context it started with. */
  last: Promise<{ result: SegmentResult; context: ReaderContext | null }> | null;
  counts: Counts;
  lines: number;
  /** Bytes of the input read so far (compressed, for gzip). */
  bytesRead: number;
  plainBytes: number;
  gzip: boolean;
  binary: boolean;
  format: FileReport['format'];
  /** The reader's context after the last part read: a record still open in it at the end was cut short. */
  context: ReaderContext | null;
  kept: number;
  /** Set when the file is given up (not a log): reading stops, nothing is kept. */
  error: string | null;
  /** A failure reading the input, said once the parts already out are counted. */
  readError: (() => string) | null;
  /** When progress was last told (progressEveryMs apart, but for the final call). */
  lastProgress: number;
}

function baseName(name: string): string {
  return name.replace(/^.*[\\/]/, '');
}

function newFileRun(index: number, input: MapInput): FileRun {
  return {
    index,
    input,
    base: baseName(input.name),
    started: Date.now(),
    final: null,
    last: null,
    counts: emptyCounts(),
    lines: 0,
    bytesRead: 0,
    plainBytes: 0,
    gzip: false,
    binary: false,
    format: null,
    context: null,
    kept: 0,
    error: null,
    readError: null,
    lastProgress: 0,
  };
}

/**
 * The map of the pipeline (docs/architecture.md "The pipeline"), on one thread: reads each input (gunzip
 * as needed, fingerprinting the content), cuts it into parts at line ends,
 * has `pool` parse the parts (in parallel where the file's format allows)
 * and hands what they held to `sink` in order. Returns a report per input.
 */
export async function mapFiles(
  inputs: readonly MapInput[],
  pool: ParsePool,
  sink: MapSink,
  opts: MapOptions,
): Promise<FileReport[]> {
  const map = new FileMap(pool, sink, opts);
  for (let index = 0; index < inputs.length; index++) {
    if (opts.signal?.aborted) throw new IngestCancelled();
    await map.read(newFileRun(index, inputs[index]));
  }
  await map.chain;
  if (opts.signal?.aborted) throw new IngestCancelled();
  return map.reports;
}

/** The state of one mapFiles call: files are read one after another, their parts parsed ahead, their results handled in order. */
class FileMap {
  private readonly slots: Slots;
  private readonly buffers: SegmentBuffers;
  private readonly known: FileReport[];
  readonly reports: FileReport[] = [];
  private readonly legacy: boolean;
  /** Results are handled one after another, in input and line order. */
  chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly pool: ParsePool,
    private readonly sink: MapSink,
    private readonly opts: MapOptions,
  ) {
    this.slots = new Slots(Math.max(1, pool.size) * AHEAD_PER_SLOT + 1);
    this.buffers = new SegmentBuffers(Math.max(1, pool.size) * AHEAD_PER_SLOT + 2);
    this.known = [...(opts.known ?? [])];
    this.legacy = this.known.some((f) => isLegacyFingerprint(f.fingerprint));
  }

  /** Reads one input, its parts dispatched as they are cut; its report follows its parts on the chain. */
  async read(file: FileRun): Promise<void> {
    const { input } = file;
    const hash = this.opts.fingerprint && input.generated === undefined ? new FileHash(this.legacy) : null;
    this.opts.onFileStart?.(file.index);
    if (input.generated !== undefined) {
      // Nothing to read here: a parse worker makes the file.
      await this.slots.take();
      this.dispatch(file, { bytes: new Uint8Array(0), overlong: null }, true, null);
    } else {
      await this.cut(file, hash);
    }
    // The file is settled once its parts are: in order, after them, while the next file is already being read.
    const digests = hash === null ? Promise.resolve([]) : hash.digests(file.plainBytes);
    digests.catch(() => undefined);
    this.chain = this.chain.then(() => this.settle(file, digests));
  }

  /** The input's bytes, gunzipped as needed, cut into parts and dispatched; a failure to read is kept for the report. */
  private async cut(file: FileRun, hash: FileHash | null): Promise<void> {
    const { opts } = this;
    // Chosen by the file's first bytes: an EVTX file is cut at chunk ends, any other at line ends.
    let segmenter: Segmenter | ChunkSegmenter | null = null;
    let head: Uint8Array = new Uint8Array(0);
    let first = true;
    /** UTF-16 read as UTF-8 (PowerShell's `>` and some Windows exports write it); Windows event XML given line ends. */
    const text = new TextBytes();
    let firstText = true;
    /** Once the first text reaches the segmenter: the parts carry the hashing when they are the file's bytes unchanged. */
    const choose = async (s: Segmenter | ChunkSegmenter, out: Uint8Array): Promise<void> => {
      if (hash === null || hash.chosen || (s instanceof Segmenter && out.byteLength === 0)) return;
      const byParts = s instanceof Segmenter && text.unchanged && hash.partsMayHash;
      if (byParts) s.hashInBlocks(FINGERPRINT.blockBytes);
      await hash.choose(byParts);
    };
    const segments = async (all: Iterable<Segment>): Promise<void> => {
      for (const segment of all) {
        if (segment.hashOnly) {
          hash?.only(segment.bytes.subarray(0, segment.hash?.bytes ?? 0));
          continue;
        }
        await this.slots.take();
        this.dispatch(file, segment, first, hash);
        first = false;
      }
    };
    const send = async (data: Uint8Array, s: Segmenter | ChunkSegmenter): Promise<void> => {
      let out = data;
      if (s instanceof Segmenter) {
        out = text.push(data, firstText);
        firstText = false;
      }
      await choose(s, out);
      const at = file.plainBytes - data.byteLength;
      if (!text.isUtf16 && at < BINARY_SNIFF_BYTES && data.subarray(0, BINARY_SNIFF_BYTES - at).includes(0)) file.binary = true;
      await segments(s.push(out));
    };
    try {
      for await (const bytes of plain(this.counted(file), opts.inflate, (g) => (file.gzip = g))) {
        if (opts.signal?.aborted) throw new IngestCancelled();
        if (file.error !== null) break;
        file.plainBytes += bytes.byteLength;
        let data = bytes;
        if (segmenter === null) {
          // The signature is 8 bytes, and a gunzip may hand out less at first.
          head = head.byteLength === 0 && bytes.byteLength >= FILE_MAGIC.length ? bytes : concat(head, bytes);
          if (head.byteLength < FILE_MAGIC.length) {
            await hash?.push(bytes);
            continue;
          }
          segmenter = this.segmenter(file, head);
          data = head;
          head = new Uint8Array(0);
        }
        // Sent first: the segmenter's first text chooses how the file is hashed.
        await send(data, segmenter);
        await hash?.push(bytes);
        if (file.binary && file.format === null && file.plainBytes >= BINARY_GIVE_UP_BYTES) {
          // Let the parts already out say whether a log row came after all.
          await this.chain;
          if (file.format === null && file.error === null) file.error = notRecognised(file);
        }
        this.progress(file, false);
      }
      if (file.error === null) {
        if (segmenter === null) {
          segmenter = this.segmenter(file, head);
          await send(head, segmenter);
        }
        if (segmenter instanceof Segmenter) {
          const last = text.end();
          await choose(segmenter, last);
          await segments(segmenter.push(last));
        }
        await segments(segmenter.end());
      }
    } catch (e) {
      if (e instanceof IngestCancelled || opts.signal?.aborted) {
        await this.chain.catch(() => undefined);
        throw new IngestCancelled();
      }
      // Said once the parts already out are counted: a gunzip's failure names the lines read before it.
      const pending = segmenter?.wholeLines() ?? 0;
      file.readError =
        file.gzip && !(e instanceof SourceError)
          ? () => compressedError(e, file.lines + pending)
          : () => `could not be read: ${errorMessage(e)}`;
    }
  }

  /** The segmenter for a file that opens with `head`; an EVTX file is known from here on, and its parts need no context from each other. */
  private segmenter(file: FileRun, head: Uint8Array): Segmenter | ChunkSegmenter {
    const { opts } = this;
    if (isEvtx(head)) {
      file.format = 'evtx';
      file.final = { format: 'evtx' };
      return new ChunkSegmenter(this.buffers);
    }
    return new Segmenter(opts.segmentBytes?.first, opts.segmentBytes?.rest, this.buffers);
  }

  /** The input's chunks, counted as read; a failure of the input itself is a SourceError. */
  private async *counted(file: FileRun): AsyncIterable<Uint8Array> {
    const it = file.input.chunks()[Symbol.asyncIterator]();
    try {
      for (;;) {
        let next: IteratorResult<Uint8Array>;
        try {
          next = await it.next();
        } catch (e) {
          throw new SourceError(e);
        }
        if (next.done) return;
        if (this.opts.signal?.aborted) throw new IngestCancelled();
        file.bytesRead += next.value.byteLength;
        yield next.value;
      }
    } finally {
      await it.return?.();
    }
  }

  /** Has the pool parse one part (after the part before it, when the reader's context may still change) and queues its result in order. */
  private dispatch(file: FileRun, segment: Segment, first: boolean, hash: FileHash | null): void {
    const previous = file.last;
    const { input } = file;
    const keepPending = this.opts.keepPending === true;
    const parsed = (async () => {
      let context: ReaderContext | null = file.final;
      if (context === null && previous !== null) {
        const before = await previous;
        context = before.result.context?.context ?? before.context;
      }
      if (segment.overlong !== null) return { result: overlongResult(segment.overlong, file.base), context };
      const result =
        input.generated !== undefined
          ? await this.pool.generate({ file: file.base, source: input.source, generated: input.generated, keepPending })
          : await this.pool.parse({
              file: file.base,
              source: input.source,
              bytes: segment.bytes,
              first,
              context,
              keepPending,
              ...(segment.offset === undefined ? {} : { offset: segment.offset }),
              ...(segment.hash === undefined ? {} : { skip: segment.hash.skip, hash: segment.hash.bytes }),
            });
      if (result.spent !== undefined) this.buffers.give(result.spent);
      if (result.bytes !== undefined) file.bytesRead = file.plainBytes = result.bytes;
      if (result.context?.final) file.final = result.context.context;
      return { result, context };
    })();
    file.last = parsed;
    if (segment.hash !== undefined) hash?.part(parsed.then(({ result }) => result.blocks ?? []));
    // Marked handled here; the chain below sees the same failure.
    parsed.catch(() => undefined);
    this.chain = this.chain.then(async () => {
      try {
        await this.handle(file, (await parsed).result);
      } finally {
        this.slots.give();
      }
    });
  }

  /** One part's result, in order: counted, its format sniffed, its events and TRAFFIC rows handed on. */
  private async handle(file: FileRun, result: SegmentResult): Promise<void> {
    if (file.error !== null) return;
    const offset = file.lines;
    // An EVTX part's examples are placed by byte offset in the file already, not by line.
    if (result.format !== 'evtx') for (const ex of result.counts.examples) ex.line += offset;
    addCounts(file.counts, result.counts);
    file.lines += result.lines;
    if (result.context !== null) file.context = result.context.context;
    sniff(file, result, offset);
    if (file.error !== null) return;
    if (result.events.count > 0) {
      file.kept += result.events.count;
      await this.sink.events(file.index, result.events, offset);
    }
    if (result.traffic.count > 0) await this.sink.traffic(file.index, result.traffic);
    if (result.endpoints.length > 0) {
      // An EVTX record is named by its record number already; a text record's line counts from its part.
      if (result.format !== 'evtx') for (const r of result.endpoints) r.line += offset;
      await this.sink.endpoints(file.index, result.endpoints);
    }
    this.progress(file, false);
  }

  /** After its parts: the file's error, if any, its fingerprint and whether it repeats a file known; then its report. */
  private async settle(file: FileRun, digests: Promise<string[]>): Promise<void> {
    const { opts, known } = this;
    if (opts.signal?.aborted) throw new IngestCancelled();
    if (file.error === null && file.readError !== null) file.error = file.readError();
    if (file.error === null) countCutAtEnd(file);
    if (file.error === null && file.format === null && file.lines > file.counts.blank) file.error = notRecognised(file);
    // Nothing but blank lines: named as empty, and not added (every empty file has the same content).
    if (file.error === null && file.format === null)
      file.error = file.plainBytes === 0 ? (file.gzip ? EMPTY_GZIP : EMPTY_FILE) : ONLY_BLANK;
    const { generated } = file.input;
    const prints =
      file.error !== null
        ? []
        : generated !== undefined
          ? opts.fingerprint
            ? [generatedFingerprint(generated)]
            : []
          : await digests;
    const earlier = known.find((f) => f.duplicateOf === null && f.fingerprint !== null && prints.includes(f.fingerprint));
    const report: FileReport = {
      name: file.base,
      bytes: file.bytesRead,
      gzip: file.gzip,
      format: file.format,
      error: file.error,
      // A binary file is refused whole, with one reason: its bytes are not lines, and counting them as skipped lines shows noise.
      counts: file.binary && file.format === null && file.error !== null ? emptyCounts() : file.counts,
      elapsedMs: Date.now() - file.started,
      // A repeat is known by the fingerprint of the file it repeats, whichever form that one has.
      fingerprint: earlier?.fingerprint ?? prints[0] ?? null,
      duplicateOf: earlier?.name ?? null,
    };
    // Every report: only one added (core/pipeline isAdded) has a fingerprint of its own and no duplicateOf, so only those are matched above.
    known.push(report);
    this.reports.push(report);
    this.progress(file, true);
    await this.sink.fileDone(file.index, report);
  }

  /** Tells progress at most every progressEveryMs (100 by default) while a file is read, and always once it is done. */
  private progress(file: FileRun, done: boolean): void {
    const { onProgress } = this.opts;
    if (!onProgress) return;
    const now = Date.now();
    if (!done && now - file.lastProgress < (this.opts.progressEveryMs ?? 100)) return;
    file.lastProgress = now;
    onProgress(file.index, {
      file: file.base,
      bytesRead: file.bytesRead,
      bytesTotal: file.input.size,
      lines: file.lines,
      kept: file.kept,
      elapsedMs: now - file.started,
      done,
    });
  }
}

/** The format, from the first part that recognised one: a file with no row of a known format in its first SNIFF_LINES lines is given up. */
function sniff(file: FileRun, result: SegmentResult, offset: number): void {
  if (result.refused !== undefined) {
    file.format ??= result.format;
    file.error = result.refused;
  } else if (file.format === null && result.format !== null) {
    file.format = result.format;
    if (result.recognisedAt !== null && offset + result.recognisedAt > SNIFF_LINES) file.error = notRecognised(file);
  } else if (file.format === null && file.lines >= SNIFF_LINES) {
    file.error = notRecognised(file);
  }
}

/** A record the file's last part left open (an event without its end tag) is counted as skipped, at the line it began on. */
function countCutAtEnd(file: FileRun): void {
  const open = openAtEnd(file.context);
  if (open === null) return;
  const c = file.counts;
  c.skipped['cut-at-end'] = (c.skipped['cut-at-end'] ?? 0) + 1;
  c.examples.push({ reason: 'cut-at-end', file: file.base, line: file.lines - open.lines + 1, text: open.text.slice(0, 200) });
}

/** A generated file is known by what made it: the generator's options and the file's place in the dataset. */
function generatedFingerprint(g: NonNullable<MapInput['generated']>): string {
  return `generated:${JSON.stringify(g.options)}#${g.index}`;
}

/** A failure of the input itself (a file that cannot be read), told apart from the gunzip's. */
class SourceError extends Error {
  constructor(readonly reason: unknown) {
    super(errorMessage(reason));
  }
}

/**
 * What a gunzip's failure means, in words: the engines say "unexpected end of
 * file" (zlib), "unexpected EOF" (fflate) or "Compressed input was truncated"
 * (Chromium) when the data stops short, and name the fault otherwise.
 * Nothing of such a file is kept: its lines so far are counted, not added.
 * `lines`: the whole lines the gunzip gave before it failed (zlib and fflate
 * give every line the data holds; the tab reads a truncated file again with
 * fflate to count them, reading/refusedMembers).
 */
function compressedError(e: unknown, lines: number): string {
  const text = errorMessage(e);
  const n = `${lines.toLocaleString('en-US')} ${lines === 1 ? 'line' : 'lines'}`;
  if (/truncat|unexpected (EOF|end of (file|input|stream))/i.test(text))
    return `the compressed file ends early (truncated?) after ${n}; nothing was kept`;
  // A gunzip may hold back output it has not checked yet, so the fault can lie past the lines read.
  return `the compressed data is damaged (${text.replace(/^The compressed data was not valid: /i, '').replace(/\.$/, '')}), noticed after ${n}; nothing was kept`;
}

function notRecognised(file: FileRun): string {
  return (file.binary ? 'a binary file, not a text log: ' : '') + UNRECOGNISED_FORMAT;
}

/** The result of a part that is one line too long to read: counted and skipped, as the reader would. */
function overlongResult(head: string, base: string): SegmentResult {
  const counts = emptyCounts();
  counts.lines = 1;
  counts.skipped['line-too-long'] = 1;
  counts.examples.push({ reason: 'line-too-long', file: base, line: 1, text: head });
  return {
    lines: 1,
    counts,
    events: emptyColumns(),
    traffic: { count: 0, time: new Float64Array(0), sent: new Float64Array(0), received: new Float64Array(0), sessions: [] },
    endpoints: [],
    format: null,
    context: null,
    recognisedAt: null,
  };
}

function emptyColumns(): EventColumns {
  return {
    count: 0,
    strings: [],
    ids: new Uint32Array(0),
    time: new Float64Array(0),
    bytesOut: new Float64Array(0),
    bytesIn: new Float64Array(0),
    flags: new Uint8Array(0),
    line: new Uint32Array(0),
    urls: [],
    sessions: [],
    conns: [],
    processes: [],
  };
}

/** Peeks at the first bytes: gzip goes through `inflate`. */
async function* plain(
  chunks: AsyncIterable<Uint8Array>,
  inflate: Inflate,
  onGzip: (gzip: boolean) => void,
): AsyncIterable<Uint8Array> {
  const it = chunks[Symbol.asyncIterator]();
  // The gzip magic is two bytes, and a stream may cut it.
  let head: Uint8Array = new Uint8Array(0);
  while (head.byteLength < 2) {
    const next = await it.next();
    if (next.done) break;
    head = head.byteLength === 0 ? next.value : concat(head, next.value);
    // Kept across the next read, which may reuse the source's buffer.
    if (head.byteLength < 2) head = head.slice();
  }
  if (head.byteLength === 0) return;
  const firstChunk = head;
  async function* all(): AsyncIterable<Uint8Array> {
    yield firstChunk;
    for (;;) {
      const next = await it.next();
      if (next.done) return;
      yield next.value;
    }
  }
  try {
    if (isGzip(firstChunk)) {
      onGzip(true);
      // A gunzip may hold its input past the next read, and a source may reuse its buffer.
      yield* inflate(copies(all()));
    } else {
      onGzip(false);
      yield* all();
    }
  } finally {
    await it.return?.();
  }
}

async function* copies(chunks: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  for await (const chunk of chunks) yield chunk.slice();
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a);
  out.set(b, a.byteLength);
  return out;
}
