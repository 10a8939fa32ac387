import { ClientClassifier } from './client';
import { DomainKeys } from './domain';
import type { Candidate } from './event';
import { FileFingerprint, isLegacyFingerprint } from './fingerprint';
import { fflateInflate, isGzip, type Inflate } from './gzip';
import { PanosRows, cell, type Columns } from './panos';
import { RowReader } from './rows';
import type { Settings } from './settings';
import { addCounts, DAY_MS, emptyCounts, MAX_EXAMPLES, type Counts, type SkipReason } from './stats';
import { detach, Interner } from './strings';
import { makeTimeParser, type TimeParser } from './time';
import { sessionKey, TrafficBytes } from './traffic';
import { urlParts } from './url';
import { IngestCancelled, UNRECOGNISED_FORMAT, type FileProgress, type FileReport } from './map/report';

export { IngestCancelled, UNRECOGNISED_FORMAT, type FileProgress, type FileReport };

/** A file that is not read further after this many lines without one PAN-OS row. */
const SNIFF_LINES = 1000;
/** A NUL among a file's first this many characters marks it as binary... */
const BINARY_SNIFF_CHARS = 4096;
/** ...unless a PAN-OS row comes within this many (a log can start with a damaged block). */
const BINARY_GIVE_UP_CHARS = 1 << 20;

export interface IngestOptions {
  /** Size of the file in bytes, when known, for progress. */
  size?: number | null;
  signal?: AbortSignal;
  onProgress?: (p: FileProgress) => void;
  /** Milliseconds between progress calls (a final call always comes). */
  progressEveryMs?: number;
  /** Gunzip for `.gz` input; fflate unless the platform gives a faster one. */
  inflate?: Inflate;
  /**
   * Fingerprint the content, so a file already read (any name, plain or
   * gzipped) is recognised and adds nothing. Costs a SHA-256 pass (two while
   * the history holds fingerprints of the earlier form).
   */
  fingerprint?: boolean;
}

export interface Collected {
  candidates: Candidate[];
  counts: Counts;
  files: FileReport[];
  /** serial:session → bytes, from TRAFFIC rows. */
  traffic: TrafficBytes;
}

function parseBytes(s: string): number | null {
  if (s === '') return null;
  const n = Number(s);
  return Number.isFinite(n) && n >= 0 ? n : null;
}

export function emptyCollected(): Collected {
  return { candidates: [], counts: emptyCounts(), files: [], traffic: new TrafficBytes() };
}

/** Adds `from` (another file's or run's reading) into `into`. */
export function mergeCollected(into: Collected, from: Pick<Collected, 'candidates' | 'counts' | 'traffic'>): void {
  for (const c of from.candidates) into.candidates.push(c);
  for (const [k, v] of from.traffic) into.traffic.set(k, v);
  addCounts(into.counts, from.counts);
}

/**
 * The one ingest path of the CLI and the browser worker: bytes in, candidate
 * events and counts out. Only non-browser events are kept; the rest are
 * counted as they stream past. A file's effect is applied only once it has
 * been read to the end, so a cancelled file leaves nothing behind.
 */
export class Ingest {
  private readonly clients: ClientClassifier;
  private readonly domains: DomainKeys;
  private readonly parseTime: TimeParser;
  private readonly strings = new Interner();
  private collected: Collected = emptyCollected();

  /** `from`: a history read earlier (e.g. a saved state), which new files add to. */
  constructor(readonly settings: Settings, from?: Collected) {
    if (from) this.collected = from;
    this.clients = new ClientClassifier(settings);
    this.domains = new DomainKeys(settings.textShareSites);
    this.parseTime = makeTimeParser(settings.timeZone);
  }

  get result(): Collected {
    return this.collected;
  }

