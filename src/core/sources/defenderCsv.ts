/**
 * Defender for Endpoint advanced-hunting results exported as CSV: a header row
 * of the table's column names, then one row a record. A quoted field may hold
 * a line break (a command line written over several lines), so a row can span
 * lines, and each part of a file needs the context the part before it ended with.
 */
import type { TimeParser } from '../util/time';
import { CsvLine } from './csvLine';
import { isDefenderColumns, takeDefenderRow, tellTable, type DefenderColumns } from './defender';
import type { LineReader, ReaderContext } from './format';
import type { RowSink } from './rowSink';
import { PendingRecord } from './pendingRecord';
import { MAX_RECORD_CHARS } from './windowsXml';

/** Defender tables have under a hundred columns. */
const MAX_COLUMNS = 512;
const EXAMPLE_CHARS = 200;

function oddQuotes(s: string): boolean {
  let n = 0;
  for (let i = s.indexOf('"'); i !== -1; i = s.indexOf('"', i + 1)) n++;
  return n % 2 === 1;
}

/** The columns of a Defender CSV header row, or null when the line is not one. */
export function defenderHeader(text: string, start: number, end: number): DefenderColumns | null {
  const line = text.slice(start, end);
  // Cheap first: every Defender table has a DeviceName column.
  if (!/devicename/i.test(line)) return null;
  const csv = new CsvLine();
  const count = csv.scan(line, 0, line.length, MAX_COLUMNS);
  if (count <= 0 || count > MAX_COLUMNS) return null;
  const names: Record<string, number> = {};
  for (let i = 0; i < count; i++) {
    const name = csv.field(i).trim().toLowerCase();
    if (!/^[a-z][a-z0-9_]*$/.test(name)) return null;
    names[name] ??= i;
  }
  const has = (n: string): boolean => n in names;
  return isDefenderColumns(has) ? { table: tellTable(has), names, width: count } : null;
}

export class DefenderCsvReader implements LineReader {
  readonly format = 'defender-csv';
  private readonly csv = new CsvLine();
  private columns: DefenderColumns;
  /** A row whose quoted field goes on past its line. */
  private readonly pending = new PendingRecord();

  constructor(
    private readonly parseTime: TimeParser,
    context: Omit<Extract<ReaderContext, { format: 'defender-csv' }>, 'format'>,
  ) {
    this.columns = context.columns;
    this.pending.resume(context.pending, context.pendingLines);
  }

  context(): { context: ReaderContext; final: boolean } {
    return {
      context: { format: 'defender-csv', columns: this.columns, ...this.pending.carried() },
      // A row may span lines: the next part needs to know whether this one ended inside one.
      final: false,
    };
  }

  blank(line: number): void {
    this.pending.blank(line);
  }

  read(text: string, start: number, end: number, line: number, sink: RowSink): void {
    this.pending.seen(line);
    const pending = this.pending;
    let row = text.slice(start, end);
    let first = line;
    if (pending.open) {
      // Its quoted field closes on this line, or on a later one.
      pending.add(row);
      if (!oddQuotes(row)) {
        if (pending.length > MAX_RECORD_CHARS) {
          sink.skip('event-too-long', pending.start, pending.head(EXAMPLE_CHARS));
          pending.clear();
        }
        return;
      }
      row = pending.text();
      first = pending.start;
      pending.clear();
    }
    const count = this.csv.scan(row, 0, row.length, MAX_COLUMNS);
    if (count < 0) {
      if (first === line && oddQuotes(row)) pending.begin(row, line);
      else sink.skip('csv-quotes', first, row.slice(0, EXAMPLE_CHARS));
      return;
    }
    const header = defenderHeader(row, 0, row.length);
    if (header !== null) {
      // A header row repeated (exports joined together), or another table's export appended.
      this.columns = header;
      sink.header();
      return;
    }
    if (count !== this.columns.width) {
      sink.skip('csv-columns', first, row.slice(0, EXAMPLE_CHARS));
      return;
    }
    const names = this.columns.names;
    const csv = this.csv;
    const get = (name: string): string => {
      const i = names[name];
      return i === undefined ? '' : csv.field(i);
    };
    takeDefenderRow(get, this.columns.table, first, row.slice(0, EXAMPLE_CHARS), sink, this.parseTime);
  }
}
