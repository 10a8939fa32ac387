/** Where a PAN-OS row keeps the fields the detector reads: by position (syslog) or by header name (CSV exports). */

export interface Columns {
  receiveTime: number;
  generateTime: number;
  serial: number;
  type: number;
  subtype: number;
  src: number;
  dst: number;
  srcPort: number;
  dstPort: number;
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
  dst: 8,
  user: 12,
  session: 22,
  // The pre-NAT ports (26 and 27 are the NAT ones): what the endpoint sees, for stitching.
  srcPort: 24,
  dstPort: 25,
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
  dst: ['destinationaddress', 'destination', 'destinationip', 'dst', 'dstip', 'destinationipaddress'],
  srcPort: ['sourceport', 'srcport', 'sport'],
  dstPort: ['destinationport', 'dstport', 'dport'],
  user: ['sourceuser', 'srcuser', 'user', 'username'],
  session: ['sessionid', 'session'],
  action: ['action'],
  // Not "Threat/Content Name": in a URL log it holds the category's number, `(9999)`, never the URL.
  url: ['url', 'urlfilename', 'misc'],
  contentType: ['contenttype'],
  userAgent: ['useragent', 'httpuseragent'],
  method: ['httpmethod', 'method'],
  bytesSent: ['bytessent'],
  bytesReceived: ['bytesreceived'],
};

export function normaliseHeader(name: string): string {
  return name.toLowerCase().replace(/[\s_/#-]/g, '');
}

/** What a header row says: a PAN-OS export header (its column map), one missing what the detection needs, or neither. */
export type HeaderCheck = { kind: 'columns'; columns: Columns } | { kind: 'missing'; missing: string[] } | null;

/** The columns a URL export must have, with the names a message gives them (docs/detection.md "Sources"). */
const REQUIRED_URL: readonly { fields: readonly Field[]; name: string }[] = [
  { fields: ['receiveTime', 'generateTime'], name: 'Receive Time or Generate Time' },
  { fields: ['src'], name: 'Source address' },
  { fields: ['url'], name: 'URL' },
  { fields: ['userAgent'], name: 'User Agent' },
];

/**
 * A header that names this many PAN-OS columns is an export's header, even
 * when it lacks one the detection needs: it is refused naming what is
 * missing, instead of read with empty hosts or another column's values.
 */
const PANOS_NAMES_FOR_HEADER = 4;

/** Column map from a header row, or what it lacks; null when the row is not a PAN-OS export header. */
export function checkHeader(fields: readonly string[], count = fields.length): HeaderCheck {
  const index = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const n = normaliseHeader(fields[i]);
    if (!index.has(n)) index.set(n, i);
  }
  const cols = {} as Columns;
  let named = 0;
  for (const field of Object.keys(ALIASES) as Field[]) {
    cols[field] = -1;
    for (const alias of ALIASES[field]) {
      const i = index.get(alias);
      if (i !== undefined) {
        cols[field] = i;
        named++;
        break;
      }
    }
  }
  const hasTime = cols.receiveTime !== -1 || cols.generateTime !== -1;
  // A TRAFFIC export: its rows give bytes for the join, and no URL, address or User-Agent is needed.
  if (hasTime && cols.url === -1 && cols.type !== -1 && cols.bytesSent !== -1) return { kind: 'columns', columns: cols };
  const missing = REQUIRED_URL.filter((r) => r.fields.every((f) => cols[f] === -1)).map((r) => r.name);
  if (missing.length === 0) return { kind: 'columns', columns: cols };
  return named >= PANOS_NAMES_FOR_HEADER && (hasTime || cols.url !== -1) ? { kind: 'missing', missing } : null;
}

/** Column map from a header row, or null when the row is not a complete PAN-OS export header. */
export function headerColumns(fields: readonly string[], count = fields.length): Columns | null {
  const check = checkHeader(fields, count);
  return check?.kind === 'columns' ? check.columns : null;
}

/** The refusal of an export whose header lacks columns the detection needs. */
export function missingColumnsMessage(missing: readonly string[]): string {
  return (
    `a PAN-OS CSV export without the ${missing.length === 1 ? 'column' : 'columns'} ${missing.join(', ')}, which the ` +
    'detection needs (required: Receive Time or Generate Time, Source address, URL, User Agent); nothing of it was read: ' +
    'export the log again with these columns'
  );
}

/** The refusal of an export whose rows are wider or narrower than its header. */
export function widthMessage(header: number): string {
  return (
    `a PAN-OS CSV export whose first row has more columns than its header row (${header}): every field after the ` +
    'difference would be read from the wrong column; nothing of it was read: export the log again with its header'
  );
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
