import type { DefenderColumns } from './defender';
import type { Columns } from './panosColumns';
import type { RowSink } from './rowSink';
import type { ZeekBlock } from './zeekBlock';

/** The log formats read, told apart by content. */
export type FormatId =
  | 'panos-syslog'
  | 'panos-csv'
  | 'zeek-tsv'
  | 'zeek-json'
  | 'suricata-eve'
  | 'windows-xml'
  | 'ecs-json'
  | 'defender-csv'
  | 'defender-json'
  | 'evtx';

const PANOS_FORMATS: ReadonlySet<string> = new Set<FormatId>(['panos-syslog', 'panos-csv']);

/** Whether a file read as `format` came from the firewall (its two forms), not from a network sensor. */
export function isPanosFormat(format: string | null): boolean {
  return format !== null && PANOS_FORMATS.has(format);
}

/**
 * What a reader must know to read a file from some line on: the file's format
 * and, for formats with headers, the header in force. Plain data, so it can
 * be sent to another worker that reads a later part of the same file.
 */
export type ReaderContext =
  | { format: 'panos-syslog' }
  | {
      format: 'panos-csv';
      columns: Columns;
      /** The header row's column count: every row must have as many. */
      width: number;
      /** No row has come under the header yet: the first one is checked whole against its width. */
      firstRowPending: boolean;
    }
  | { format: 'zeek-tsv'; block: ZeekBlock }
  | { format: 'zeek-json' }
  | { format: 'suricata-eve' }
  | {
      format: 'windows-xml';
      /** The text of an event begun but not yet closed (an event spans lines), or null. */
      pending: string | null;
      /** How many lines of that event were read so far, so its first line can be named. */
      pendingLines: number;
      /** Inside an event too long to keep, passed over up to its end. */
      dropping: boolean;
    }
  | { format: 'ecs-json' }
  | {
      format: 'defender-csv';
      columns: DefenderColumns;
      /** A row whose quoted field goes on past its line (a command line with a line break), or null. */
      pending: string | null;
      pendingLines: number;
    }
  | { format: 'defender-json' }
  /** A Windows event log: binary, read chunk by chunk (sources/evtx.ts), not line by line. */
  | { format: 'evtx' };

/** The contexts of the formats read line by line. */
export type LineContext = Exclude<ReaderContext, { format: 'evtx' }>;

/** One file's reader, line by line. */
export interface LineReader {
  /** The format, once a line has shown it; null before. */
  readonly format: FormatId | null;
  /**
   * Reads one line that is not blank (blank and over-long lines are the
   * caller's). `text.slice(start, end)` is the line, without its line end.
   */
  read(text: string, start: number, end: number, line: number, sink: RowSink): void;
  /**
   * The context from here on, once the format is known (null before).
   * `final`: no later line can change it, so later parts of the file can be
   * read at once elsewhere; otherwise each part needs the context the part
   * before it ended with.
   */
  context(): { context: ReaderContext; final: boolean } | null;
  /**
   * Told of each blank line (counted by the caller, never handed to `read`),
   * by readers whose records span lines and so must keep line numbers and
   * a value's empty lines.
   */
  blank?(line: number): void;
  /**
   * Set when a line showed that the file cannot be read as it claims to be
   * (a CSV export missing a column the detection needs): the whole file is
   * refused with this reason, and nothing of it is kept.
   */
  readonly refused?: string | null;
}
