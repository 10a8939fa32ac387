import Papa from 'papaparse';
import type { TimeParser } from '../util/time';
import { csvField, scanCsvFieldsMore, scanCsvFieldsUpTo } from './csvFields';
import { looksLikeTime } from './panosColumns';

/**
 * One CSV line's fields, as PapaParse reads the line alone: PapaParse is the
 * reference reading of a row (README, "The CSV fast path"), with one record per physical line
 * (PAN-OS writes no line breaks inside fields, and a stray quote then damages
 * only its own line). The fast path (csvFields.ts, equal to PapaParse under a
 * differential test) locates fields without making strings; a field becomes a
 * string only when asked for. The rare line the fast path rejects goes to
 * PapaParse itself, which has the last word.
 */
/** A CSV line's fields, however they were located: from decoded text (CsvLine) or from bytes (panosBytes.ts ByteLine). */
export interface CsvCells {
  /** The field count up to the largest `upTo` asked for, plus one (more is not counted); -1 when the line is not clean CSV. */
  readonly count: number;
  /** Locates the fields up to `upTo` too (see CsvLine.more). */
  more(upTo: number): void;
  /** Field `i`; '' past the line's end or past the fields located. */
  field(i: number): string;
  /** Whether field(i) is '', without making it. */
  isEmpty(i: number): boolean;
  /** The first UTF-16 code of field(i) (NaN when it is empty), without making it. */
  firstCode(i: number): number;
  /** Whether field(i) is `text`, without making it. */
  is(i: number, text: string): boolean;
  /** The value of field(i) when it is 1 to `max` (<= 15) ASCII digits alone, read without making it; otherwise -1 (read it as text). */
  digits(i: number, max: number): number;
  /** Whether field(i) has the shape of a PAN-OS time (panosColumns.ts looksLikeTime), without making it. */
  timeLike(i: number): boolean;
  /** `parse` read field(i) trimmed, without making it where the cells allow. */
  time(i: number, parse: TimeParser): number;
}

/** Cells located before decoding, in bytes: scanned to `upTo` like CsvLine.scan, and the line's text decoded only when asked for. */
export interface LocatedCells extends CsvCells {
  scan(upTo: number): number;
  /** The line, or its first `max` characters. */
  text(max?: number): string;
}

export class CsvLine implements CsvCells {
  private readonly parser = new Papa.Parser({ delimiter: ',', newline: '\n', quoteChar: '"' });
  private bounds = new Int32Array(256);
  private text = '';
  private start = 0;
  private end = 0;
  /** PapaParse's fields, when it read a line the fast path gave up on. */
  private parsed: string[] | null = null;
  private located = 0;
  count = 0;

  /**
   * Reads `text.slice(start, end)`, locating its first `upTo` fields; returns
   * the field count up to `upTo + 1` (more is not counted), or -1 when the line
   * is not clean CSV.
   */
  scan(text: string, start: number, end: number, upTo: number): number {
    if (this.bounds.length < 2 * upTo) this.bounds = new Int32Array(2 * upTo);
    this.text = text;
    this.start = start;
    this.end = end;
    this.parsed = null;
    let count = scanCsvFieldsUpTo(text, start, end, upTo, this.bounds);
    if (count < 0) {
      const result = this.parser.parse(text.slice(start, end), 0, false) as Papa.ParseResult<string[]>;
      if (result.errors.length === 0 && result.data.length === 1) {
        this.parsed = result.data[0];
        count = Math.min(this.parsed.length, upTo + 1);
      }
    }
    this.count = count;
    this.located = Math.min(count, upTo);
    return count;
  }

  /**
   * Locates the line's fields up to `upTo` too, when it was scanned with a
   * smaller `upTo` and has more: the first scan checked the whole line, so
   * this only finds where the later fields are.
   */
  more(upTo: number): void {
    const from = this.located;
    if (upTo <= from || this.count <= from) return;
    if (this.parsed !== null) {
      this.count = Math.min(this.parsed.length, upTo + 1);
    } else {
      if (this.bounds.length < 2 * upTo) {
        const wider = new Int32Array(2 * upTo);
        wider.set(this.bounds.subarray(0, 2 * from));
        this.bounds = wider;
      }
      this.count = scanCsvFieldsMore(this.text, this.start, this.end, from, upTo, this.bounds);
    }
    this.located = Math.min(this.count, upTo);
  }

  isEmpty(i: number): boolean {
    return this.field(i) === '';
  }

  firstCode(i: number): number {
    return this.field(i).charCodeAt(0);
  }

  is(i: number, text: string): boolean {
    return this.field(i) === text;
  }

  digits(): number {
    return -1;
  }

  timeLike(i: number): boolean {
    return looksLikeTime(this.field(i));
  }

  time(i: number, parse: TimeParser): number {
    return parse(this.field(i).trim());
  }

  /** Field `i` of the line scanned; '' past the line's end or past the `upTo` it was scanned with. */
  field(i: number): string {
    if (i < 0 || i >= this.located) return '';
    return this.parsed !== null ? this.parsed[i] : csvField(this.text, this.bounds, i);
  }
}
