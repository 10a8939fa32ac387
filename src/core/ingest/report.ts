import type { FormatId } from '../sources/format';
import type { Counts } from '../sources/counts';

/** What reading one file gave, for the summary and the file manifest. */
export interface FileReport {
  name: string;
  /** Bytes read (compressed bytes for .gz). */
  bytes: number;
  gzip: boolean;
  format: FormatId | null;
  /** Set when the file could not be read as a log at all; nothing of it was added. */
  error: string | null;
  counts: Counts;
  elapsedMs: number;
  /** Content fingerprint of the (decompressed) bytes, when asked for. */
  fingerprint: string | null;
  /** Name of the earlier file with the same content: this one added nothing. */
  duplicateOf: string | null;
}

export interface FileProgress {
  file: string;
  /** Bytes of the file read so far (compressed bytes for .gz). */
  bytesRead: number;
  /** Total size, when known. */
  bytesTotal: number | null;
  lines: number;
  /** Non-browser events found in the file so far. */
  kept: number;
  elapsedMs: number;
  done: boolean;
}

export class IngestCancelled extends Error {
  constructor() {
    super('ingest cancelled');
    this.name = 'IngestCancelled';
  }
}

export const UNRECOGNISED_FORMAT =
  'not a recognised log format: expected PAN-OS URL Filtering logs (syslog lines …,<time>,<serial>,THREAT,url,… ' +
  'or a CSV export with a header row: Receive Time, Type, URL, …), a Zeek http.log (TSV opening with a ' +
  '"#separator" line, or JSON lines with "ts" and "id.orig_h"), a Suricata eve.json (JSON lines with ' +
  '"timestamp" and "event_type"), Windows events as XML (<Event> elements, or <Events> from the Event Viewer), ' +
  'Winlogbeat / Elastic Agent JSON lines (with "winlog.event_id") or a Defender for Endpoint export (CSV with a ' +
  'header row, or JSON lines: Timestamp, DeviceName, ActionType, …)';

/** A file with nothing in it: named as such, and not added (nor an error for the CLI's exit code). */
export const EMPTY_FILE = 'it is empty (0 bytes)';
export const EMPTY_GZIP = 'it is empty once decompressed (0 bytes of text)';
export const ONLY_BLANK = 'it holds only blank lines';

/** Whether the file was passed over for being empty (not for a fault). */
export function isEmptyReport(r: Pick<FileReport, 'error'>): boolean {
  return r.error === EMPTY_FILE || r.error === EMPTY_GZIP || r.error === ONLY_BLANK;
}
