import { eventFlags } from '../classify/classify';
import { DomainKeys } from '../classify/domain';
import { errorMessage, jsonErrorWords } from '../util/errorMessage';
import {
  ACTION,
  CLIENT,
  ColumnsBuilder,
  connKey,
  CONTENT_TYPE,
  FLAG_UA_BROWSER,
  DOMAIN,
  FILE,
  HOST,
  METHOD,
  SOURCE,
  USER,
  USER_AGENT,
  type CompactEvent,
  type EventColumns,
} from '../events/columns';
import type { AlertRecord } from '../alerts/record';
import type { ProcessInfo } from '../events/endpoint';
import { resolveSettings, type Settings } from '../settings/settings';
import {
  checkCounts,
  completeReport,
  EVENT_LINE_TEXT,
  eventLineOf,
  isNum,
  isObject,
  StateError,
  STATE_FORMAT,
  type ManifestEntry,
  type StateHeader,
} from './state';
import { TRIAGE_STATUSES, type Triage, type TriageStatus } from '../alerts/triage';
import { urlParts } from '../util/url';

/**
 * The state file, version 2: the whole history of a baseline as JSON lines,
 * gzip-compressed (`offbrowse-state-YYYY-MM-DD.jsonl.gz`), written and read as
 * a stream so no history ever has to fit in memory at once. Lines, in order:
 *
 *   {"format":"offbrowse-state","version":2,"savedAt",…,"settings",…,"counts",…,"files":[…],"demoLoaded":…,"events":N}
 *   {"t":"e","time":…,"host":…,…}        one per non-browser event, in time order
 *   {"t":"triage","id":…,"status":…,"note":…,"changedAt":…}
 *   {"t":"alert",…}                      the alerts, for readers of the file (rebuilt on import)
 *   {"t":"end","events":N}               a file without it was cut short
 */
const STATE_LINES_VERSION = 2;

export function headerLine(h: StateHeader): string {
  return JSON.stringify({ format: STATE_FORMAT, version: STATE_LINES_VERSION, ...h });
}

/**
 * An event line. Flags are not written: they follow from the URL, method and
 * content type (and the settings' lists). A connection's four values, a
 * process and `uaClaimsBrowser` are written only when the event has them.
 */
export function eventLine(e: CompactEvent): string {
  const extra: Record<string, unknown> = {};
  if (e.sourceAddress !== '' || e.destinationAddress !== '') {
    extra.sourceAddress = e.sourceAddress;
    extra.sourcePort = e.sourcePort;
    extra.destinationAddress = e.destinationAddress;
    extra.destinationPort = e.destinationPort;
  }
  if (e.process !== null) extra.process = e.process;
  if (e.uaClaimsBrowser) extra.uaClaimsBrowser = true;
  return JSON.stringify({ t: 'e', ...eventLineOf(e, e.source), ...extra });
}

const isPortOrNull = (v: unknown): v is number | null => v === null || (isNum(v) && Number.isInteger(v) && v >= 0 && v <= 65535);
const isStrOrNull = (v: unknown): v is string | null => v === null || isStr(v);

/** An event line's process: absent (files written before stitching, or not stitched) is null. */
function processOfLine(v: unknown, bad: (what: string) => never): ProcessInfo | null {
  if (v === undefined || v === null) return null;
  if (!isObject(v)) return bad('has a process that is not an object');
  const ok =
    isStr(v.computer) &&
    isStr(v.image) &&
    (v.pid === null || isNum(v.pid)) &&
    isStrOrNull(v.user) &&
    isStrOrNull(v.commandLine) &&
    isStrOrNull(v.parentImage);
  if (!ok) bad('has a process with missing or bad fields');
  return v as unknown as ProcessInfo;
}

export function triageLine(id: string, t: Triage): string {
  return JSON.stringify({ t: 'triage', id, status: t.status, note: t.note, changedAt: t.changedAt });
}

export function alertLine(r: AlertRecord): string {
  const { settings: _settings, ...rest } = r;
  return JSON.stringify({ t: 'alert', ...rest });
}

export function endLine(events: number): string {
  return JSON.stringify({ t: 'end', events });
}

const isStr = (v: unknown): v is string => typeof v === 'string';
const isBytes = (v: unknown): v is number | null => v === null || (isNum(v) && v >= 0);

function parse(line: string, what: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch (e) {
    throw new StateError(`corrupt state file: ${what} is ${jsonErrorWords(e)}`);
  }
  if (!isObject(v)) throw new StateError(`corrupt state file: ${what} is not an object`);
  return v;
}

