import type { AlertRecord } from '../alerts/record';

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

/** Rows with CRLF line ends (RFC 4180), ending with a line break. */
export function csvText(header: readonly string[], rows: Iterable<readonly CsvValue[]>): string {
  const lines = [csvRow(header)];
  for (const r of rows) lines.push(csvRow(r));
  return lines.join('\r\n') + '\r\n';
}

/** The CSV export's columns: the alert record flattened, with its first evidence row. */
export const ALERT_CSV_HEADER: readonly string[] = [
  'id',
  'severity',
  'variation',
  'name',
  'host',
  'user',
  'client',
  'domain',
  'first_seen',
  'last_seen',
  'count',
  'mitre_tactic',
  'mitre_technique',
  'hosts_with_key_in_window',
  'host_seen_key_in_window',
  'window_days',
  'rare_hosts',
  'tested_upload',
  'first_url',
  'first_method',
  'first_user_agent',
  'first_action',
  'first_source',
];

export function alertCsvRow(r: AlertRecord): CsvValue[] {
  const e = r.evidence[0];
  return [
    r.id,
    r.severity,
    r.variation,
    r.name,
    r.host,
    r.user,
    r.client,
    r.domain,
    r.first_seen,
    r.last_seen,
    r.count,
    r.mitre.tactic,
    r.mitre.technique,
    r.explanation.hosts_with_key_in_window,
    r.explanation.host_seen_key_in_window,
    r.explanation.window_days,
    r.explanation.rare_hosts,
    r.explanation.tested_key.upload,
    e ? e.url : null,
    e ? e.method : null,
    e ? e.user_agent : null,
    e ? e.action : null,
    e ? `${e.source.file}:${e.source.line}` : null,
  ];
}

export function alertsCsv(records: Iterable<AlertRecord>): string {
  function* rows(): Iterable<CsvValue[]> {
    for (const r of records) yield alertCsvRow(r);
  }
  return csvText(ALERT_CSV_HEADER, rows());
}
