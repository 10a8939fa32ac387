/**
 * Windows events as XML: `wevtutil qe <log> /f:xml` (Event elements one after
 * another, no root, one a line or several on one) and the Event Viewer's
 * "Save as XML" (`<?xml …?><Events><Event>…</Event>…</Events>`, pretty-printed
 * or not, an event spanning lines). Each Event's System (EventID, Provider
 * Name, TimeCreated SystemTime, Computer) and its EventData's named `Data`
 * values become a WindowsEvent, mapped by windowsEvent.ts `endpointRecord`.
 *
 * No DOM parser (src/core runs in Node too): a small, strict scanner of this
 * XML subset. An event it cannot read is skipped and counted with its first line.
 */
import type { TimeParser } from '../util/time';
import type { LineReader, ReaderContext } from './format';
import type { RowSink } from './rowSink';
import { PendingRecord } from './pendingRecord';
import { isoMs } from './sensorTime';
import { endpointRecord, type WindowsEvent } from './windowsEvent';

/** An event longer than this is skipped, so one that is never closed cannot hold the whole file. */
export const MAX_RECORD_CHARS = 1024 * 1024;
const END_TAG = '</Event>';
/** An element or attribute name, matched where `lastIndex` is set. */
const NAME = /[A-Za-z_][\w.:-]*/y;

/** The name at `at` in `s`, or null. */
function nameAt(s: string, at: number): string | null {
  NAME.lastIndex = at;
  const m = NAME.exec(s);
  return m === null ? null : m[0];
}

/** XML white space. */
function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}
const EXAMPLE_CHARS = 200;

/** Whether `<Event` (or `<Events`) opens at `i`: the tag's name ends there. */
function opensTag(s: string, i: number, name: string): boolean {
  if (!s.startsWith(name, i)) return false;
  const c = s.charCodeAt(i + name.length);
  // `>`, `/`, or white space end the name; NaN: the line ends inside the tag.
  return Number.isNaN(c) || c === 62 || c === 47 || c === 32 || c === 9 || c === 13 || c === 10;
}

/** Where the next Event opens in `s` from `from`; -1 when none does. */
function nextEventOpen(s: string, from: number): number {
  for (let i = s.indexOf('<Event', from); i !== -1; i = s.indexOf('<Event', i + 6)) {
    if (opensTag(s, i, '<Event')) return i;
  }
  return -1;
}

/** Whether a line is Windows event XML: its prolog, the Events root or an Event. */
export function isWindowsXmlLine(text: string, start: number): boolean {
  return text.startsWith('<?xml', start) || opensTag(text, start, '<Event') || opensTag(text, start, '<Events');
}

const ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** XML text with its entities decoded; null for an unknown or broken entity. */
export function decodeEntities(s: string): string | null {
  if (s.indexOf('&') === -1) return s;
  let out = '';
  let at = 0;
  for (let amp = s.indexOf('&'); amp !== -1; amp = s.indexOf('&', at)) {
    const semi = s.indexOf(';', amp);
    if (semi === -1 || semi - amp > 12) return null;
    const name = s.slice(amp + 1, semi);
    let ch: string | undefined = ENTITIES[name];
    if (ch === undefined) {
      const code = /^#x[0-9a-fA-F]{1,6}$/.test(name)
        ? parseInt(name.slice(2), 16)
        : /^#\d{1,7}$/.test(name)
          ? Number(name.slice(1))
          : NaN;
      if (!(code >= 0 && code <= 0x10ffff)) return null;
      ch = String.fromCodePoint(code);
    }
    out += s.slice(at, amp) + ch;
    at = semi + 1;
  }
  return out + s.slice(at);
}

/** What the scanner keeps of an element's text: the System fields and the Data values. */
type Capture = 'eventId' | 'computer' | 'data' | null;

/**
 * One `<Event …>…</Event>` as a WindowsEvent, or null when it is not well
 * formed (a tag not closed or not matched, an unknown entity, text outside
 * the root) or has no numeric EventID.
 */