/** The first line of a version 2 file. Throws StateError saying what is wrong. */
function parseHeader(line: string): StateHeader {
  const v = parse(line, 'the first line');
  if (v.format !== STATE_FORMAT) throw new StateError('not an Offbrowse state file (expected "format": "offbrowse-state")');
  if (!isNum(v.version) || v.version > STATE_LINES_VERSION) {
    throw new StateError(
      `state file version ${String(v.version)} is newer than this Offbrowse reads (${STATE_LINES_VERSION}); update Offbrowse`,
    );
  }
  if (v.version !== STATE_LINES_VERSION)
    throw new StateError(`a version ${String(v.version)} state file is one JSON object, not JSON lines`);
  let settings: Settings;
  try {
    settings = resolveSettings(v.settings);
  } catch (e) {
    throw new StateError(`its settings are not accepted: ${errorMessage(e)}`);
  }
  if (!Array.isArray(v.files)) throw new StateError('corrupt state file: no file manifest');
  const keys = new Set<string>();
  const fingerprints = new Set<string>();
  const files = v.files.map((f: unknown, i: number): ManifestEntry => {
    if (!isObject(f) || !isStr(f.key) || !isObject(f.report) || !isStr(f.report.name)) {
      throw new StateError(`corrupt state file: file ${i + 1} of the manifest`);
    }
    if (keys.has(f.key)) throw new StateError(`corrupt state file: the manifest names key ${f.key} twice`);
    keys.add(f.key);
    const report = completeReport(f.report);
    if (report.fingerprint !== null) {
      if (fingerprints.has(report.fingerprint))
        throw new StateError(`corrupt state file: the manifest lists the content of ${report.name} twice`);
      fingerprints.add(report.fingerprint);
    }
    return { key: f.key, report, demo: f.demo === true, addedAt: isNum(f.addedAt) ? f.addedAt : 0 };
  });
  if (!isNum(v.events)) throw new StateError('corrupt state file: no event count');
  return {
    savedAt: isStr(v.savedAt) ? v.savedAt : '',
    settings,
    counts: checkCounts(v.counts),
    files,
    demoLoaded: v.demoLoaded === true,
    events: v.events,
  };
}

export type StateLine =
  | { t: 'e'; event: Record<string, unknown> }
  | { t: 'triage'; id: string; triage: Triage }
  | { t: 'alert' }
  | { t: 'end'; events: number };

/** Any line after the first. `n` is its line number, for messages. */
function parseLine(line: string, n: number): StateLine {
  const v = parse(line, `line ${n}`);
  switch (v.t) {
    case 'e':
      return { t: 'e', event: v };
    case 'triage':
      if (!isStr(v.id) || !TRIAGE_STATUSES.includes(v.status as TriageStatus) || !isStr(v.note) || !isStr(v.changedAt)) {
        throw new StateError(`corrupt state file: triage on line ${n}`);
      }
      return { t: 'triage', id: v.id, triage: { status: v.status as TriageStatus, note: v.note, changedAt: v.changedAt } };
    case 'alert':
      return { t: 'alert' };
    case 'end':
      if (!isNum(v.events)) throw new StateError(`corrupt state file: line ${n}`);
      return { t: 'end', events: v.events };
    default:
      throw new StateError(`corrupt state file: line ${n} is of no known kind`);
  }
}

/**
 * Event lines into compact events, in blocks, for the merge or a run: the
 * flags worked out again under the file's settings, as the map works them out.
 */
export class StateEventCoder {
  private readonly domains: DomainKeys;
  private builder = new ColumnsBuilder(4096);
  private last = -Infinity;

  constructor(
    settings: Settings,
    private readonly blockEvents = 4096,
  ) {
    this.domains = new DomainKeys(settings.textShareSites);
  }

