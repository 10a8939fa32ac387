/**
 * Defender for Endpoint advanced-hunting results as JSON: one row a line, its
 * columns as keys (the API's `Results` items, or Microsoft Sentinel's rows
 * with a `Type` column, written one a line); the streaming API's records
 * (`{"category": "AdvancedHunting-DeviceNetworkEvents", "properties": {…}}`);
 * or the API's whole response on one line, as `curl` saves it
 * (`{"Schema": […], "Results": […]}`; Microsoft Graph's `runHuntingQuery`
 * writes `schema` and `results`).
 */
import type { TimeParser } from '../util/time';
import { isDefenderColumns, takeDefenderRow, tellTable } from './defender';
import type { LineReader, ReaderContext } from './format';
import { isRecord, parseRecord, type JsonRecord } from './jsonLine';
import type { RowSink } from './rowSink';

const STREAMED = 'AdvancedHunting-';
const EXAMPLE_CHARS = 200;

/** A row's fields by lower-case name, and its table: from the streaming API's category, else from its columns. */
function defenderFields(r: JsonRecord): { fields: Map<string, unknown>; table: string } | null {
  const streamed = typeof r.category === 'string' && r.category.startsWith(STREAMED) && isRecord(r.properties);
  const source = streamed && isRecord(r.properties) ? r.properties : r;
  const fields = new Map<string, unknown>();
  for (const [k, v] of Object.entries(source)) {
    const name = k.toLowerCase();
    if (!fields.has(name)) fields.set(name, v);
  }
  const has = (name: string): boolean => fields.has(name);
  if (streamed) return { fields, table: (r.category as string).slice(STREAMED.length) };
  return isDefenderColumns(has) ? { fields, table: tellTable(has) } : null;
}

/** The rows of an API response (`Results`, or Graph's `results`, beside its `Schema`); null for any other record. */
function responseRows(r: JsonRecord): unknown[] | null {
  const rows = r.Results ?? r.results;
  return Array.isArray(rows) && Array.isArray(r.Schema ?? r.schema) ? rows : null;
}

/** Whether a JSON record is a Defender row or an API response holding rows. */
export function isDefenderRecord(r: JsonRecord): boolean {
  const rows = responseRows(r);
  if (rows !== null) return rows.length === 0 || (isRecord(rows[0]) && defenderFields(rows[0]) !== null);
  return defenderFields(r) !== null;
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : '';
}

export class DefenderJsonReader implements LineReader {
  readonly format = 'defender-json';

  constructor(private readonly parseTime: TimeParser) {}

  context(): { context: ReaderContext; final: boolean } {
    return { context: { format: 'defender-json' }, final: true };
  }

  read(text: string, start: number, end: number, line: number, sink: RowSink): void {
    const r = parseRecord(text, start, end);
    if (r === null) sink.skip('not-json', line, text.slice(start, end));
    else this.record(r, text, start, end, line, sink);
  }

  /** One parsed line (the format sniffer parses the first one). */
  record(r: JsonRecord, line: string, start: number, end: number, at: number, sink: RowSink): void {
    const rows = responseRows(r);
    if (rows !== null) {
      // Every row of the response is on this line.
      for (const row of rows) {
        if (isRecord(row)) this.row(row, line, start, end, at, sink);
        else sink.other('Defender (other table)');
      }
      return;
    }
    this.row(r, line, start, end, at, sink);
  }

  private row(r: JsonRecord, line: string, start: number, end: number, at: number, sink: RowSink): void {
    const found = defenderFields(r);
    if (found === null) {
      sink.other('Defender (other table)');
      return;
    }
    const { fields, table } = found;
    const get = (name: string): string => text(fields.get(name));
    takeDefenderRow(get, table, at, line.slice(start, Math.min(end, start + EXAMPLE_CHARS)), sink, this.parseTime);
  }
}