export function parseEventXml(s: string, parseTime: TimeParser): WindowsEvent | null {
  const stack: string[] = [];
  const data: Record<string, string> = {};
  let eventId = '';
  let provider = '';
  let systemTime = '';
  let computer = '';
  let capture: Capture = null;
  let captured = '';
  let dataName = '';
  let roots = 0;
  let i = 0;
  const n = s.length;
  while (i < n) {
    const lt = s.indexOf('<', i);
    const textEnd = lt === -1 ? n : lt;
    if (textEnd > i) {
      const raw = s.slice(i, textEnd);
      if (stack.length === 0) {
        if (raw.trim() !== '') return null;
      } else if (capture !== null) {
        const t = decodeEntities(raw);
        if (t === null) return null;
        captured += t;
      } else if (raw.indexOf('&') !== -1 && decodeEntities(raw) === null) {
        return null;
      }
    }
    if (lt === -1) break;
    if (s.startsWith('<!--', lt)) {
      const e = s.indexOf('-->', lt + 4);
      if (e === -1) return null;
      i = e + 3;
      continue;
    }
    if (s.startsWith('<![CDATA[', lt)) {
      const e = s.indexOf(']]>', lt + 9);
      if (e === -1 || stack.length === 0) return null;
      if (capture !== null) captured += s.slice(lt + 9, e);
      i = e + 3;
      continue;
    }
    if (s.startsWith('<?', lt)) {
      const e = s.indexOf('?>', lt + 2);
      if (e === -1) return null;
      i = e + 2;
      continue;
    }
    if (s.startsWith('</', lt)) {
      const gt = s.indexOf('>', lt + 2);
      if (gt === -1) return null;
      const name = s.slice(lt + 2, gt).trimEnd();
      if (stack.pop() !== name) return null;
      if (capture !== null && stack.length <= 2) {
        if (capture === 'eventId') eventId = captured;
        else if (capture === 'computer') computer = captured;
        else data[dataName] = captured;
        capture = null;
      }
      i = gt + 1;
      continue;
    }
    // A start tag: its name, its attributes, then `>` or `/>`.
    const name = nameAt(s, lt + 1);
    if (name === null) return null;
    const attrs: Record<string, string> = {};
    let at = lt + 1 + name.length;
    let selfClosing = false;
    for (;;) {
      while (at < n && isSpace(s.charCodeAt(at))) at++;
      if (at >= n) return null;
      if (s.charCodeAt(at) === 62 /* > */) {
        at++;
        break;
      }
      if (s.startsWith('/>', at)) {
        at += 2;
        selfClosing = true;
        break;
      }
      const an = nameAt(s, at);
      // Attributes are apart from the name and from each other.
      if (an === null || !isSpace(s.charCodeAt(at - 1))) return null;
      at += an.length;
      while (at < n && isSpace(s.charCodeAt(at))) at++;
      if (s[at] !== '=') return null;
      at++;
      while (at < n && isSpace(s.charCodeAt(at))) at++;
      const quote = s[at];
      if (quote !== '"' && quote !== "'") return null;
      const close = s.indexOf(quote, at + 1);
      if (close === -1) return null;
      const value = decodeEntities(s.slice(at + 1, close));
      if (value === null || value.indexOf('<') !== -1) return null;
      attrs[an] = value;
      at = close + 1;
    }
    const depth = stack.length;
    if (depth === 0) {
      if (name !== 'Event' || ++roots > 1) return null;
    } else if (depth === 2 && stack[1] === 'System') {
      if (name === 'Provider') provider = attrs.Name ?? provider;
      else if (name === 'TimeCreated') systemTime = attrs.SystemTime ?? systemTime;
      else if (name === 'EventID') capture = 'eventId';
      else if (name === 'Computer') capture = 'computer';
    } else if (depth === 2 && stack[1] === 'EventData' && name === 'Data' && attrs.Name !== undefined) {
      capture = 'data';
      dataName = attrs.Name;
    }
    if (capture !== null && depth === 2) captured = '';
    if (selfClosing) {
      // `<Data Name="SourcePortName"/>`: an empty value.
      if (capture === 'data') data[dataName] = '';
      capture = null;
    } else {
      stack.push(name);
    }
    i = at;
  }
  if (stack.length !== 0 || roots !== 1) return null;
  const id = eventId.trim();
  if (!/^\d{1,10}$/.test(id)) return null;
  return {
    eventId: Number(id),
    provider,
    time: systemTime === '' ? NaN : isoMs(systemTime, parseTime),
    computer: computer.trim(),
    data,
  };
}

const SYSMON = 'microsoft-windows-sysmon';
const SECURITY = 'microsoft-windows-security-auditing';
/** An event type is text from the file: only a plain name is counted as one. */
const PLAIN_PROVIDER = /^[A-Za-z0-9_.-]{1,80}$/;

/** How an event that is not an endpoint record is counted: `Sysmon 11`, `Security 4624`, `<provider> <id>`. */
function windowsEventType(ev: WindowsEvent): string {
  const p = ev.provider.toLowerCase();
  if (p === SYSMON) return `Sysmon ${ev.eventId}`;
  if (p === SECURITY) return `Security ${ev.eventId}`;
  return `${PLAIN_PROVIDER.test(ev.provider) ? ev.provider : 'Windows'} ${ev.eventId}`;
}

/**
 * Hands a Windows event to the sink: its endpoint record, or (for every
 * other event) a count by type; a record without a readable time is skipped.
 * The record's `file` is left empty: the sink knows which file it reads.
 */
export function takeWindowsEvent(ev: WindowsEvent, line: number, example: string, sink: RowSink): void {
  const rec = endpointRecord(ev, '', line);
  if (rec === null) sink.other(windowsEventType(ev));
  else if (Number.isNaN(rec.time)) sink.skip('bad-time', line, example);
  else sink.endpoint?.(rec);
}

/**
 * Reads Windows event XML line by line. An event may span lines, so each part
 * of a file needs the context the part before it ended with (the text of an
 * event not yet closed): the context is never final.
 */
