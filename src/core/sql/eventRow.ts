import { isoTime } from '../util/time';
import { FLAG_API, FLAG_HTML, FLAG_TEXT_SHARE, FLAG_UPLOAD_METHOD, type CompactEvent } from '../events/columns';

/**
 * One non-browser URL event as the map writes it for a query engine: the
 * compact normalised event the detector reads, with every structural fact
 * that needs the lists (text share) or string rules (API, HTML) worked out,
 * so the SQL only needs the numeric settings. Upload and the variation are
 * left to the SQL because `uploadMinBytes` is a detection setting.
 */
export interface EventRow {
  /** UTC epoch ms. */
  time_ms: number;
  /** The same instant, ISO 8601 UTC with ms, for people. */
  time: string;
  host: string;
  /** Empty when unknown. */
  user: string;
  client: string;
  /** The domain key. */
  domain: string;
  text_share: 0 | 1;
  api: 0 | 1;
  /** Content type empty, or a page (`text/html`, `application/xhtml+xml`). */
  html: 0 | 1;
  /** POST, PUT or PATCH. */
  upload_method: 0 | 1;
  bytes_out: number | null;
  bytes_in: number | null;
  method: string;
  url: string;
  user_agent: string;
  content_type: string;
  action: string;
  /** The source file's base name. */
  file: string;
  /** 1-based physical line. */
  line: number;
  /** The connection's four values (stitching); '' and null where the source has none. */
  source_address: string;
  source_port: number | null;
  destination_address: string;
  destination_port: number | null;
  /** Stitched, and the User-Agent alone would have read as a browser's. */
  ua_claims_browser: 0 | 1;
  /** 1 when the event has a process (stitched, or from the endpoint alone); the process_ texts are '' where unknown. */
  has_process: 0 | 1;
  process_computer: string;
  process_image: string;
  process_pid: number | null;
  process_user: string;
  process_command_line: string;
  process_parent_image: string;
}

/** `int` a whole number (64-bit), `flag` 0 or 1, `real` a number that may be missing, `text` UTF-8. */
export type ColumnType = 'int' | 'flag' | 'real' | 'text';

export interface Column {
  name: keyof EventRow;
  type: ColumnType;
}

/** The events file's columns, in order: the README documents each. */
export const EVENT_COLUMNS: readonly Column[] = [
  { name: 'time_ms', type: 'int' },
  { name: 'time', type: 'text' },
  { name: 'host', type: 'text' },
  { name: 'user', type: 'text' },
  { name: 'client', type: 'text' },
  { name: 'domain', type: 'text' },
  { name: 'text_share', type: 'flag' },
  { name: 'api', type: 'flag' },
  { name: 'html', type: 'flag' },
  { name: 'upload_method', type: 'flag' },
  { name: 'bytes_out', type: 'real' },
  { name: 'bytes_in', type: 'real' },
  { name: 'method', type: 'text' },
  { name: 'url', type: 'text' },
  { name: 'user_agent', type: 'text' },
  { name: 'content_type', type: 'text' },
  { name: 'action', type: 'text' },
  { name: 'file', type: 'text' },
  { name: 'line', type: 'int' },
  { name: 'source_address', type: 'text' },
  { name: 'source_port', type: 'real' },
  { name: 'destination_address', type: 'text' },
  { name: 'destination_port', type: 'real' },
  { name: 'ua_claims_browser', type: 'flag' },
  { name: 'has_process', type: 'flag' },
  { name: 'process_computer', type: 'text' },
  { name: 'process_image', type: 'text' },
  { name: 'process_pid', type: 'real' },
  { name: 'process_user', type: 'text' },
  { name: 'process_command_line', type: 'text' },
  { name: 'process_parent_image', type: 'text' },
];

const flag = (b: boolean): 0 | 1 => (b ? 1 : 0);

/** The row of a compact event (after the TRAFFIC join): its flags are the structural facts. */
export function eventRow(e: CompactEvent): EventRow {
  return {
    time_ms: e.time,
    time: isoTime(e.time),
    host: e.host,
    user: e.user,
    client: e.client,
    domain: e.domain,
    text_share: flag((e.flags & FLAG_TEXT_SHARE) !== 0),
    api: flag((e.flags & FLAG_API) !== 0),
    html: flag((e.flags & FLAG_HTML) !== 0),
    upload_method: flag((e.flags & FLAG_UPLOAD_METHOD) !== 0),
    bytes_out: e.bytesOut,
    bytes_in: e.bytesIn,
    method: e.method,
    url: e.url,
    user_agent: e.userAgent,
    content_type: e.contentType,
    action: e.action,
    file: e.file,
    line: e.line,
    source_address: e.sourceAddress,
    source_port: e.sourcePort,
    destination_address: e.destinationAddress,
    destination_port: e.destinationPort,
    ua_claims_browser: flag(e.uaClaimsBrowser),
    has_process: flag(e.process !== null),
    process_computer: e.process?.computer ?? '',
    process_image: e.process?.image ?? '',
    process_pid: e.process?.pid ?? null,
    process_user: e.process?.user ?? '',
    process_command_line: e.process?.commandLine ?? '',
    process_parent_image: e.process?.parentImage ?? '',
  };
}
