import Papa from 'papaparse';

/**
 * Decoded text to CSV rows tagged with their physical line numbers, through
 * PapaParse's parser. A record is one line: PAN-OS writes no line breaks inside
 * fields, and reading line by line keeps a stray quote from swallowing the rest
 * of the file (that line alone is reported).
 */
export interface RowSink {
  row(fields: string[], line: number): void;
  /** A line that could not be read as CSV; `text` is its start, for examples. */
  bad(line: number, reason: 'csv-quotes' | 'line-too-long', text: string): void;
  blank(line: number): void;
}

/** Lines longer than this are skipped, so one runaway line cannot exhaust memory. */
export const MAX_LINE_CHARS = 16 * 1024 * 1024;

export class RowReader {
  private readonly parser = new Papa.Parser({ delimiter: ',', newline: '\n', quoteChar: '"' });
  private carry = '';
  private line = 0;
  /** Inside an over-long line: drop text until its end. */
  private dropping = false;
  private invalidLines = 0;
  private lastInvalidLine = 0;

  constructor(private readonly sink: RowSink) {}

  /** Lines read so far (complete lines only). */
  get lines(): number {
    return this.line;
  }

  /** Complete lines that held U+FFFD, which the decoder puts for invalid UTF-8. */
  get invalidUtf8Lines(): number {
    return this.invalidLines - (this.lastInvalidLine > this.line ? 1 : 0);
  }

  push(text: string): void {
    if (text.indexOf('\uFFFD') !== -1) this.markInvalid(text);
    const lastNl = text.lastIndexOf('\n');
    if (lastNl === -1) {
      this.append(text);
      return;
    }
    const head = text.slice(0, lastNl);
    const tail = text.slice(lastNl + 1);
    if (this.dropping) {
      const firstNl = head.indexOf('\n');
      this.endOverlong();
      if (firstNl !== -1) this.batch(head.slice(firstNl + 1));
    } else {
      this.batch(this.carry === '' ? head : this.carry + head);
    }
    this.carry = '';
    this.append(tail);
  }

  end(): void {
    if (this.dropping) {
      this.endOverlong();
    } else if (this.carry !== '') {
      this.batch(this.carry);
    }
    this.carry = '';
  }

  /** Counts the lines of `text` that hold U+FFFD; its first line continues line `this.line + 1`. */
  private markInvalid(text: string): void {
    let line = this.line + 1;
    let nl = text.indexOf('\n');
    for (let i = text.indexOf('\uFFFD'); i !== -1; i = text.indexOf('\uFFFD', i + 1)) {
      while (nl !== -1 && nl < i) {
        line++;
        nl = text.indexOf('\n', nl + 1);
      }
      if (line !== this.lastInvalidLine) {
        this.invalidLines++;
        this.lastInvalidLine = line;
      }
    }
  }

  private append(text: string): void {
    if (this.dropping) return;
    this.carry += text;
    // One more than the limit: the last character may be the CR of a CRLF.
    if (this.carry.length > MAX_LINE_CHARS + 1) {
      this.dropping = true;
      this.carry = this.carry.slice(0, 80);
    }
  }

  private endOverlong(): void {
    this.line += 1;
    this.sink.bad(this.line, 'line-too-long', this.carry);
    this.dropping = false;
    this.carry = '';
  }

  /** `text` holds whole lines, without the final line break. */
  private batch(text: string): void {
    if (text.indexOf('\r') !== -1) text = text.replace(/\r(?=\n|$)/g, '');
    let lines = 1;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
    const base = this.line;
    this.line += lines;
    // A line that ends in the chunk that holds its start has not been measured yet.
    if (text.length <= MAX_LINE_CHARS || longestLine(text) <= MAX_LINE_CHARS) {
      const result = this.parser.parse(text, 0, false) as Papa.ParseResult<string[]>;
      if (result.errors.length === 0 && result.data.length === lines) {
        const rows = result.data;
        for (let i = 0; i < rows.length; i++) this.emit(rows[i], base + i + 1);
        return;
      }
    }
    // Some line is too long or not clean CSV: read this batch again one line at a time.
    const split = text.split('\n');
    for (let i = 0; i < split.length; i++) {
      const one = split[i];
      if (one.length > MAX_LINE_CHARS) {
        this.sink.bad(base + i + 1, 'line-too-long', one.slice(0, 80));
        continue;
      }
      // PapaParse reads '' as no row at all.
      if (one === '') {
        this.sink.blank(base + i + 1);
        continue;
      }
      const parsed = this.parser.parse(one, 0, false) as Papa.ParseResult<string[]>;
      if (parsed.errors.length > 0 || parsed.data.length !== 1) this.sink.bad(base + i + 1, 'csv-quotes', one.slice(0, 80));
      else this.emit(parsed.data[0], base + i + 1);
    }
  }

  private emit(fields: string[], line: number): void {
    if (fields.length === 1 && fields[0].trim() === '') this.sink.blank(line);
    else this.sink.row(fields, line);
  }
}

function longestLine(text: string): number {
  let longest = 0;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    longest = Math.max(longest, i - start);
    start = i + 1;
  }
  return Math.max(longest, text.length - start);
}
