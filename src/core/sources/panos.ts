/**
 * PAN-OS log lines: syslog-forwarded lines (columns by position, any syslog
 * header folded into the first column) and web-UI/Panorama CSV exports (a
 * header row, columns by normalised name). The format is told from content.
 */
import type { SkipReason } from './counts';
import type { TimeParser } from '../util/time';
import { CsvLine, type CsvCells, type LocatedCells } from './csvLine';
import type { LineReader, ReaderContext } from './format';
import {
  checkHeader,
  columnsNeeded,
  missingColumnsMessage,
  normaliseHeader,
  TRAFFIC_COLUMNS,
  URL_COLUMNS,
  type Columns,
  widthMessage,
} from './panosColumns';
import { emptyUrlRow, parsePort, type RowSink, type UrlRow } from './rowSink';

const LOG_TYPE = /^[A-Z][A-Z-]{2,31}$/;
/** A THREAT subtype: `url`, `vulnerability`, `wildfire-virus`, ... */
const SUBTYPE = /^[a-z][a-z0-9-]{0,31}$/;

/**
 * Export headers have about a hundred columns; a wider row is not tried as one, so each junk
 * line before a file's format is known does not cost a lookup per cell.
 */
const MAX_HEADER_COLUMNS = 1024;
/**
 * The fields that tell a row's kind and, for a URL row, its client: a row is
 * first scanned this far, and further only when more is needed (a URL row of
 * a non-browser client, a TRAFFIC row whose bytes lie past them). Most URL
 * rows are browsers', and their remaining fields are never located.
 */
function firstNeeded(cols: Readonly<Columns>): number {
  return Math.max(cols.type, cols.subtype, cols.receiveTime, cols.generateTime, cols.url, cols.userAgent) + 1;
}

const SYSLOG_FIRST = Math.max(firstNeeded(URL_COLUMNS), columnsNeeded(TRAFFIC_COLUMNS));
const SYSLOG_URL_FIELDS = columnsNeeded(URL_COLUMNS);

type RowKind = 'url' | 'traffic' | 'other' | 'header' | SkipReason;

