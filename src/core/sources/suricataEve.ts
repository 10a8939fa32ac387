/**
 * Suricata's `eve.json`: one JSON object a line, of many event types. Records
 * of `"event_type": "http"` are requests; the others (`dns`, `tls`, `flow`,
 * `alert`, `fileinfo`, `stats`, …) are counted by type and passed over, even
 * where they carry an `http` object of their own (alerts and file records do).
 */
import type { TimeParser } from '../util/time';
import type { LineReader, ReaderContext } from './format';
import { byteCount, isRecord, parseRecord, str, type JsonRecord } from './jsonLine';
import { emptyUrlRow, parsePort, type RowSink } from './rowSink';
import { isoMs } from './sensorTime';
import { sensorUrl } from './sensorUrl';

/** An event type is text from the file: only a plain name is counted as a type. */
const EVENT_TYPE = /^[A-Za-z0-9_.-]{1,40}$/;
const NO_HTTP: JsonRecord = {};

export function isEveRecord(r: JsonRecord): boolean {
  return typeof r.event_type === 'string' && 'timestamp' in r;
}

export class SuricataEveReader implements LineReader {
  readonly format = 'suricata-eve';
  private readonly row = emptyUrlRow();

  constructor(private readonly parseTime: TimeParser) {}

  context(): { context: ReaderContext; final: boolean } {
    return { context: { format: 'suricata-eve' }, final: true };
  }

  read(text: string, start: number, end: number, line: number, sink: RowSink): void {
    const r = parseRecord(text, start, end);
    if (r === null) sink.skip('not-json', line, text.slice(start, end));
    else this.record(r, text, start, end, line, sink);
  }

  /** One parsed line (the format sniffer parses the first one). */
  record(r: JsonRecord, text: string, start: number, end: number, line: number, sink: RowSink): void {
    const type = r.event_type;
    if (typeof type !== 'string') {
      sink.skip('no-event-type', line, text.slice(start, end));
      return;
    }
    if (type !== 'http') {
      sink.other(`Suricata/${EVENT_TYPE.test(type) ? type : 'unknown'}`);
      return;
    }
    const row = this.row;
    row.time = typeof r.timestamp === 'string' ? isoMs(r.timestamp, this.parseTime) : NaN;
    if (Number.isNaN(row.time)) {
      sink.skip('bad-time', line, text.slice(start, end));
      return;
    }
    // Every field of `http` is optional: the plain logger writes no method or status.
    const http = isRecord(r.http) ? r.http : NO_HTTP;
    row.url = sensorUrl(str(http.hostname), str(http.url), str(r.dest_ip));
    if (row.url === '') {
      sink.skip('no-url', line, text.slice(start, end));
      return;
    }
    row.host = str(r.src_ip);
    row.userAgent = str(http.http_user_agent);
    row.method = str(http.http_method);
    row.contentType = str(http.http_content_type);
    // Suricata logs no request body size: an upload is decided by the method alone.
    row.bytesOut = null;
    // `length` is the response body's size.
    row.bytesIn = byteCount(http.length);
    row.sourceAddress = row.host;
    row.sourcePort = parsePort(r.src_port);
    row.destinationAddress = str(r.dest_ip);
    row.destinationPort = parsePort(r.dest_port);
    sink.url(row, line, text, start, end);
  }
}