  /**
   * Reads one file. A chunk of `source` is only read until the next one is
   * asked for, so a source may lend one buffer over and over.
   */
  async addFile(name: string, source: AsyncIterable<Uint8Array>, opts: IngestOptions = {}): Promise<FileReport> {
    const started = Date.now();
    const counts = emptyCounts();
    const candidates: Candidate[] = [];
    const traffic = new TrafficBytes();
    const rows = new PanosRows();
    const { clients, domains, parseTime, strings } = this;
    const base = name.replace(/^.*[\\/]/, '');
    let bytesRead = 0;
    let gzip = false;
    let error: string | null = null;
    let sawPanos = false;
    let lastDay = NaN;
    let dayCounts: [number, number, number] = [0, 0, 0];

    const skip = (reason: SkipReason, line: number, text: string): void => {
      counts.skipped[reason] = (counts.skipped[reason] ?? 0) + 1;
      if (counts.examples.length < MAX_EXAMPLES * 7 && counts.examples.filter((e) => e.reason === reason).length < MAX_EXAMPLES) {
        counts.examples.push({ reason, file: base, line, text: detach(text.slice(0, 200)) });
      }
    };

    const onRow = (f: string[], line: number): void => {
      const kind = rows.kind(f);
      if (kind === 'url') {
        sawPanos = true;
        urlRow(f, line, rows.columns);
      } else if (kind === 'traffic') {
        sawPanos = true;
        trafficRow(f, rows.columns);
      } else if (kind === 'other') {
        sawPanos = true;
        counts.other[rows.otherType] = (counts.other[rows.otherType] ?? 0) + 1;
      } else if (kind === 'header') {
        sawPanos = true;
        counts.headers++;
      } else {
        skip(kind, line, f.join(','));
      }
    };

    const urlRow = (f: string[], line: number, c: Columns): void => {
      const timeText = cell(f, c.generateTime) || cell(f, c.receiveTime);
      const time = parseTime(timeText.trim());
      if (Number.isNaN(time)) return skip('bad-time', line, f.join(','));
      const url = cell(f, c.url);
      if (url === '') return skip('no-url', line, f.join(','));
      const ua = cell(f, c.userAgent);
      const client = clients.classify(ua);
      if (client.kind === 'non-browser') {
        const parts = urlParts(url);
        if (parts.hostname === '') return skip('no-url', line, f.join(','));
        counts.nonBrowser++;
        const serial = cell(f, c.serial);
        const session = cell(f, c.session);
        candidates.push({
          time,
          host: strings.get(cell(f, c.src)),
          user: strings.get(cell(f, c.user)),
          userAgent: strings.get(ua),
          image: '',
          url: detach(url),
          hostname: strings.get(parts.hostname),
          path: detach(parts.path),
          method: strings.get(cell(f, c.method).trim().toUpperCase()),
          contentType: strings.get(cell(f, c.contentType)),
          bytesOut: parseBytes(cell(f, c.bytesSent)),
          bytesIn: parseBytes(cell(f, c.bytesReceived)),
          action: strings.get(cell(f, c.action)),
          source: { file: base, line },
          session: detach(sessionKey(serial, session)),
          client: client.key,
          domain: domains.key(parts.hostname),
        });
      } else if (client.kind === 'browser') {
        counts.browser++;
      } else {
        counts.unknown++;
      }
      const day = Math.floor(time / DAY_MS);
      if (day !== lastDay) {
        lastDay = day;
        dayCounts = counts.perDay[day] ??= [0, 0, 0];
      }
      dayCounts[client.kind === 'browser' ? 0 : client.kind === 'non-browser' ? 1 : 2]++;
      if (counts.minTime === null || time < counts.minTime) counts.minTime = time;
      if (counts.maxTime === null || time > counts.maxTime) counts.maxTime = time;
    };

    const trafficRow = (f: string[], c: Columns): void => {
      counts.other.TRAFFIC = (counts.other.TRAFFIC ?? 0) + 1;
      const sent = parseBytes(cell(f, c.bytesSent));
      const session = cell(f, c.session);
      if (sent === null || session === '') return;
      traffic.set(sessionKey(cell(f, c.serial), session), { sent, received: parseBytes(cell(f, c.bytesReceived)) });
    };

    const reader = new RowReader({
      row: onRow,
      bad: (line, reason, text) => skip(reason, line, text),
      blank: () => counts.blank++,
    });

    const every = opts.progressEveryMs ?? 100;
    let lastReport = 0;
    const report = (done: boolean): void => {
      if (!opts.onProgress) return;
      const now = Date.now();
      if (!done && now - lastReport < every) return;
      lastReport = now;
      opts.onProgress({
        file: base, bytesRead, bytesTotal: opts.size ?? null, lines: reader.lines, kept: candidates.length,
        elapsedMs: now - started, done,
      });
    };

    const counted = async function* (): AsyncIterable<Uint8Array> {
      for await (const chunk of source) {
        if (opts.signal?.aborted) throw new IngestCancelled();
        bytesRead += chunk.byteLength;
        yield chunk;
      }
    };

    const decoder = new TextDecoder('utf-8');
    // Files saved by earlier builds are known by the legacy fingerprint: it is worked out too while any is in the history.
    const fingerprint = opts.fingerprint ? new FileFingerprint(this.collected.files.some((f) => isLegacyFingerprint(f.fingerprint))) : null;
    let chars = 0;
    let binary = false;
    const notRecognised = (): string => (binary ? 'a binary file, not a text log: ' : '') + UNRECOGNISED_FORMAT;
    try {
      for await (const bytes of this.plain(counted(), opts.inflate ?? fflateInflate, (g) => (gzip = g))) {
        if (opts.signal?.aborted) throw new IngestCancelled();
        if (fingerprint) await fingerprint.push(bytes);
        const text = decoder.decode(bytes, { stream: true });
        if (chars < BINARY_SNIFF_CHARS && text.slice(0, BINARY_SNIFF_CHARS - chars).includes('\u0000')) binary = true;
        chars += text.length;
        reader.push(text);
        if (!sawPanos && (reader.lines >= SNIFF_LINES || (binary && chars >= BINARY_GIVE_UP_CHARS))) {
          error = notRecognised();
          break;
        }
        report(false);
      }
      if (error === null) {
        reader.push(decoder.decode());
        reader.end();
        if (!sawPanos && reader.lines > counts.blank) error = notRecognised();
      }
    } catch (e) {
      if (e instanceof IngestCancelled) throw e;
      if (opts.signal?.aborted) throw new IngestCancelled();
      error = `could not be read: ${e instanceof Error ? e.message : String(e)}`;
    }

    counts.lines = reader.lines;
    counts.invalidUtf8Lines = reader.invalidUtf8Lines;
    const digests = fingerprint && error === null ? await fingerprint.digests() : [];
    const earlier = this.collected.files.find((f) => f.duplicateOf === null && f.fingerprint !== null && digests.includes(f.fingerprint));
    const file: FileReport = {
      name: base, bytes: bytesRead, gzip, format: rows.format, error, counts, elapsedMs: Date.now() - started,
      // A repeat is known by the fingerprint of the file it repeats, whichever form that one has.
      fingerprint: earlier?.fingerprint ?? digests[0] ?? null, duplicateOf: earlier?.name ?? null,
    };
    if (error === null && earlier === undefined) mergeCollected(this.collected, { candidates, counts, traffic });
    this.collected.files.push(file);
    report(true);
    return file;
  }

