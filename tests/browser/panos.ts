// Hand-made PAN-OS syslog URL rows, for inputs the generator would never write
// (hostile user agents, users and URLs). Column positions as in docs/architecture.md.

export interface UrlRow {
  /** `YYYY/MM/DD HH:MM:SS`, UTC. */
  time: string;
  src: string;
  user?: string;
  /** As PAN-OS logs it: no scheme. */
  url: string;
  userAgent: string;
  method?: string;
  contentType?: string;
  action?: string;
  session?: number;
  /** The connection's pre-NAT destination and ports, and its NAT source (what stitching must not use). */
  dst?: string;
  srcPort?: number;
  dstPort?: number;
  natSrc?: string;
  natSrcPort?: number;
}

/** RFC 4180 quoting where a field needs it (PAN-OS quotes the URL always). */
function field(value: string, always = false): string {
  return always || /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One THREAT/url line of 80 columns, as a firewall forwards it (no syslog header). */
export function urlLine(r: UrlRow): string {
  const f: string[] = new Array<string>(80).fill('');
  f[0] = '1';
  f[1] = r.time;
  f[2] = '013201001234';
  f[3] = 'THREAT';
  f[4] = 'url';
  f[5] = '2562';
  f[6] = r.time;
  f[7] = r.src;
  f[8] = r.dst ?? '203.0.113.80';
  f[9] = r.natSrc ?? '';
  f[24] = r.srcPort === undefined ? '' : String(r.srcPort);
  f[25] = r.dstPort === undefined ? '' : String(r.dstPort);
  f[26] = r.natSrcPort === undefined ? '' : String(r.natSrcPort);
  f[27] = r.natSrc === undefined || r.dstPort === undefined ? '' : String(r.dstPort);
  f[12] = r.user ?? '';
  f[14] = 'web-browsing';
  f[15] = 'vsys1';
  f[22] = String(r.session ?? 1000);
  f[30] = r.action ?? 'alert';
  f[31] = r.url;
  f[33] = 'unknown';
  f[41] = r.contentType ?? '';
  f[46] = r.userAgent;
  f[63] = r.method ?? 'get';
  return f.map((v, i) => field(v, i === 31)).join(',');
}

export const BROWSER_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

/**
 * A log whose first line is a browser event on 2026-09-01, so that the
 * detector's activation (14 days after the first event) has passed for
 * `rows`, which should be dated 2026-09-20 or later.
 */
export function activeLog(rows: UrlRow[]): string {
  const opening = urlLine({ time: '2026/09/01 08:00:00', src: '10.0.0.1', url: 'www.example.com/', userAgent: BROWSER_UA });
  return [opening, ...rows.map(urlLine)].join('\n') + '\n';
}