  /** Adds an event line's object; returns a full block when one is ready. Throws StateError on a bad event. */
  add(v: Record<string, unknown>, n: number): EventColumns | null {
    const bad = (what: string): never => {
      throw new StateError(`corrupt state file: the event on line ${n} ${what}`);
    };
    for (const k of EVENT_LINE_TEXT) {
      if (!isStr(v[k])) bad(`has no text field "${k}"`);
    }
    if (!isNum(v.time)) bad('has no time');
    if (!isBytes(v.bytesOut) || !isBytes(v.bytesIn)) bad('has bad byte counts');
    if (!isNum(v.line)) bad('has no line number');
    const time = v.time as number;
    if (time < this.last) bad('is earlier than the one before it (events are written in time order)');
    this.last = time;
    const url = v.url as string;
    const method = v.method as string;
    const domain = v.domain as string;
    const parts = urlParts(url);
    const process = processOfLine(v.process, bad);
    const src = v.sourceAddress ?? '';
    const dst = v.destinationAddress ?? '';
    const sport = v.sourcePort ?? null;
    const dport = v.destinationPort ?? null;
    if (!isStr(src) || !isStr(dst) || !isPortOrNull(sport) || !isPortOrNull(dport)) bad('has bad connection values');
    const flags =
      eventFlags(this.domains.isTextShare(domain), parts.hostname, parts.path, v.contentType as string, method) |
      (v.uaClaimsBrowser === true ? FLAG_UA_BROWSER : 0);
    const b = this.builder;
    const i = b.push(
      time,
      flags,
      v.bytesOut as number | null,
      v.bytesIn as number | null,
      v.line as number,
      url,
      '',
      connKey(src as string, sport as number | null, dst as string, dport as number | null),
      process,
    );
    b.setText(i, HOST, b.code(v.host as string));
    b.setText(i, USER, b.code(v.user as string));
    b.setText(i, CLIENT, b.code(v.client as string));
    b.setText(i, DOMAIN, b.code(domain));
    b.setText(i, USER_AGENT, b.code(v.userAgent as string));
    b.setText(i, METHOD, b.code(method));
    b.setText(i, CONTENT_TYPE, b.code(v.contentType as string));
    b.setText(i, ACTION, b.code(v.action as string));
    b.setText(i, FILE, b.code(v.file as string));
    b.setText(i, SOURCE, b.code(v.key as string));
    return b.count >= this.blockEvents ? this.take() : null;
  }

  /** What is left, as a block (possibly empty). */
  take(): EventColumns {
    const out = this.builder.build();
    this.builder = new ColumnsBuilder(4096);
    return out;
  }
}

/**
 * Reads a version 2 state file from its lines: the header first, then the
 * events as blocks (for a merge or a run, one block at a time), then the rest.
 */
export class StateReader {
  private n = 1;
  private events = 0;
  private pending: StateLine | null = null;
  private ended = false;
  readonly triage: Record<string, Triage> = {};

  private constructor(
    readonly header: StateHeader,
    private readonly lines: AsyncIterator<string>,
  ) {}

  static async open(lines: AsyncIterable<string>): Promise<StateReader> {
    const it = lines[Symbol.asyncIterator]();
    const first = await it.next();
    if (first.done) throw new StateError('not a state file: it is empty');
    return new StateReader(parseHeader(first.value), it);
  }

  /** The events, in time order, in blocks. Read once, before `finish`. */
  async *blocks(blockEvents = 4096): AsyncIterable<EventColumns> {
    const coder = new StateEventCoder(this.header.settings, blockEvents);
    for (;;) {
      const line = await this.next();
      if (line === null || line.t !== 'e') {
        this.pending = line;
        break;
      }
      this.events++;
      const block = coder.add(line.event, this.n);
      if (block !== null) yield block;
    }
    const last = coder.take();
    if (last.count > 0) yield last;
  }

  /** Reads to the end (skipping events not read), collecting the triage; throws when the file was cut short. */
  async finish(): Promise<void> {
    for (let line = this.pending ?? (await this.next()); line !== null; line = await this.next()) {
      if (line.t === 'e') this.events++;
      else if (line.t === 'triage') this.triage[line.id] = line.triage;
      else if (line.t === 'end') {
        if (line.events !== this.events || this.events !== this.header.events) {
          throw new StateError(`corrupt state file: it says ${line.events} events but holds ${this.events}`);
        }
        this.ended = true;
      }
    }
    this.pending = null;
    if (!this.ended) throw new StateError('the state file was cut short (its last line is missing); nothing was imported');
  }

  private async next(): Promise<StateLine | null> {
    for (;;) {
      const r = await this.lines.next();
      if (r.done) return null;
      this.n++;
      if (r.value.trim() === '') continue;
      if (this.ended) throw new StateError(`corrupt state file: line ${this.n} comes after its end`);
      return parseLine(r.value, this.n);
    }
  }
}

/** Text chunks (or bytes) cut into lines; the last line may lack its line end. */
export async function* textLines(chunks: AsyncIterable<Uint8Array>): AsyncIterable<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let carry = '';
  for await (const chunk of chunks) {
    const text = carry + decoder.decode(chunk, { stream: true });
    const parts = text.split('\n');
    carry = parts.pop() ?? '';
    yield* parts;
  }
  carry += decoder.decode();
  if (carry !== '') yield carry;
}
