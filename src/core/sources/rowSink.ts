import type { EndpointRecord } from '../events/endpoint';
import type { SkipReason } from './counts';

/**
 * One HTTP request as a log source writes it, before classification: what
 * every reader (PAN-OS, Zeek, Suricata) fills in. Readers reuse one object
 * for every row and hand it to the sink, which copies what it keeps.
 */
export interface UrlRow {
  /** UTC epoch ms; NaN when the row's time could not be read. */
  time: number;
  /** The source host: the client address for the sources read today. */
  host: string;
  /** Empty where the source has no user. */
  user: string;
  userAgent: string;
  /** Process image path, for endpoint sources; empty otherwise. */
  image: string;
  /** As logged (PAN-OS), or put together from the Host header and the URI (sensors). */
  url: string;
  /** As logged (PAN-OS writes lower case); may be empty. */
  method: string;
  contentType: string;
  bytesOut: number | null;
  bytesIn: number | null;
  /** Firewall action; empty where the source has none. */
  action: string;
  /** Joins a PAN-OS URL row to its TRAFFIC row (serial + session id); empty when unknown. */
  session: string;
  /**
   * The connection's four values, for stitching to endpoint connections
   * (PAN-OS: the pre-NAT ones). Empty address or null port where the source has none.
   */
  sourceAddress: string;
  sourcePort: number | null;
  destinationAddress: string;
  destinationPort: number | null;
}

/** A port as logged (text or a JSON number): an integer 0 to 65535, else null. */
export function parsePort(v: unknown): number | null {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 && v <= 65535 ? v : null;
  if (typeof v !== 'string') return null;
  const s = v.trim();
  if (!/^\d{1,5}$/.test(s)) return null;
  const n = Number(s);
  return n <= 65535 ? n : null;
}

export function emptyUrlRow(): UrlRow {
  return {
    time: NaN,
    host: '',
    user: '',
    userAgent: '',
    image: '',
    url: '',
    method: '',
    contentType: '',
    bytesOut: null,
    bytesIn: null,
    action: '',
    session: '',
    sourceAddress: '',
    sourcePort: null,
    destinationAddress: '',
    destinationPort: null,
  };
}

/** Where a reader puts what each line was. */
export interface RowSink {
  /**
   * A URL/HTTP request row. `row` is reused by the reader after the call
   * returns; `text.slice(start, end)` is its line, for examples, or `text()`
   * makes it, during the call only (a reader of bytes, whose lines are
   * decoded only when shown).
   */
  url(row: UrlRow, line: number, text: string | (() => string), start: number, end: number): void;
  /**
   * Whether a URL row of this client is kept as an event, so its other
   * fields are worth reading; when false (a browser or an unknown client,
   * only counted) a reader may hand `url` a row with only its time, URL and
   * client filled in; a reader of bytes leaves the URL empty too, so it need
   * not decode it. Without it every field is read.
   */
  wantsDetail?(userAgent: string, image: string): boolean;
  /** A PAN-OS TRAFFIC row: the bytes of a session, for the join with its URL rows. */
  traffic(session: string, time: number, sent: number, received: number | null): void;
  /** An endpoint record (process start, connection, name lookup), for stitching; `rec` is the sink's to keep. */
  endpoint?(rec: EndpointRecord): void;
  /** A row of another log or event type, counted by type and passed over. */
  other(type: string): void;
  /** A header row or line (CSV export header, Zeek `#` lines). */
  header(): void;
  /** A line that could not be used; `text` is the line, for examples. */
  skip(reason: SkipReason, line: number, text: string): void;
}
