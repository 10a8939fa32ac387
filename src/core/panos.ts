/**
 * PAN-OS log rows: syslog-forwarded lines (columns by position, any syslog
 * header folded into the first column) and web-UI/Panorama CSV exports (a
 * header row, columns by normalised name). The format is told from content.
 */

import { headerColumns, looksLikeTime, normaliseHeader, TRAFFIC_COLUMNS, URL_COLUMNS, type Columns } from './sources/panosColumns';

export type { Columns };

const LOG_TYPE = /^[A-Z][A-Z-]{2,31}$/;
/** A THREAT subtype: `url`, `vulnerability`, `wildfire-virus`, ... */
const SUBTYPE = /^[a-z][a-z0-9-]{0,31}$/;

/**
 * Export headers have about a hundred columns; a wider row is not tried as one, so each junk
 * line before a file's format is known does not cost a lookup per cell.
 */
const MAX_HEADER_COLUMNS = 1024;

export type RowKind = 'url' | 'traffic' | 'other' | 'header' | 'not-panos' | 'unsupported-layout' | 'too-few-columns';

/**
 * Reads one file's rows. `kind()` says what a row is and leaves `columns` set
 * for reading its fields, and `otherType` for rows of other log types.
 */
export class PanosRows {
  format: 'panos-syslog' | 'panos-csv' | null = null;
  columns: Columns = URL_COLUMNS;
  otherType = '';
  private header: Columns | null = null;

  kind(f: string[]): RowKind {
    // The common row first, with plain comparisons: this runs for every line of the log.
    if (this.header === null && f[3] === 'THREAT' && f[4] === 'url' && looksLikeTime(f[1])) {
      this.format ??= 'panos-syslog';
      this.columns = URL_COLUMNS;
      return f.length > URL_COLUMNS.url ? 'url' : 'too-few-columns';
    }
    if (this.header === null && f.length > 4 && looksLikeTime(f[1]) && LOG_TYPE.test(f[3])) {
      this.format ??= 'panos-syslog';
      return this.positional(f);
    }
    if (this.header !== null) return this.exported(f, this.header);
    if (this.format === null && f.length <= MAX_HEADER_COLUMNS) {
      const cols = headerColumns(f);
      if (cols !== null) {
        this.header = cols;
        this.format = 'panos-csv';
        return 'header';
      }
    }
    // Prisma Access / Strata Logging Service forwarding: ISO time, then serial, then type.
    if (f.length > 4 && /^[A-Z]{3,}$/.test(f[2]) && /\d{4}-\d\d-\d\dT/.test(f[0])) return 'unsupported-layout';
    return 'not-panos';
  }

  private positional(f: string[]): RowKind {
    const type = f[3];
    if (type === 'THREAT' && f[4] === 'url') {
      this.columns = URL_COLUMNS;
      return f.length > URL_COLUMNS.url ? 'url' : 'too-few-columns';
    }
    if (type === 'TRAFFIC' && f.length > TRAFFIC_COLUMNS.bytesReceived) {
      this.columns = TRAFFIC_COLUMNS;
      this.otherType = 'TRAFFIC';
      return 'traffic';
    }
    if (type === 'THREAT' && !SUBTYPE.test(f[4])) return 'not-panos';
    this.otherType = type === 'THREAT' ? `THREAT/${f[4]}` : type;
    return 'other';
  }

  private exported(f: string[], cols: Columns): RowKind {
    this.columns = cols;
    const type = cols.type >= 0 && cols.type < f.length ? f[cols.type].trim() : '';
    const sub = cols.subtype >= 0 && cols.subtype < f.length ? f[cols.subtype].trim().toLowerCase() : '';
    const upper = type.toUpperCase();
    if (normaliseHeader(f[cols.receiveTime >= 0 ? cols.receiveTime : cols.generateTime] ?? '') ===
      (cols.receiveTime >= 0 ? 'receivetime' : 'generatetime')) {
      return 'header';
    }
    if (upper === 'TRAFFIC' || (type === '' && sub === '' && cols.url === -1)) {
      this.otherType = 'TRAFFIC';
      return cols.bytesSent >= 0 && cols.session >= 0 ? 'traffic' : 'other';
    }
    const isUrl = (upper === 'THREAT' || upper === 'URL' || type === '') && (sub === 'url' || sub === '');
    if (!isUrl) {
      // Junk in the type cells is not a log type: counting it as one would name a type after any text.
      if (!LOG_TYPE.test(upper) || (upper === 'THREAT' && !SUBTYPE.test(sub))) return 'not-panos';
      this.otherType = upper === 'THREAT' ? `THREAT/${sub}` : upper;
      return 'other';
    }
    return cols.url < f.length ? 'url' : 'too-few-columns';
  }
}

export function cell(f: readonly string[], i: number): string {
  return i >= 0 && i < f.length ? f[i] : '';
}
