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

  constructor(private readonly sink: RowSink) {}

  /** Lines read so far (complete lines only). */
  get lines(): number {
    return this.line;
  }

  push(text: string): void {
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

  private append(text: string): void {
    if (this.dropping) return;
    this.carry += text;
    if (this.carry.length > MAX_LINE_CHARS) {
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
    const result = this.parser.parse(text, 0, false) as Papa.ParseResult<string[]>;
    const base = this.line;
    this.line += lines;
    if (result.errors.length === 0 && result.data.length === lines) {
      const rows = result.data;
      for (let i = 0; i < rows.length; i++) this.emit(rows[i], base + i + 1);
      return;
    }
    // Some line is not clean CSV: read this batch again one line at a time.
    const split = text.split('\n');
    for (let i = 0; i < split.length; i++) {
      const one = this.parser.parse(split[i], 0, false) as Papa.ParseResult<string[]>;
      if (one.errors.length > 0 || one.data.length !== 1) this.sink.bad(base + i + 1, 'csv-quotes', split[i].slice(0, 80));
      else this.emit(one.data[0], base + i + 1);
    }
  }

  private emit(fields: string[], line: number): void {
    if (fields.length === 1 && fields[0].trim() === '') this.sink.blank(line);
    else this.sink.row(fields, line);
  }
}
