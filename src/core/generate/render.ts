import type { Entry, ThreatEntry, TrafficEntry, UrlEntry } from './entries';
import { isServerAddress } from './hosts';
import { hashString, type Random } from './random';

/**
 * Entries to PAN-OS rows: THREAT/url rows in the firewall's column order
 * (PAN-OS 10.0, 111 columns), TRAFFIC rows, other THREAT subtypes; as
 * syslog lines or as a web-UI CSV export. Column positions are the contract
 * with the reader (src/core/sources/panos.ts); comments name them.
 */

const DEVICE = 'PA-3220';
const SERIAL = '013201012345';
const CONFIG_VERSION = '2560';
const NAT_IP = '203.0.113.10';
const VSYS_NAME = 'Corp';
const RULE_UUID: Readonly<Record<string, string>> = {
  'Allow-Users-Web': '6f4c2b1e-8d3a-4e5f-9a7b-1c2d3e4f5a6b',
  'Allow-Servers-Updates': '0b9e8d7c-6f5a-4b3c-8d2e-1f0a9b8c7d6e',
  'Inbound-DMZ': 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f',
};
const URL_COLUMNS = 111;
const COUNTRIES = ['United States', 'United States', 'United States', 'Ireland', 'Germany', 'Netherlands'];
const FIRST_OCTETS = [13, 18, 23, 34, 35, 52, 54, 104, 142, 151, 157, 185, 199];

const addresses = new Map<string, string>();

/** A stable public address per host name. */
export function destination(url: string): string {
  const slash = url.indexOf('/');
  const host = slash === -1 ? url : url.slice(0, slash);
  let ip = addresses.get(host);
  if (ip === undefined) {
    const h = hashString(host);
    ip = `${FIRST_OCTETS[h % FIRST_OCTETS.length]}.${(h >>> 8) & 255}.${(h >>> 16) & 255}.${((h >>> 24) % 253) + 1}`;
    // Host names repeat heavily; the bound only matters for unusual inputs.
    if (addresses.size >= 10_000) addresses.clear();
    addresses.set(host, ip);
  }
  return ip;
}

function quote(s: string): string {
  return `"${s.includes('"') ? s.replace(/"/g, '""') : s}"`;
}

/** PAN-OS quotes a field that holds a comma or a quote. */
function field(s: string): string {
  return s.includes(',') || s.includes('"') ? quote(s) : s;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number): string => (n < 10 ? '0' : '') + n;

/** Time formats of one file; dates are cached because a file spans a day or two. */
class Clock {
  private readonly dates = new Map<number, { ymd: string; dashed: string; syslog: string }>();

  private date(ms: number): { ymd: string; dashed: string; syslog: string } {
    const day = Math.floor(ms / 86_400_000);
    let d = this.dates.get(day);
    if (d === undefined) {
      const t = new Date(day * 86_400_000);
      const y = t.getUTCFullYear();
      const m = t.getUTCMonth();
      const dd = p2(t.getUTCDate());
      d = { ymd: `${y}/${p2(m + 1)}/${dd}`, dashed: `${y}-${p2(m + 1)}-${dd}`, syslog: `${MONTHS[m]} ${dd}` };
      this.dates.set(day, d);
    }
    return d;
  }

  private hms(ms: number): string {
    const s = Math.floor((ms % 86_400_000) / 1000);
    return `${p2(Math.floor(s / 3600))}:${p2(Math.floor(s / 60) % 60)}:${p2(s % 60)}`;
  }

  /** `YYYY/MM/DD HH:MM:SS`, UTC. */
  panos(ms: number): string {
    return `${this.date(ms).ymd} ${this.hms(ms)}`;
  }

  /** The syslog header time, `Sep 01 00:00:23`. */
  syslog(ms: number): string {
    return `${this.date(ms).syslog} ${this.hms(ms)}`;
  }

  /** High-resolution timestamp column, `2026-09-01T00:00:23.512+00:00`. */
  precise(ms: number): string {
    return `${this.date(ms).dashed}T${this.hms(ms)}.${String(ms % 1000).padStart(3, '0')}+00:00`;
  }
}