export class WindowsXmlReader implements LineReader {
  format: 'windows-xml' | null = null;
  /** The event begun and not closed yet. */
  private readonly pending = new PendingRecord();
  /** Inside an event too long to keep, up to its end tag. */
  private dropping = false;

  constructor(
    private readonly parseTime: TimeParser,
    context: Extract<ReaderContext, { format: 'windows-xml' }> | null = null,
  ) {
    if (context !== null) {
      this.format = 'windows-xml';
      this.pending.resume(context.pending, context.pendingLines);
      this.dropping = context.dropping;
    }
  }

  context(): { context: ReaderContext; final: boolean } | null {
    if (this.format === null) return null;
    return {
      context: { format: 'windows-xml', ...this.pending.carried(), dropping: this.dropping },
      final: false,
    };
  }

  blank(line: number): void {
    this.pending.blank(line);
  }

  read(text: string, start: number, end: number, line: number, sink: RowSink): void {
    this.pending.seen(line);
    const s = text.slice(start, end);
    if (this.dropping) {
      const close = s.indexOf(END_TAG);
      if (close === -1) return;
      this.dropping = false;
      this.scan(s.slice(close + END_TAG.length), line, sink, false);
      return;
    }
    const pending = this.pending;
    if (!pending.open) {
      this.scan(s, line, sink, true);
      return;
    }
    // An end tag is never cut by a line break in what Windows and libevtx write: only this line is searched.
    const close = s.indexOf(END_TAG);
    const next = nextEventOpen(s, 0);
    if (next !== -1 && (close === -1 || next < close)) {
      // A new event opens before the one pending is closed: that one was cut short.
      sink.skip('windows-xml', pending.start, pending.head(EXAMPLE_CHARS));
      pending.clear();
      this.scan(s, line, sink, true);
      return;
    }
    if (close === -1) {
      if (pending.length + s.length + 1 > MAX_RECORD_CHARS) {
        sink.skip('event-too-long', pending.start, pending.head(EXAMPLE_CHARS));
        pending.clear();
        this.dropping = true;
      } else {
        pending.add(s);
      }
      return;
    }
    pending.add(s.slice(0, close + END_TAG.length));
    const xml = pending.text();
    const first = pending.start;
    pending.clear();
    this.event(xml, first, sink);
    this.scan(s.slice(close + END_TAG.length), line, sink, false);
  }

  /** The events, prolog and root tags of (the rest of) one line. `whole`: `s` is the whole line. */
  private scan(s: string, line: number, sink: RowSink, whole: boolean): void {
    let i = 0;
    let events = false;
    let markup = false;
    const n = s.length;
    while (i < n) {
      while (i < n && s.charCodeAt(i) <= 32) i++;
      if (i >= n) break;
      if (opensTag(s, i, '<Event')) {
        this.format = 'windows-xml';
        events = true;
        const close = s.indexOf(END_TAG, i);
        const next = nextEventOpen(s, i + 6);
        if (next !== -1 && (close === -1 || next < close)) {
          // Cut short: another event opens before this one is closed.
          sink.skip('windows-xml', line, s.slice(i, Math.min(next, i + EXAMPLE_CHARS)));
          i = next;
          continue;
        }
        if (close === -1) {
          this.pending.begin(s.slice(i), line);
          return;
        }
        this.event(s.slice(i, close + END_TAG.length), line, sink);
        i = close + END_TAG.length;
        continue;
      }
      const skipTo = this.markupEnd(s, i);
      if (skipTo === -1) {
        sink.skip(this.format === null ? 'not-panos' : 'windows-xml', line, s.slice(i, i + EXAMPLE_CHARS));
        return;
      }
      markup = true;
      i = skipTo;
    }
    // A line of only the prolog or the root's tags is the file's header.
    if (whole && markup && !events) sink.header();
  }

  /** Where the prolog, a comment or an Events tag starting at `i` ends; -1 when none starts there. */
  private markupEnd(s: string, i: number): number {
    if (s.startsWith('<?', i)) {
      const e = s.indexOf('?>', i + 2);
      return e === -1 ? -1 : e + 2;
    }
    if (s.startsWith('<!--', i)) {
      const e = s.indexOf('-->', i + 4);
      return e === -1 ? -1 : e + 3;
    }
    if (opensTag(s, i, '<Events') || s.startsWith('</Events', i)) {
      const e = s.indexOf('>', i);
      if (e === -1) return -1;
      this.format = 'windows-xml';
      return e + 1;
    }
    return -1;
  }

  private event(xml: string, line: number, sink: RowSink): void {
    if (xml.length > MAX_RECORD_CHARS) {
      sink.skip('event-too-long', line, xml.slice(0, EXAMPLE_CHARS));
      return;
    }
    const ev = parseEventXml(xml, this.parseTime);
    if (ev === null) sink.skip('windows-xml', line, xml.slice(0, EXAMPLE_CHARS));
    else takeWindowsEvent(ev, line, xml.slice(0, EXAMPLE_CHARS), sink);
  }
}
