/**
 * Zeek `http.log` as its ASCII writer writes it by default: `#` header lines
 * (`#separator`, `#set_separator`, `#empty_field`, `#unset_field`, `#path`,
 * `#fields`, `#types`, `#open`, `#close`), then one row a line, columns
 * separated as `#separator` says. Columns are found by name in `#fields`.
 */
import type { TimeParser } from '../util/time';
import type { LineReader, ReaderContext } from './format';
import { emptyUrlRow, parsePort, type RowSink } from './rowSink';
import { epochSecondsMs } from './sensorTime';
import { sensorUrl } from './sensorUrl';
import { blockColumns, newBlock, unescapeZeek, zeekOtherType, type ZeekBlock, type ZeekColumns } from './zeekBlock';

const HASH = 35;
const COUNT = /^\d{1,15}$/;

/** Whether `text.slice(start, end)` opens a Zeek TSV header block. */
export function isSeparatorLine(text: string, start: number, end: number): boolean {
  if (end - start < 12 || !text.startsWith('#separator', start)) return false;
  const c = text.charCodeAt(start + 10);
  return c === 32 || c === 9;
}

export class ZeekTsvReader implements LineReader {
  readonly format = 'zeek-tsv';
  private block: ZeekBlock;
  private columns: ZeekColumns | null = null;
  /** null: the block's rows are HTTP requests; else the type they are counted as. */
  private otherType: string | null = null;
  private bounds = new Int32Array(64);
  private text = '';
  private readonly row = emptyUrlRow();

  constructor(
    private readonly parseTime: TimeParser,
    block: ZeekBlock | null = null,
  ) {
    this.block = block ?? newBlock();
    this.useBlock();
  }

  context(): { context: ReaderContext; final: boolean } {
    // A new header block can come at any line, so each part needs the one before it.
    return { context: { format: 'zeek-tsv', block: this.block }, final: false };
  }

  read(text: string, start: number, end: number, line: number, sink: RowSink): void {
    if (text.charCodeAt(start) === HASH) {
      // Zeek escapes a value's leading `#`, so every such line is meta data.
      this.header(text.slice(start, end));
      sink.header();
      return;
    }
    const cols = this.columns;
    if (cols === null || this.split(text, start, end, cols.count) !== cols.count) {
      sink.skip('zeek-columns', line, text.slice(start, end));
      return;
    }
    if (this.otherType !== null) {
      sink.other(this.otherType);
      return;
    }
    const row = this.row;
    const ts = this.value(cols.ts);
    row.time = ts === null ? NaN : epochSecondsMs(ts);
    if (Number.isNaN(row.time)) {
      sink.skip('bad-time', line, text.slice(start, end));
      return;
    }
    row.url = sensorUrl(this.value(cols.host) ?? '', this.value(cols.uri) ?? '', this.value(cols.respH) ?? '');
    if (row.url === '') {
      sink.skip('no-url', line, text.slice(start, end));
      return;
    }
    row.host = this.value(cols.origH) ?? '';
    row.userAgent = this.value(cols.userAgent) ?? '';
    row.method = this.value(cols.method) ?? '';
    row.contentType = this.contentType(cols);
    row.bytesOut = this.count(cols.requestBodyLen);
    row.bytesIn = this.count(cols.responseBodyLen);
    row.sourceAddress = row.host;
    row.sourcePort = parsePort(this.value(cols.origP));
    row.destinationAddress = this.value(cols.respH) ?? '';
    row.destinationPort = parsePort(this.value(cols.respP));
    sink.url(row, line, text, start, end);
  }

  /** Finds the columns of the line; returns how many it has, or `want + 1` once it has more than `want`. */
  private split(text: string, start: number, end: number, want: number): number {
    if (this.bounds.length < 2 * (want + 1)) this.bounds = new Int32Array(2 * (want + 1));
    const b = this.bounds;
    const sep = this.block.separator;
    let n = 0;
    let at = start;
    for (;;) {
      let next = text.indexOf(sep, at);
      if (next === -1 || next > end) next = end;
      b[2 * n] = at;
      b[2 * n + 1] = next;
      n++;
      if (next === end || n > want) break;
      at = next + sep.length;
    }
    this.text = text;
    return n;
  }

  private raw(i: number): string {
    return this.text.slice(this.bounds[2 * i], this.bounds[2 * i + 1]);
  }

  /** A column's value: null where unset or absent, '' where empty. */
  private value(i: number): string | null {
    if (i < 0) return null;
    const raw = this.raw(i);
    if (raw === this.block.unsetField) return null;
    if (raw === this.block.emptyField) return '';
    return unescapeZeek(raw);
  }

  private count(i: number): number | null {
    const v = this.value(i);
    return v !== null && COUNT.test(v) ? Number(v) : null;
  }

  /** The response's type: the first entry of `resp_mime_types` (a set), or Bro 2.1's `mime_type`. */
  private contentType(cols: ZeekColumns): string {
    if (cols.mimeTypes < 0) return '';
    const raw = this.raw(cols.mimeTypes);
    if (raw === this.block.unsetField || raw === this.block.emptyField) return '';
    if (!cols.mimeIsSet) return unescapeZeek(raw);
    const cut = raw.indexOf(this.block.setSeparator);
    return unescapeZeek(cut === -1 ? raw : raw.slice(0, cut));
  }

  private header(line: string): void {
    if (isSeparatorLine(line, 0, line.length)) {
      const sep = unescapeZeek(line.slice(11));
      this.block = newBlock(sep === '' ? '\t' : sep);
      this.useBlock();
      return;
    }
    const sep = this.block.separator;
    const cut = line.indexOf(sep);
    if (cut === -1) return;
    const name = line.slice(1, cut);
    const value = line.slice(cut + sep.length);
    const b: ZeekBlock = { ...this.block };
    if (name === 'set_separator') b.setSeparator = unescapeZeek(value) || ',';
    else if (name === 'empty_field') b.emptyField = unescapeZeek(value);
    else if (name === 'unset_field') b.unsetField = unescapeZeek(value);
    else if (name === 'path') b.path = unescapeZeek(value);
    else if (name === 'fields') b.fields = value.split(sep).map(unescapeZeek);
    else return;
    // A new object, not an edit: a context handed out earlier stays as it was.
    this.block = b;
    this.useBlock();
  }

  private useBlock(): void {
    const fields = this.block.fields;
    if (fields === null) {
      this.columns = null;
      this.otherType = null;
      return;
    }
    const cols = blockColumns(fields);
    this.columns = cols;
    this.otherType = zeekOtherType(this.block.path, cols.host !== -1 || cols.uri !== -1);
  }
}
