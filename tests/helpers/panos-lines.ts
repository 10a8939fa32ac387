/**
 * Builds synthetic PAN-OS log lines (syslog layout, PAN-OS 10.x widths) for
 * tests. Column positions follow docs/architecture.md "Reading"; every other column
 * holds a plausible constant so the rows look like what a firewall forwards.
 */

export interface UrlRowSpec {
  /** Generated Time, `YYYY/MM/DD HH:MM:SS`; empty to leave the column blank. */
  time: string;
  /** Receive Time; defaults to `time`. */
  receiveTime?: string;
  serial?: string;
  /** Log type and subtype: `THREAT`/`url` unless a test wants another row. */
  type?: string;
  subtype?: string;
  src: string;
  dst?: string;
  /** Pre-NAT Source and Destination Port (24, 25). */
  srcPort?: number;
  dstPort?: number;
  user?: string;
  session?: string;
  action?: string;
  url: string;
  category?: string;
  contentType?: string;
  userAgent?: string;
  /** As PAN-OS writes it: lower case (`get`, `post`). */
  method?: string;
  referer?: string;
}

export interface TrafficRowSpec {
  time: string;
  serial?: string;
  src: string;
  dst?: string;
  session: string;
  bytesSent: number;
  bytesReceived: number;
  action?: string;
}

export const DEFAULT_SERIAL = '012801096514';

