import { isApi, isHtmlOrNone, isUploadMethod } from '../classify';
import type { DomainKeys } from '../domain';
import type { Candidate } from '../event';
import { isoTime } from '../time';

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
];

const flag = (b: boolean): 0 | 1 => (b ? 1 : 0);

/** The row of a non-browser candidate (TRAFFIC bytes already joined). */
export function eventRow(c: Candidate, domains: DomainKeys): EventRow {
  return {
    time_ms: c.time,
    time: isoTime(c.time),
    host: c.host,
    user: c.user,
    client: c.client,
    domain: c.domain,
    text_share: flag(domains.isTextShare(c.domain)),
    api: flag(isApi(c)),
    html: flag(isHtmlOrNone(c.contentType)),
    upload_method: flag(isUploadMethod(c.method)),
    bytes_out: c.bytesOut,
    bytes_in: c.bytesIn,
    method: c.method,
    url: c.url,
    user_agent: c.userAgent,
    content_type: c.contentType,
    action: c.action,
    file: c.source.file,
    line: c.source.line,
  };
}