/** The key that joins a URL row to its session's TRAFFIC row; empty when the row has no session id. */
function sessionKey(serial: string, session: string): string {
  return session === '' ? '' : `${serial}:${session}`;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function parseBytes(s: string): number | null {
  if (s === '') return null;
  const n = Number(s);
  return Number.isFinite(n) && n >= 0 ? n : null;
}

/** Reads one PAN-OS file, line by line. */
export class PanosReader implements LineReader {
  format: 'panos-syslog' | 'panos-csv' | null = null;
  private header: Columns | null = null;
  /** The header's column count, and whether the first row under it is still to be checked against it. */
  private width = 0;
  private firstRowPending = false;
  refused: string | null = null;
  /** columnsNeeded(header) and firstNeeded(header), worked out once per header. */
  private headerFields = 0;
  private headerFirst = 0;
  private columns: Readonly<Columns> = URL_COLUMNS;
  private otherType = '';
  private readonly csv = new CsvLine();
  /** The line being read: decoded text (`csv`), or bytes indexed by the kernel (`located`, panosBytes.ts). */
  private cells: CsvCells = this.csv;
  private located: LocatedCells | null = null;
  private text = '';
  private start = 0;
  private end = 0;
  /** The fields of a row while its format is not known: all are needed to try it as a header. */
  private readonly all: string[] = [];
  private count = 0;
  private readonly row = emptyUrlRow();

  constructor(
    private readonly parseTime: TimeParser,
    context: ReaderContext | null = null,
  ) {
    if (context?.format === 'panos-syslog') this.format = 'panos-syslog';
    if (context?.format === 'panos-csv') {
      this.format = 'panos-csv';
      this.setHeader(context.columns, context.width, context.firstRowPending);
    }
  }

  context(): { context: ReaderContext; final: boolean } | null {
    if (this.format === 'panos-syslog') return { context: { format: 'panos-syslog' }, final: true };
    if (this.format === 'panos-csv' && this.header !== null && this.refused === null) {
      const context: ReaderContext = {
        format: 'panos-csv',
        columns: this.header,
        width: this.width,
        firstRowPending: this.firstRowPending,
      };
      // Until the first row is checked, the next part must wait for this one's context.
      return { context, final: !this.firstRowPending };
    }
    return null;
  }

  read(text: string, start: number, end: number, line: number, sink: RowSink): void {
    this.text = text;
    this.start = start;
    this.end = end;
    this.cells = this.csv;
    this.located = null;
    this.readRow(this.csv, (upTo) => this.csv.scan(text, start, end, upTo), line, sink);
  }

  /** Reads a line whose fields the structural index located in its bytes (panosBytes.ts). */
  readLocated(row: LocatedCells, line: number, sink: RowSink): void {
    this.cells = this.located = row;
    this.readRow(row, (upTo) => row.scan(upTo), line, sink);
  }

  /** The line being read, or its first `max` characters, for examples. */
  private lineText(max?: number): string {
    if (this.located !== null) return this.located.text(max);
    return this.text.slice(this.start, max === undefined ? this.end : Math.min(this.end, this.start + max));
  }

  private readRow(cells: CsvCells, scan: (upTo: number) => number, line: number, sink: RowSink): void {
    if (this.refused !== null) {
      // Counted, so every line is accounted for, though the file is refused and none of it is kept.
      sink.skip('refused-export', line, this.lineText(80));
      return;
    }
    const upTo = this.header !== null ? this.headerFirst : this.format !== null ? SYSLOG_FIRST : MAX_HEADER_COLUMNS + 1;
    this.count = scan(upTo);
    if (this.count < 0) {
      sink.skip('csv-quotes', line, this.lineText(80));
      return;
    }
    const kind = this.kind();
    if (kind === 'header' && this.refused !== null) {
      sink.header();
      return;
    }
    if (this.firstRowPending && (kind === 'url' || kind === 'traffic' || kind === 'other')) {
      // A header a column short of its rows shifts every field after the gap: told by the first row, when it is
      // wider. A narrower one may be a line cut short, which damages only itself (checked below, per row).
      this.firstRowPending = false;
      if (!this.wholeWidth() && cells.count > this.width) {
        this.refused = widthMessage(this.width);
        sink.skip('refused-export', line, this.lineText(80));
        return;
      }
    }
    if (kind === 'url') this.urlRow(line, sink);
    else if (kind === 'traffic') this.trafficRow(line, sink);
    else if (kind === 'other') sink.other(this.otherType);
    else if (kind === 'header') sink.header();
    else sink.skip(kind, line, this.lineText());
  }

  /**
   * Hands a URL row to the sink with its line. A row read from bytes comes
   * with a function that makes its text, which the sink calls only to show
   * the line (rowSink.ts), so a line read from bytes is not decoded whole.
   */
  private toSink(row: UrlRow, line: number, sink: RowSink): void {
    if (this.located === null) sink.url(row, line, this.text, this.start, this.end);
    else sink.url(row, line, this.wholeLine, 0, 0);
  }

  /** The line being read, made when asked (toSink). */
  private readonly wholeLine = (): string => this.lineText();

  private setHeader(cols: Columns, width: number, firstRowPending: boolean): void {
    this.header = cols;
    this.width = width;
    this.firstRowPending = firstRowPending;
    this.headerFields = columnsNeeded(cols);
    this.headerFirst = firstNeeded(cols);
  }

  /** Whether the row scanned has exactly the header's column count (locating the rest of its fields to tell). */
  private wholeWidth(): boolean {
    this.cells.more(this.width + 1);
    return this.cells.count === this.width;
  }

  private cell(i: number): string {
    return this.cells.field(i);
  }

  /** A byte count: plain digits read on the cells, anything else as text (parseBytes). */
  private bytesCell(i: number): number | null {
    const n = this.cells.digits(i, 15);
    return n >= 0 ? n : parseBytes(this.cell(i));
  }

  /** A port: plain digits read on the cells, anything else as text (parsePort). */
  private portCell(i: number): number | null {
    const n = this.cells.digits(i, 5);
    return n < 0 ? parsePort(this.cell(i)) : n <= 65535 ? n : null;
  }

  /** The row's generate time, or its receive time where that is empty. */
  private rowTime(c: Readonly<Columns>): number {
    const cells = this.cells;
    return cells.time(cells.isEmpty(c.generateTime) ? c.receiveTime : c.generateTime, this.parseTime);
  }

  private urlRow(line: number, sink: RowSink): void {
    const c = this.columns;
    const row = this.row;
    row.time = this.rowTime(c);
    if (Number.isNaN(row.time)) {
      sink.skip('bad-time', line, this.lineText());
      return;
    }
    if (this.cells.isEmpty(c.url)) {
      sink.skip('no-url', line, this.lineText());
      return;
    }
    row.userAgent = this.cell(c.userAgent);
    const detail = sink.wantsDetail === undefined || sink.wantsDetail(row.userAgent, '');
    // Read from bytes, a row only counted does not need its URL made (rowSink.ts wantsDetail).
    row.url = detail || this.located === null ? this.cell(c.url) : '';
    if (!detail) {
      // A browser's or an unknown client's row is only counted: its other fields are not read.
      row.host = row.user = row.method = row.contentType = row.action = row.session = '';
      row.sourceAddress = row.destinationAddress = '';
      row.bytesOut = row.bytesIn = row.sourcePort = row.destinationPort = null;
      this.toSink(row, line, sink);
      return;
    }
    this.cells.more(this.header !== null ? this.headerFields : SYSLOG_URL_FIELDS);
    if (this.header !== null && !this.wholeWidth()) {
      // A row kept as an event is checked whole: one cell more or less would move its fields.
      sink.skip('csv-columns', line, this.lineText());
      return;
    }
    row.host = this.cell(c.src);
    row.user = this.cell(c.user);
    row.method = this.cell(c.method);
    row.contentType = this.cell(c.contentType);
    row.bytesOut = this.bytesCell(c.bytesSent);
    row.bytesIn = this.bytesCell(c.bytesReceived);
    row.action = this.cell(c.action);
    row.session = sessionKey(this.cell(c.serial), this.cell(c.session));
    row.sourceAddress = row.host;
    row.destinationAddress = this.cell(c.dst);
    row.sourcePort = this.portCell(c.srcPort);
    row.destinationPort = this.portCell(c.dstPort);
    this.toSink(row, line, sink);
  }

  private trafficRow(line: number, sink: RowSink): void {
    const c = this.columns;
    if (this.header !== null) {
      this.cells.more(this.headerFields);
      if (!this.wholeWidth()) {
        sink.skip('csv-columns', line, this.lineText());
        return;
      }
    }
    sink.other('TRAFFIC');
    const sent = this.bytesCell(c.bytesSent);
    const session = this.cell(c.session);
    if (sent === null || session === '') return;
    const time = this.rowTime(c);
    if (Number.isNaN(time)) return;
    sink.traffic(sessionKey(this.cell(c.serial), session), time, sent, this.bytesCell(c.bytesReceived));
  }

  /** What the row in `f` is; leaves `columns` set for reading it and `otherType` for other log types. */
  private kind(): RowKind {
    const n = this.count;
    if (this.header !== null) return this.exported(this.header);
    const cells = this.cells;
    // The common row first, tested on the cells themselves (bytes, in a part read from bytes): this runs for every line of the log.
    if (n > 4 && cells.is(3, 'THREAT') && cells.is(4, 'url') && cells.timeLike(1)) {
      this.format ??= 'panos-syslog';
      this.columns = URL_COLUMNS;
      return n > URL_COLUMNS.url ? 'url' : 'too-few-columns';
    }
    const type = this.cell(3);
    if (n > 4 && cells.timeLike(1) && LOG_TYPE.test(type)) {
      this.format ??= 'panos-syslog';
      return this.positional(type);
    }
    if (this.format === null && n <= MAX_HEADER_COLUMNS) {
      const f = this.all;
      for (let i = 0; i < n; i++) f[i] = this.cell(i);
      const check = checkHeader(f, n);
      if (check?.kind === 'missing') {
        this.format = 'panos-csv';
        this.refused = missingColumnsMessage(check.missing);
        return 'header';
      }
      if (check !== null) {
        this.setHeader(check.columns, n, true);
        this.format = 'panos-csv';
        return 'header';
      }
    }
    // Prisma Access / Strata Logging Service forwarding: ISO time, then serial, then type.
    if (n > 4 && /^[A-Z]{3,}$/.test(this.cell(2)) && /\d{4}-\d\d-\d\dT/.test(this.cell(0))) return 'unsupported-layout';
    return 'not-panos';
  }

  private positional(type: string): RowKind {
    const sub = this.cell(4);
    if (type === 'THREAT' && sub === 'url') {
      this.columns = URL_COLUMNS;
      return this.count > URL_COLUMNS.url ? 'url' : 'too-few-columns';
    }
    if (type === 'TRAFFIC' && this.count > TRAFFIC_COLUMNS.bytesReceived) {
      this.columns = TRAFFIC_COLUMNS;
      return 'traffic';
    }
    if (type === 'THREAT' && !SUBTYPE.test(sub)) return 'not-panos';
    this.otherType = type === 'THREAT' ? `THREAT/${sub}` : type;
    return 'other';
  }

  private exported(cols: Columns): RowKind {
    this.columns = cols;
    const cells = this.cells;
    const timeCol = cols.receiveTime >= 0 ? cols.receiveTime : cols.generateTime;
    // A header row repeated inside the export (files joined together): its time cell is a name, not a time, which starts with a digit.
    if (
      timeCol < this.count &&
      !isDigit(cells.firstCode(timeCol)) &&
      normaliseHeader(this.cell(timeCol)) === (cols.receiveTime >= 0 ? 'receivetime' : 'generatetime')
    ) {
      return 'header';
    }
    // The common row, tested on the cells themselves: what the general reading below gives it.
    if (cells.is(cols.type, 'THREAT') && cells.is(cols.subtype, 'url')) return cols.url < this.count ? 'url' : 'too-few-columns';
    const type = this.cell(cols.type).trim();
    const sub = this.cell(cols.subtype).trim().toLowerCase();
    const upper = type.toUpperCase();
    if (upper === 'TRAFFIC' || (type === '' && sub === '' && cols.url === -1)) {
      this.otherType = 'TRAFFIC';
      return cols.bytesSent >= 0 && cols.session >= 0 ? 'traffic' : 'other';
    }
    const isUrl = (upper === 'THREAT' || upper === 'URL' || type === '') && (sub === 'url' || sub === '');
    if (!isUrl) {
      // Junk in the type cells is not a log type: counting it as one would name a type after any text.
      if (!LOG_TYPE.test(upper) || (upper === 'THREAT' && !SUBTYPE.test(sub))) return 'not-panos';
      this.otherType = upper === 'THREAT' ? `THREAT/${sub}` : upper;
      return 'other';
    }
    return cols.url < this.count ? 'url' : 'too-few-columns';
  }
}
