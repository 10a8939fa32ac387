/**
 * The fields of one CSV line, read exactly as PapaParse's `Papa.Parser` reads
 * that line alone with { delimiter: ',', newline: '\n', quoteChar: '"' } (how
 * the PAN-OS reader called PapaParse before this path), but only as far as the caller needs:
 * the first `upTo` fields are located, the rest of the line is only counted
 * and checked. A line PapaParse reads with an error gives -1, so the caller can
 * hand exactly those lines to PapaParse (or report them) and lose nothing.
 *
 * PapaParse's reading of one line, which this follows (papaparse 5.7.1,
 * tests/unit/csv-fields.test.ts checks it against the library itself):
 * - A field is quoted only when its first character is `"`. A quote anywhere
 *   else is data, and so is a comma after it: ` "a,b"` is the two fields
 *   ` "a` and `b"`, `ab"c` is one field, both without any error.
 * - In a quoted field `""` is one quote. The first other quote closes the
 *   field; it must be followed by the line end, by a comma, or by characters
 *   that String.prototype.trim() removes and then a comma (`"a" ,b` is `a`,
 *   `b`; the spaces are dropped). Anything else after it (`"a"b`, `"a" ` at
 *   the line end) is an error, and so is a quote never closed.
 * - A line without any `"` is split at every comma.
 * - The empty line is no row at all: this returns 0 for it.
 */

const QUOTE = 34;
const COMMA = 44;
const PAIRS = /""/g;

/** The closing quote after the opening quote at `open`: its index, `~index` when the value holds doubled quotes, or -1 when PapaParse reports an error. */
function closingQuote(line: string, open: number): number {
  const last = line.length - 1;
  let pairs = false;
  let from = open + 1;
  for (;;) {
    const q = line.indexOf('"', from);
    if (q === -1) return -1;
    if (q === last) return pairs ? ~q : q;
    const next = line.charCodeAt(q + 1);
    if (next === QUOTE) {
      pairs = true;
      from = q + 2;
      continue;
    }
    if (next !== COMMA) {
      // PapaParse accepts what trim() removes between the closing quote and the next comma.
      const comma = line.indexOf(',', q + 1);
      if (comma === -1 || line.slice(q + 1, comma).trim() !== '') return -1;
    }
    return pairs ? ~q : q;
  }
}

/**
 * Locates the fields of the line `text.slice(start, end)` (no line end; the CR
 * of a CRLF already removed). For each of the first min(count, upTo) fields,
 * `bounds[2i]` and `bounds[2i + 1]` are where its value starts and ends in
 * `text` (inside the quotes of a quoted field); a start stored as `~start`
 * (negative) marks a value whose doubled quotes must be collapsed, which
 * `csvField` does. Returns the number of fields in the whole line, 0 for the
 * empty line, or -1 when PapaParse reads the line with an error.
 * `bounds` must hold at least 2 * upTo numbers.
 */
export function scanCsvFields(text: string, start: number, end: number, upTo: number, bounds: Int32Array): number {
  return scan(text, start, end, upTo, bounds, true);
}

/**
 * `scanCsvFields`, but the fields after the first `upTo` are only checked,
 * not counted: returns min(count, upTo + 1), which is all a caller needs that
 * compares the count with numbers below `upTo + 1` (and -1 exactly when
 * `scanCsvFields` does). PAN-OS rows have about 110 fields and the reader
 * needs 64: the rest of the line costs one search for a quote.
 */
export function scanCsvFieldsUpTo(text: string, start: number, end: number, upTo: number, bounds: Int32Array): number {
  return scan(text, start, end, upTo, bounds, false);
}

/** `locate` stopped at `upTo` fields; the next field starts at `stoppedAt`. */
const REACHED = -2;
let stoppedAt = 0;

function scan(text: string, start: number, end: number, upTo: number, bounds: Int32Array, exact: boolean): number {
  if (bounds.length < 2 * upTo) throw new RangeError(`bounds holds ${bounds.length} numbers, fewer than 2 * ${upTo}`);
  if (end <= start) return 0;
  // A slice shares the text's storage in V8, and it bounds every search to the line.
  const line = start === 0 && end === text.length ? text : text.slice(start, end);
  const n = locate(line, start, end, 0, 0, upTo, bounds);
  if (n !== REACHED) return n;
  if (!exact) return checkRest(line, stoppedAt) ? upTo + 1 : -1;
  return countRest(line, stoppedAt, upTo);
}

/**
 * Locates fields `n` .. `upTo - 1` of `line`, field `n` starting at `p`:
 * returns the line's field count when it ends first (-1 on an error), else
 * REACHED with `stoppedAt` where field `upTo` starts.
 */