const URL_HEADER: readonly string[] = [
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
  'Rule UUID',
  'HTTP/2 Connection',
  'dynusergroup_name',
  'XFF address',
  'Source Device Category',
  'Source Device Profile',
  'Source Device Model',
  'Source Device Vendor',
  'Source Device OS Family',
  'Source Device OS Version',
  'Source Hostname',
  'Source Mac Address',
  'Destination Device Category',
  'Destination Device Profile',
  'Destination Device Model',
  'Destination Device Vendor',
  'Destination Device OS Family',
  'Destination Device OS Version',
  'Destination Hostname',
  'Destination Mac Address',
  'Container ID',
  'POD Namespace',
  'POD Name',
  'Source External Dynamic List',
  'Destination External Dynamic List',
  'Host ID',
  'Endpoint Serial Number',
  'Domain EDL',
  'Source Dynamic Address Group',
  'Destination Dynamic Address Group',
  'Partial Hash',
  'High Res Timestamp',
  'Reason',
  'Justification',
  'A Slice Service Type',
];

/**
 * A CSV export holds one header, so TRAFFIC rows share it: the export carries
 * the traffic byte columns at the end (empty on URL rows) as a unified-log
 * export does, which is what lets the reader join bytes sent to URL rows.
 */
const TRAFFIC_EXTRA = [
  'Bytes',
  'Bytes Sent',
  'Bytes Received',
  'Packets',
  'Start Time',
  'Elapsed Time (sec)',
  'Session End Reason',
];

export const CSV_HEADER = [...URL_HEADER, ...TRAFFIC_EXTRA].join(',') + '\n';

/** What columns 0-30 need: the fields every log type shares. */
interface Shared {
  type: string;
  subtype: string;
  time: number;
  receive: number;
  src: string;
  dst: string;
  user: string;
  app: string;
  session: number;
  dport: number;
  protocol: string;
  action: string;
  /** From the internet to a server (threat rows), not outbound. */
  inbound?: boolean;
  /** A URL row's session: its source and NAT source ports (day.ts); other rows draw theirs. */
  ports?: { source: number; nat: number };
}

/** Renders one day's entries; the rng fills ports, flags and sub-second times. */
export class RowWriter {
  private readonly clock = new Clock();
  private seq: number;
  private readonly rows = new Map<Entry['kind'], string[]>();

  constructor(
    private readonly rng: Random,
    private readonly format: 'syslog' | 'csv',
    day: number,
  ) {
    this.seq = 10_000_000 * (day + 1);
  }

  line(e: Entry): string {
    const receive = e.time + this.rng.int(2) * 1000;
    let cells: string[];
    if (e.kind === 'url') cells = this.url(e, receive);
    else if (e.kind === 'threat') cells = this.threat(e, receive);
    else cells = this.format === 'csv' ? this.trafficUnified(e, receive) : this.traffic(e, receive);
    if (this.format === 'csv') return cells.join(',') + '\n';
    return `${this.clock.syslog(receive)} ${DEVICE} ${cells.join(',')}\n`;
  }

  /**
   * The cells of a row of `kind`, reused from row to row: each kind sets the
   * same cells on every row, so the rest stay empty. An export's rows all
   * have the header's width (the TRAFFIC byte columns at the end).
   */
  private cells(kind: Entry['kind'], columns: number): string[] {
    let cells = this.rows.get(kind);
    if (cells === undefined) {
      cells = new Array<string>(this.format === 'csv' ? URL_COLUMNS + TRAFFIC_EXTRA.length : columns).fill('');
      this.rows.set(kind, cells);
    }
    return cells;
  }

  private sequence(): string {
    return `72861237${String(++this.seq).padStart(11, '0')}`;
  }

