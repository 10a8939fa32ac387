/**
 * Zeek `http.log` written as JSON lines (`redef LogAscii::use_json = T;`):
 * one object a line, flat keys (`id.orig_h`), unset fields left out. `ts` is
 * epoch seconds by default, an ISO 8601 string with `JSON::TS_ISO8601`, or
 * whole epoch milliseconds with `JSON::TS_MILLIS`.
 */
import type { TimeParser } from '../util/time';
import type { LineReader, ReaderContext } from './format';
import { byteCount, isRecord, parseRecord, str, type JsonRecord } from './jsonLine';
import { emptyUrlRow, parsePort, type RowSink } from './rowSink';
import { epochNumberMs, isoMs } from './sensorTime';
import { sensorUrl } from './sensorUrl';
import { zeekOtherType } from './zeekBlock';

/** No log is dated after year 5138 in seconds: a larger `ts` is milliseconds (`JSON::TS_MILLIS`). */
const MILLIS_FROM = 1e11;

/** Whether a JSON record is one of Zeek's: a time and the connection's id. */
export function isZeekRecord(r: JsonRecord): boolean {
  return 'ts' in r && ('uid' in r || 'id.orig_h' in r || isRecord(r.id));
}

/** Zeek's `id` fields: flat as Zeek writes them, or nested as some shippers rewrite them. */
function idField(r: JsonRecord, name: 'orig_h' | 'resp_h'): string {
  const flat = r[`id.${name}`];
  if (typeof flat === 'string') return flat;
  return isRecord(r.id) ? str(r.id[name]) : '';
}

function idPort(r: JsonRecord, name: 'orig_p' | 'resp_p'): number | null {
  const flat = r[`id.${name}`];
  if (flat !== undefined) return parsePort(flat);
  return isRecord(r.id) ? parsePort(r.id[name]) : null;
}

function zeekTime(ts: unknown, local: TimeParser): number {
  if (typeof ts === 'string') return isoMs(ts, local);
  if (typeof ts !== 'number') return NaN;
  if (ts >= MILLIS_FROM && Number.isSafeInteger(ts)) return ts;
  return epochNumberMs(ts);
}

export class ZeekJsonReader implements LineReader {
  readonly format = 'zeek-json';
  private readonly row = emptyUrlRow();

  constructor(private readonly parseTime: TimeParser) {}

  context(): { context: ReaderContext; final: boolean } {
    return { context: { format: 'zeek-json' }, final: true };
  }

  read(text: string, start: number, end: number, line: number, sink: RowSink): void {
    const r = parseRecord(text, start, end);
    if (r === null) sink.skip('not-json', line, text.slice(start, end));
    else this.record(r, text, start, end, line, sink);
  }

  /** One parsed line (the format sniffer parses the first one). */
  record(r: JsonRecord, text: string, start: number, end: number, line: number, sink: RowSink): void {
    const request = 'host' in r || 'uri' in r || 'method' in r || 'user_agent' in r || 'trans_depth' in r;
    const other = zeekOtherType(str(r._path), request);
    if (other !== null) {
      sink.other(other);
      return;
    }
    const row = this.row;
    row.time = zeekTime(r.ts, this.parseTime);
    if (Number.isNaN(row.time)) {
      sink.skip('bad-time', line, text.slice(start, end));
      return;
    }
    row.url = sensorUrl(str(r.host), str(r.uri), idField(r, 'resp_h'));
    if (row.url === '') {
      sink.skip('no-url', line, text.slice(start, end));
      return;
    }
    row.host = idField(r, 'orig_h');
    row.userAgent = str(r.user_agent);
    row.method = str(r.method);
    const types = r.resp_mime_types;
    row.contentType = Array.isArray(types) ? str(types[0]) : str(r.mime_type);
    row.bytesOut = byteCount(r.request_body_len);
    row.bytesIn = byteCount(r.response_body_len);
    row.sourceAddress = row.host;
    row.sourcePort = idPort(r, 'orig_p');
    row.destinationAddress = idField(r, 'resp_h');
    row.destinationPort = idPort(r, 'resp_p');
    sink.url(row, line, text, start, end);
  }
}