function locate(line: string, start: number, end: number, n: number, p: number, upTo: number, bounds: Int32Array): number {
  const len = line.length;
  while (n < upTo) {
    const at = 2 * n;
    n++;
    if (line.charCodeAt(p) === QUOTE) {
      const q = closingQuote(line, p);
      if (q === -1) return -1;
      const close = q < 0 ? ~q : q;
      bounds[at] = q < 0 ? ~(start + p + 1) : start + p + 1;
      bounds[at + 1] = start + close;
      if (close + 1 === len) return n;
      p = line.charCodeAt(close + 1) === COMMA ? close + 2 : line.indexOf(',', close + 1) + 1;
    } else {
      const comma = line.indexOf(',', p);
      bounds[at] = start + p;
      if (comma === -1) {
        bounds[at + 1] = end;
        return n;
      }
      bounds[at + 1] = start + comma;
      p = comma + 1;
    }
  }
  stoppedAt = p;
  return REACHED;
}

/**
 * Goes on locating the fields of a line that `scanCsvFieldsUpTo` read with
 * `upTo` = `from` and found longer (it returned `from + 1`): fields `from` ..
 * `upTo - 1` are located into the same `bounds`, those before kept. Returns
 * what `scanCsvFieldsUpTo` would have returned with this `upTo`. The rest of
 * the line was checked by that first scan, so it is not checked again. A
 * reader that needs the later fields of some rows only (PAN-OS: past the
 * User-Agent only for non-browser clients) locates them only for those.
 */
export function scanCsvFieldsMore(
  text: string,
  start: number,
  end: number,
  from: number,
  upTo: number,
  bounds: Int32Array,
): number {
  if (bounds.length < 2 * upTo) throw new RangeError(`bounds holds ${bounds.length} numbers, fewer than 2 * ${upTo}`);
  if (from < 1 || upTo <= from) throw new RangeError(`fields ${from} to ${upTo} cannot be located after ${from}`);
  const line = start === 0 && end === text.length ? text : text.slice(start, end);
  // Where field `from - 1` ended: at its comma, or at its closing quote (then maybe what trim() removes, then the comma).
  const e = bounds[2 * (from - 1) + 1] - start;
  const p = line.charCodeAt(e) === COMMA ? e + 1 : line.charCodeAt(e + 1) === COMMA ? e + 2 : line.indexOf(',', e + 1) + 1;
  const n = locate(line, start, end, from, p, upTo, bounds);
  return n === REACHED ? upTo + 1 : n;
}

/**
 * Whether the fields from `p` on (at least one) read without error: only
 * quoted fields can fail, and a quote opens one only at a field's start
 * (outside quotes, every comma ends a field).
 */
function checkRest(line: string, p: number): boolean {
  let q = line.indexOf('"', p);
  while (q !== -1) {
    if (q === p || line.charCodeAt(q - 1) === COMMA) {
      let close = closingQuote(line, q);
      if (close === -1) return false;
      if (close < 0) close = ~close;
      q = line.indexOf('"', close + 1);
    } else {
      q = line.indexOf('"', q + 1);
    }
  }
  return true;
}

/** `n` fields end before `p`; the fields from `p` on are counted and checked, not located. */
function countRest(line: string, p: number, n: number): number {
  const len = line.length;
  let quote = line.indexOf('"', p);
  for (;;) {
    if (quote === -1) {
      for (let comma = line.indexOf(',', p); comma !== -1; comma = line.indexOf(',', comma + 1)) n++;
      return n + 1;
    }
    n++;
    if (quote === p) {
      let q = closingQuote(line, p);
      if (q === -1) return -1;
      if (q < 0) q = ~q;
      if (q + 1 === len) return n;
      p = line.charCodeAt(q + 1) === COMMA ? q + 2 : line.indexOf(',', q + 1) + 1;
      quote = line.indexOf('"', p);
    } else {
      const comma = line.indexOf(',', p);
      if (comma === -1) return n;
      p = comma + 1;
      if (quote < p) quote = line.indexOf('"', p);
    }
  }
}

/** The value of field `i` located by `scanCsvFields` in the same `text`. */
export function csvField(text: string, bounds: Int32Array, i: number): string {
  const from = bounds[2 * i];
  const to = bounds[2 * i + 1];
  return from >= 0 ? text.slice(from, to) : text.slice(~from, to).replace(PAIRS, '"');
}

let scratch = new Int32Array(256);

/**
 * Reads the CSV line text.slice(start, end) (no line end; a CR before the line
 * end already removed by the caller) as PapaParse reads it with
 * { delimiter: ',', newline: '\n', quoteChar: '"' }. Fills out[0 .. min(count, upTo))
 * with the field values (quotes removed, doubled quotes collapsed) and returns
 * count, the number of fields in the whole line; 0 for the empty line (PapaParse
 * gives no row for it); -1 when PapaParse reports an error for the line, which
 * is then left to PapaParse. Values past `upTo` are never made.
 */
export function readCsvFields(text: string, start: number, end: number, upTo: number, out: string[]): number {
  if (scratch.length < 2 * upTo) scratch = new Int32Array(2 * upTo);
  const count = scanCsvFields(text, start, end, upTo, scratch);
  const made = Math.min(count, upTo);
  for (let i = 0; i < made; i++) out[i] = csvField(text, scratch, i);
  return count;
}