  /** Columns 0-30; returns the rule name. */
  private common(cells: string[], r: Shared): string {
    const { type, subtype, time, receive, src, dst, user, app, session, dport, protocol, action } = r;
    const inbound = r.inbound === true;
    const server = isServerAddress(src);
    const rule = inbound ? 'Inbound-DMZ' : server ? 'Allow-Servers-Updates' : 'Allow-Users-Web';
    cells[0] = '1';
    cells[1] = this.clock.panos(receive);
    cells[2] = SERIAL;
    cells[3] = type;
    cells[4] = subtype;
    cells[5] = CONFIG_VERSION;
    cells[6] = this.clock.panos(time);
    cells[7] = src;
    cells[8] = dst;
    cells[9] = inbound ? '0.0.0.0' : NAT_IP;
    cells[10] = inbound ? '0.0.0.0' : dst;
    cells[11] = rule;
    cells[12] = field(user);
    cells[14] = app;
    cells[15] = 'vsys1';
    cells[16] = inbound ? 'untrust' : server ? 'dmz' : 'trust';
    cells[17] = inbound ? 'dmz' : 'untrust';
    cells[18] = inbound ? 'ethernet1/1' : server ? 'ethernet1/3' : 'ethernet1/2';
    cells[19] = inbound ? 'ethernet1/3' : 'ethernet1/1';
    cells[20] = 'Forward-to-SIEM';
    cells[21] = cells[1];
    cells[22] = String(session);
    cells[23] = '1';
    cells[24] = String(r.ports?.source ?? this.rng.range(49_152, 65_535));
    cells[25] = String(dport);
    cells[26] = inbound ? '0' : String(r.ports?.nat ?? this.rng.range(1_024, 65_535));
    cells[27] = inbound ? '0' : String(dport);
    cells[28] = dport === 443 ? '0x40f000' : '0x40b000';
    cells[29] = protocol;
    cells[30] = action;
    return rule;
  }

  /** The tail of the THREAT layout (also the CSV export's): device, rule UUID, high-resolution time. */
  private threatTail(cells: string[], rule: string, receive: number): void {
    cells[58] = VSYS_NAME;
    cells[59] = DEVICE;
    cells[76] = RULE_UUID[rule];
    cells[106] = '0';
    cells[107] = this.clock.precise(receive + this.rng.int(1000));
  }

  /** THREAT/url: URL 31, category 33, content type 41, User-Agent 46, referer 49, method 63. */
  private url(e: UrlEntry, receive: number): string[] {
    const cells = this.cells('url', URL_COLUMNS);
    const dst = destination(e.url);
    const rule = this.common(cells, {
      type: 'THREAT',
      subtype: 'url',
      time: e.time,
      receive,
      src: e.host.ip,
      dst,
      user: e.user,
      app: e.app,
      session: e.session,
      dport: e.port ?? 443,
      protocol: 'tcp',
      action: e.action,
      ports: { source: e.sourcePort, nat: e.natPort },
    });
    cells[31] = quote(e.url);
    cells[32] = '(9999)';
    cells[33] = e.category;
    cells[34] = 'informational';
    cells[35] = 'client-to-server';
    cells[36] = this.sequence();
    cells[37] = '0x8000000000000000';
    cells[38] = '10.0.0.0-10.255.255.255';
    cells[39] = COUNTRIES[hashString(dst) % COUNTRIES.length];
    cells[41] = field(e.contentType);
    cells[42] = '0';
    cells[45] = e.method === '' ? '0' : '1';
    cells[46] = e.userAgent === '' ? '' : quote(e.userAgent);
    cells[49] = e.referer ? quote(e.referer) : '';
    for (let i = 53; i <= 57; i++) cells[i] = '0';
    cells[63] = e.method;
    cells[64] = '0';
    cells[66] = '0';
    cells[68] = 'N/A';
    cells[69] = 'unknown';
    cells[70] = 'AppThreat-8872-9217';
    cells[71] = '0x0';
    cells[72] = '0';
    cells[73] = '4294967295';
    cells[75] = quote(
      `${e.category},${e.category === 'malware' || e.category === 'newly-registered-domain' ? 'high-risk' : 'low-risk'}`,
    );
    cells[77] = '0';
    this.threatTail(cells, rule, receive);
    return cells;
  }

  /** Another THREAT subtype: the threat name goes in column 32, its category in 69. */
  private threat(e: ThreatEntry, receive: number): string[] {
    const cells = this.cells('threat', URL_COLUMNS);
    const inbound = e.subtype === 'vulnerability';
    const rule = this.common(cells, {
      type: 'THREAT',
      subtype: e.subtype,
      time: e.time,
      receive,
      src: e.src,
      dst: e.dst,
      user: '',
      app: e.app,
      session: e.session,
      dport: inbound ? 443 : 53,
      protocol: inbound ? 'tcp' : 'udp',
      action: e.action,
      inbound,
    });
    cells[31] = inbound ? quote(this.rng.pick(['wp-login.php', 'index.php', 'cgi-bin/status'])) : '';
    cells[32] = field(e.threat);
    cells[33] = 'any';
    cells[34] = e.severity;
    cells[35] = 'client-to-server';
    cells[36] = this.sequence();
    cells[37] = '0x2000000000000000';
    cells[38] = inbound ? 'United States' : '10.0.0.0-10.255.255.255';
    cells[39] = inbound ? '10.0.0.0-10.255.255.255' : 'United States';
    cells[42] = '0';
    for (let i = 53; i <= 57; i++) cells[i] = '0';
    cells[64] = '0';
    cells[66] = '0';
    cells[68] = 'N/A';
    cells[69] = e.threatCategory;
    cells[70] = 'AppThreat-8872-9217';
    cells[71] = '0x0';
    cells[72] = '0';
    cells[73] = '4294967295';
    cells[77] = '0';
    this.threatTail(cells, rule, receive);
    return cells;
  }