  /** Peeks at the first chunk: gzip goes through `inflate`. */
  private async *plain(
    chunks: AsyncIterable<Uint8Array>, inflate: Inflate, onGzip: (gzip: boolean) => void,
  ): AsyncIterable<Uint8Array> {
    const it = chunks[Symbol.asyncIterator]();
    // The gzip magic is two bytes, and a stream may cut it.
    let firstChunk: Uint8Array = new Uint8Array(0);
    while (firstChunk.byteLength < 2) {
      const head = await it.next();
      if (head.done) break;
      firstChunk = firstChunk.byteLength === 0 ? head.value : concatBytes(firstChunk, head.value);
      // Kept across the next read, which may reuse the source's buffer.
      if (firstChunk.byteLength < 2) firstChunk = firstChunk.slice();
    }
    if (firstChunk.byteLength === 0) return;
    const rest: AsyncIterable<Uint8Array> = {
      [Symbol.asyncIterator]: () => it,
    };
    async function* all(): AsyncIterable<Uint8Array> {
      yield firstChunk;
      yield* rest;
    }
    if (isGzip(firstChunk)) {
      onGzip(true);
      yield* inflate(copies(all()));
    } else {
      onGzip(false);
      yield* all();
    }
  }
}

/** Each chunk copied: a gunzip may hold its input past the next read, and a source may reuse its buffer. */
async function* copies(chunks: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  for await (const chunk of chunks) yield chunk.slice();
}

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a);
  out.set(b, a.byteLength);
  return out;
}
