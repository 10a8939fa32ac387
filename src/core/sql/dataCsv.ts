import type { ColumnType } from './eventRow';

/**
 * CSV for query engines (RFC 4180 quoting, `\n` line ends, UTF-8). Unlike the
 * alert export (core/util/csv.ts) nothing is neutralised: this is data for an
 * engine to load, and a leading apostrophe would change the values it matches.
 * An empty text is written `""`, a missing value as an empty cell, so engines
 * that tell them apart load them apart.
 */
const NEEDS_QUOTES = /[",\r\n]/;

function dataCell(value: string | number | null, type: ColumnType): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  if (type !== 'text') return value;
  if (value === '' || NEEDS_QUOTES.test(value) || value !== value.trim()) return '"' + value.replace(/"/g, '""') + '"';
  return value;
}

export function dataCsvLine<T extends object>(row: T, columns: readonly { name: keyof T; type: ColumnType }[]): string {
  let out = '';
  for (let i = 0; i < columns.length; i++) {
    const c = columns[i];
    if (i > 0) out += ',';
    out += dataCell(row[c.name] as string | number | null, c.type);
  }
  return out + '\n';
}

export function dataCsvHeader(columns: readonly { name: PropertyKey }[]): string {
  return columns.map((c) => String(c.name)).join(',') + '\n';
}