  private trafficShared(e: TrafficEntry, receive: number): Shared {
    return {
      type: 'TRAFFIC',
      subtype: 'end',
      time: e.time,
      receive,
      src: e.src,
      dst: e.dst,
      user: e.user,
      app: e.app,
      session: e.session,
      dport: e.dport,
      protocol: e.protocol,
      action: 'allow',
      ...(e.of === null ? {} : { ports: { source: e.of.sourcePort, nat: e.of.natPort } }),
    };
  }

  private trafficNumbers(e: TrafficEntry): { packets: number; sentPackets: number; elapsed: number; reason: string } {
    const sentPackets = Math.max(1, Math.ceil(e.bytes.sent / 1200));
    const packets = sentPackets + Math.max(1, Math.ceil(e.bytes.received / 1400));
    const elapsed = Math.round((e.time - e.start) / 1000);
    return { packets, sentPackets, elapsed, reason: e.protocol === 'udp' ? 'aged-out' : 'tcp-fin' };
  }

  /** TRAFFIC/end in syslog order: bytes 31, bytes sent 32, bytes received 33. */
  private traffic(e: TrafficEntry, receive: number): string[] {
    const cells = this.cells('traffic', 96);
    const rule = this.common(cells, this.trafficShared(e, receive));
    const n = this.trafficNumbers(e);
    cells[31] = String(e.bytes.sent + e.bytes.received);
    cells[32] = String(e.bytes.sent);
    cells[33] = String(e.bytes.received);
    cells[34] = String(n.packets);
    cells[35] = this.clock.panos(e.start);
    cells[36] = String(n.elapsed);
    cells[37] = e.category;
    cells[38] = '0';
    cells[39] = this.sequence();
    cells[40] = '0x8000000000000000';
    cells[41] = '10.0.0.0-10.255.255.255';
    cells[42] = COUNTRIES[hashString(e.dst) % COUNTRIES.length];
    cells[43] = '0';
    cells[44] = String(n.sentPackets);
    cells[45] = String(n.packets - n.sentPackets);
    cells[46] = n.reason;
    for (let i = 47; i <= 50; i++) cells[i] = '0';
    cells[51] = VSYS_NAME;
    cells[52] = DEVICE;
    cells[53] = 'from-policy';
    cells[56] = '0';
    cells[58] = '0';
    cells[60] = 'N/A';
    for (let i = 61; i <= 64; i++) cells[i] = '0';
    cells[65] = RULE_UUID[rule];
    cells[66] = '0';
    cells[67] = '0';
    cells[94] = '0';
    cells[95] = this.clock.precise(receive + this.rng.int(1000));
    return cells;
  }

  /** TRAFFIC/end in the CSV export: the shared columns, the category, and the byte columns at the end. */
  private trafficUnified(e: TrafficEntry, receive: number): string[] {
    const cells = this.cells('traffic', URL_COLUMNS);
    const rule = this.common(cells, this.trafficShared(e, receive));
    const n = this.trafficNumbers(e);
    cells[33] = e.category;
    cells[36] = this.sequence();
    cells[37] = '0x8000000000000000';
    cells[38] = '10.0.0.0-10.255.255.255';
    cells[39] = COUNTRIES[hashString(e.dst) % COUNTRIES.length];
    this.threatTail(cells, rule, receive);
    const extra = [
      String(e.bytes.sent + e.bytes.received),
      String(e.bytes.sent),
      String(e.bytes.received),
      String(n.packets),
      this.clock.panos(e.start),
      String(n.elapsed),
      n.reason,
    ];
    for (let i = 0; i < extra.length; i++) cells[URL_COLUMNS + i] = extra[i];
    return cells;
  }
}
