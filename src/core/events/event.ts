/** The normalised event model (docs/detection.md "Events"). */

export type ClientKind = 'browser' | 'non-browser' | 'unknown';

interface SourceRef {
  /** The file's base name. */
  file: string;
  /** 1-based physical line; a header row counts. */
  line: number;
}

export interface WebEvent {
  /** UTC epoch ms. */
  time: number;
  /** Source host name, or for PAN-OS the source address. */
  host: string;
  user: string;
  userAgent: string;
  /** Process image path, for endpoint sources; empty when the source has none. */
  image: string;
  /** As logged. */
  url: string;
  /** The request's host: lower case, no port. */
  hostname: string;
  /** From the first `/` to `?` or `#`; `/` when empty. */
  path: string;
  /** Upper case, may be empty. */
  method: string;
  contentType: string;
  bytesOut: number | null;
  bytesIn: number | null;
  action: string;
  source: SourceRef;
  /** Joins a PAN-OS URL row to its TRAFFIC row (serial + session id); empty when unknown. */
  session: string;
}

/** A non-browser event, kept for sorting and detection. */
export interface Candidate extends WebEvent {
  client: string;
  /** The domain key. */
  domain: string;
}