/** CSV quoting as PAN-OS does it for free-text fields: always quoted, `"` doubled. */
export function quote(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

/** A field that PAN-OS quotes only when it has content. */
function quoteIfAny(s: string): string {
  return s === '' ? '' : quote(s);
}

export function urlFields(r: UrlRowSpec): string[] {
  const f: string[] = new Array<string>(76).fill('');
  const receive = r.receiveTime ?? r.time;
  f[0] = '1';
  f[1] = receive;
  f[2] = r.serial ?? DEFAULT_SERIAL;
  f[3] = r.type ?? 'THREAT';
  f[4] = r.subtype ?? 'url';
  f[5] = '2561';
  f[6] = r.time;
  f[7] = r.src;
  f[8] = r.dst ?? '198.51.100.20';
  f[9] = '0.0.0.0';
  f[10] = '0.0.0.0';
  f[11] = 'allow-web';
  f[12] = r.user ?? '';
  f[14] = 'web-browsing';
  f[15] = 'vsys1';
  f[16] = 'trust';
  f[17] = 'untrust';
  f[18] = 'ethernet1/2';
  f[19] = 'ethernet1/1';
  f[20] = 'forward-all';
  f[21] = receive;
  f[22] = r.session ?? '';
  f[23] = '1';
  f[24] = String(r.srcPort ?? 51324);
  f[25] = String(r.dstPort ?? 443);
  f[26] = '0';
  f[27] = '0';
  f[28] = '0x40b000';
  f[29] = 'tcp';
  f[30] = r.action ?? 'alert';
  f[31] = quote(r.url);
  f[32] = '(9999)';
  f[33] = r.category ?? 'computer-and-internet-info';
  f[34] = 'informational';
  f[35] = 'client-to-server';
  f[36] = '7341108846134004297';
  f[37] = '0x8000000000000000';
  f[38] = '10.0.0.0-10.255.255.255';
  f[39] = 'United States';
  f[40] = '0';
  f[41] = r.contentType ?? '';
  f[42] = '0';
  f[45] = '1';
  f[46] = quoteIfAny(r.userAgent ?? '');
  f[49] = quoteIfAny(r.referer ?? '');
  f[54] = '0';
  f[55] = '0';
  f[56] = '0';
  f[57] = '0';
  f[59] = 'PA-VM';
  f[63] = r.method ?? 'get';
  f[64] = '0';
  f[66] = '0';
  f[68] = 'N/A';
  f[69] = 'unknown';
  f[70] = 'AppThreat-0-0';
  f[71] = '0x0';
  f[72] = '0';
  f[73] = '4294967295';
  f[75] = quote(`${f[33]},low-risk`);
  return f;
}

/** One THREAT/url row as forwarded over syslog, without a syslog header. */
export function urlLine(r: UrlRowSpec): string {
  return urlFields(r).join(',');
}

/** One TRAFFIC/end row: bytes (31), bytes sent (32), bytes received (33). */
export function trafficLine(r: TrafficRowSpec): string {
  const f: string[] = new Array<string>(52).fill('');
  f[0] = '1';
  f[1] = r.time;
  f[2] = r.serial ?? DEFAULT_SERIAL;
  f[3] = 'TRAFFIC';
  f[4] = 'end';
  f[5] = '2561';
  f[6] = r.time;
  f[7] = r.src;
  f[8] = r.dst ?? '198.51.100.20';
  f[9] = '0.0.0.0';
  f[10] = '0.0.0.0';
  f[11] = 'allow-web';
  f[14] = 'ssl';
  f[15] = 'vsys1';
  f[16] = 'trust';
  f[17] = 'untrust';
  f[18] = 'ethernet1/2';
  f[19] = 'ethernet1/1';
  f[20] = 'forward-all';
  f[21] = r.time;
  f[22] = r.session;
  f[23] = '1';
  f[24] = '51324';
  f[25] = '443';
  f[26] = '0';
  f[27] = '0';
  f[28] = '0x40001a';
  f[29] = 'tcp';
  f[30] = r.action ?? 'allow';
  f[31] = String(r.bytesSent + r.bytesReceived);
  f[32] = String(r.bytesSent);
  f[33] = String(r.bytesReceived);
  f[34] = '12';
  f[35] = r.time;
  f[36] = '3';
  f[37] = 'computer-and-internet-info';
  f[39] = '7341108846134004300';
  f[40] = '0x0';
  f[41] = '10.0.0.0-10.255.255.255';
  f[42] = 'United States';
  f[44] = '6';
  f[45] = '6';
  f[46] = 'tcp-fin';
  f[51] = 'PA-VM';
  return f.join(',');
}

/**
 * The header row of a web-UI URL log export: the same columns as the syslog
 * layout (the first, `Domain`, is PAN-OS's internal field holding `1`).
 */
export const URL_EXPORT_HEADER = [
  'Domain',
  'Receive Time',
  'Serial #',
  'Type',
  'Threat/Content Type',
  'Config Version',
  'Generate Time',
  'Source address',
  'Destination address',
  'NAT Source IP',
  'NAT Destination IP',
  'Rule',
  'Source User',
  'Destination User',
  'Application',
  'Virtual System',
  'Source Zone',
  'Destination Zone',
  'Inbound Interface',
  'Outbound Interface',
  'Log Action',
  'Time Logged',
  'Session ID',
  'Repeat Count',
  'Source Port',
  'Destination Port',
  'NAT Source Port',
  'NAT Destination Port',
  'Flags',
  'IP Protocol',
  'Action',
  'URL',
  'Threat/Content Name',
  'Category',
  'Severity',
  'Direction',
  'Sequence Number',
  'Action Flags',
  'Source Country',
  'Destination Country',
  'cpadding',
  'contenttype',
  'pcap_id',
  'filedigest',
  'cloud',
  'url_idx',
  'user_agent',
  'filetype',
  'xff',
  'referer',
  'sender',
  'subject',
  'recipient',
  'reportid',
  'DG Hierarchy Level 1',
  'DG Hierarchy Level 2',
  'DG Hierarchy Level 3',
  'DG Hierarchy Level 4',
  'Virtual System Name',
  'Device Name',
  'file_url',
  'Source VM UUID',
  'Destination VM UUID',
  'http_method',
  'Tunnel ID/IMSI',
  'Monitor Tag/IMEI',
  'Parent Session ID',
  'parent_start_time',
  'Tunnel',
  'thr_category',
  'contentver',
  'sig_flags',
  'SCTP Association ID',
  'Payload Protocol ID',
  'http_headers',
  'URL Category List',
].join(',');

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A BSD syslog header for a PAN-OS time (`Mar  1 00:00:05 PA-VM `), with an optional `<PRI>`. */
export function syslogHeader(time: string, device = 'PA-VM', pri = ''): string {
  const month = MONTHS[Number(time.slice(5, 7)) - 1];
  const day = String(Number(time.slice(8, 10))).padStart(2, ' ');
  return `${pri}${month} ${day} ${time.slice(11, 19)} ${device} `;
}

const DAY_MS = 86_400_000;

/** Epoch ms to the PAN-OS time format, in UTC. */
export function panosTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 4)}/${iso.slice(5, 7)}/${iso.slice(8, 10)} ${iso.slice(11, 19)}`;
}

/** `YYYY/MM/DD HH:MM:SS` read as UTC, to epoch ms. */
export function panosToMs(time: string): number {
  return Date.parse(`${time.slice(0, 4)}-${time.slice(5, 7)}-${time.slice(8, 10)}T${time.slice(11, 19)}Z`);
}

export function addDays(time: string, days: number): string {
  return panosTime(panosToMs(time) + days * DAY_MS);
}
