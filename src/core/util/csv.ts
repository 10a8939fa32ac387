/** A value of one CSV cell; null is written as an empty cell. */
export type CsvValue = string | number | boolean | null;

/**
 * Characters that make a spreadsheet read a cell as a formula (CSV injection):
 * a log's URL or user agent is attacker-controlled text.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One cell: formulas neutralised with a leading apostrophe, then quoted per RFC 4180 where needed. */
export function csvCell(value: CsvValue): string {
  if (value === null) return '';
  // Numbers and booleans are written by us, not taken from a log: a negative number is not a formula.
  if (typeof value !== 'string') return String(value);
  let text = value;
  if (FORMULA_START.test(text)) text = "'" + text;
  if (NEEDS_QUOTES.test(text) || text !== text.trim()) text = '"' + text.replace(/"/g, '""') + '"';
  return text;
}

export function csvRow(values: readonly CsvValue[]): string {
  return values.map(csvCell).join(',');
}
