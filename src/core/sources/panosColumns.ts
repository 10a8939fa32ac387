/** Where a PAN-OS row keeps the fields the detector reads: by position (syslog) or by header name (CSV exports). */

export interface Columns {
  receiveTime: number;
  generateTime: number;
  serial: number;
  type: number;
  subtype: number;
  src: number;
  user: number;
  session: number;
  action: number;
  url: number;
  contentType: number;
  userAgent: number;
  method: number;
  bytesSent: number;
  bytesReceived: number;
}

type Field = keyof Columns;

/** PAN-OS 8.1 to 11.x THREAT/url rows, 0-based. */
export const URL_COLUMNS: Readonly<Columns> = {
  receiveTime: 1,
  serial: 2,
  type: 3,
  subtype: 4,
  generateTime: 6,
  src: 7,
  user: 12,
  session: 22,
  action: 30,
  url: 31,
  contentType: 41,
  userAgent: 46,
  method: 63,
  bytesSent: -1,
  bytesReceived: -1,
};

/** TRAFFIC rows: bytes sent and received for the join by serial + session id. */
export const TRAFFIC_COLUMNS: Readonly<Columns> = {
  ...URL_COLUMNS,
  action: 30,
  url: -1,
  contentType: -1,
  userAgent: -1,
  method: -1,
  bytesSent: 32,
  bytesReceived: 33,
};

/** Header names, normalised (lower case; spaces, `_`, `/`, `#` and `-` dropped). */
const ALIASES: Readonly<Record<Field, readonly string[]>> = {
  receiveTime: ['receivetime', 'receivedtime', 'timereceived'],
  generateTime: ['generatetime', 'generatedtime', 'timegenerated'],
  serial: ['serial', 'serialnumber', 'serialno'],
  type: ['type', 'logtype'],
  subtype: ['threatcontenttype', 'subtype', 'contenttypethreat'],
  src: ['sourceaddress', 'source', 'sourceip', 'src', 'srcip', 'sourceipaddress'],
  user: ['sourceuser', 'srcuser', 'user', 'username'],
  session: ['sessionid', 'session'],
  action: ['action'],
  url: ['url', 'urlfilename', 'misc', 'threatcontentname'],
  contentType: ['contenttype'],
  userAgent: ['useragent', 'httpuseragent'],
  method: ['httpmethod', 'method'],
  bytesSent: ['bytessent'],
  bytesReceived: ['bytesreceived'],
};

export function normaliseHeader(name: string): string {
  return name.toLowerCase().replace(/[\s_/#-]/g, '');
}

/** Column map from a header row, or null when the row is not a PAN-OS export header. */
export function headerColumns(fields: readonly string[], count = fields.length): Columns | null {
  const index = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const n = normaliseHeader(fields[i]);
    if (!index.has(n)) index.set(n, i);
  }
  const cols = {} as Columns;
  for (const field of Object.keys(ALIASES) as Field[]) {
    cols[field] = -1;
    for (const alias of ALIASES[field]) {
      const i = index.get(alias);
      if (i !== undefined) {
        cols[field] = i;
        break;
      }
    }
  }
  // "Threat/Content Name" is a URL only when no URL column exists; the alias list orders that.
  const hasTime = cols.receiveTime !== -1 || cols.generateTime !== -1;
  const hasBody = cols.url !== -1 || (cols.type !== -1 && cols.bytesSent !== -1);
  return hasTime && hasBody ? cols : null;
}

/** One more than the highest column `cols` reads: how many fields of a row are needed. */
export function columnsNeeded(cols: Readonly<Columns>): number {
  let max = -1;
  for (const v of Object.values(cols)) if (v > max) max = v;
  return max + 1;
}

/** A PAN-OS time cell: `YYYY/MM/DD HH:MM:SS`. */
export function looksLikeTime(s: string): boolean {
  return s.length >= 19 && s.charCodeAt(4) === 47 && s.charCodeAt(7) === 47 && s.charCodeAt(13) === 58;
}
