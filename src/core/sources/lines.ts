import type { LineReader } from './format';
import type { RowSink } from './rowSink';

/** Lines longer than this are skipped, so one runaway line cannot exhaust memory. */
export const MAX_LINE_CHARS = 16 * 1024 * 1024;

export interface LineCounts {
  /** Physical lines, blank ones included. */
  lines: number;
  blank: number;
  /** Lines that held U+FFFD, which the decoder puts for invalid UTF-8. */
  invalidUtf8Lines: number;
}

const CR = 13;

/** Whether `text.slice(start, end)` is only white space (what a CSV reader sees as no row). */
function isBlank(text: string, start: number, end: number): boolean {
  if (start === end) return true;
  const c = text.charCodeAt(start);
  // Log lines start with a printable ASCII character; only others need the full test.
  if (c > 32 && c < 127) return false;
  return text.slice(start, end).trim() === '';
}

/**
 * Reads whole lines of decoded text: each line ends with `\n` except perhaps
 * the last line of a file. One CR before a line end is dropped. Line numbers
 * start at `firstLine`; blank and over-long lines are counted here, the rest
 * go to `reader`. Returns the line that showed the format, when the reader
 * did not know it before and one did.
 */
export function readLines(text: string, firstLine: number, reader: LineReader, sink: RowSink, counts: LineCounts): number | null {
  let recognisedAt: number | null = null;
  let line = firstLine;
  let start = 0;
  const length = text.length;
  while (start < length) {
    let nl = text.indexOf('\n', start);
    if (nl === -1) nl = length;
    let end = nl;
    if (end > start && text.charCodeAt(end - 1) === CR) end--;
    if (end - start > MAX_LINE_CHARS) {
      sink.skip('line-too-long', line, text.slice(start, start + 80));
    } else if (isBlank(text, start, end)) {
      counts.blank++;
      reader.blank?.(line);
    } else if (recognisedAt === null && reader.format === null) {
      reader.read(text, start, end, line, sink);
      if (reader.format !== null) recognisedAt = line;
    } else {
      reader.read(text, start, end, line, sink);
    }
    line++;
    start = nl + 1;
  }
  counts.lines += line - firstLine;
  if (text.indexOf('\uFFFD') !== -1) counts.invalidUtf8Lines += invalidLines(text);
  return recognisedAt;
}

/** How many lines of `text` hold U+FFFD. */
function invalidLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\uFFFD'); i !== -1;) {
    n++;
    const nl = text.indexOf('\n', i);
    if (nl === -1) break;
    i = text.indexOf('\uFFFD', nl + 1);
  }
  return n;
}
