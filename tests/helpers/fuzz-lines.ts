/**
 * Lines for the ingest fuzz test: good PAN-OS THREAT/url rows built by column
 * position, rows of other log types, a CSV export header, and junk of known
 * kinds. Everything is bytes, so junk can hold what text cannot (invalid UTF-8).
 */
import fc from 'fast-check';
import type { SkipReason } from '../../src/core/sources/counts';

const enc = new TextEncoder();
export const utf8 = (s: string): Uint8Array => enc.encode(s);

export const BOM = new Uint8Array([0xef, 0xbb, 0xbf]);
export const SERIAL = '013201001234';
/** Rows of other log types use another firewall's serial, so they never join a URL row. */
export const OTHER_SERIAL = '007951000999';
export const DAY_MS = 86_400_000;
export const T0 = Date.UTC(2026, 0, 1);

/** Columns of a THREAT/url row, 0-based, after the syslog header. */
export const COL = {
  receiveTime: 1,
  serial: 2,
  type: 3,
  subtype: 4,
  generateTime: 6,
  src: 7,
  dst: 8,
  user: 12,
  app: 14,
  session: 22,
  action: 30,
  url: 31,
  category: 33,
  contentType: 41,
  userAgent: 46,
  method: 63,
} as const;
export const ROW_WIDTH = 100;

export interface UrlLine {
  /** Generated Time, UTC ms; Receive Time is a second later. */
  time: number;
  src: string;
  user: string;
  url: string;
  userAgent: string;
  /** Lower case, as PAN-OS writes it. */
  method: string;
  contentType: string;
  action: string;
  session: number;
  /** Columns in the row (PAN-OS rows grow at the end): from just past the method to 10,000. */
  width: number;
  /** A syslog header in front of column 0's `1`, or '' for none. */
  syslogHeader: string;
}

export function panosTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return (
    `${p(d.getUTCFullYear(), 4)}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())} ` +
    `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`
  );
}

/** One CSV cell as PAN-OS writes it: quoted when it must be, and always for the URL. */
function csvCell(s: string, always = false): string {
  return always || /[",]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

export function joinRow(fields: readonly string[], quoted: ReadonlySet<number> = new Set([COL.url])): string {
  return fields.map((f, i) => csvCell(f, quoted.has(i))).join(',');
}

/** The fields of a THREAT/url row, column 0 holding the FUTURE_USE `1`. */
export function urlFields(l: UrlLine): string[] {
  const f = new Array<string>(l.width).fill('');
  f[0] = '1';
  f[COL.receiveTime] = panosTime(l.time + 1000);
  f[COL.serial] = SERIAL;
  f[COL.type] = 'THREAT';
  f[COL.subtype] = 'url';
  f[5] = '2561';
  f[COL.generateTime] = panosTime(l.time);
  f[COL.src] = l.src;
  f[COL.dst] = '203.0.113.80';
  f[COL.user] = l.user;
  f[COL.app] = 'web-browsing';
  f[COL.session] = String(l.session);
  f[COL.action] = l.action;
  f[COL.url] = l.url;
  f[COL.category] = 'computer-and-internet-info';
  f[COL.contentType] = l.contentType;
  f[COL.userAgent] = l.userAgent;
  f[COL.method] = l.method;
  return f;
}

/** A syslog-forwarded line: the syslog header sits in column 0, before the `1`. */
export function syslogLine(fields: readonly string[], syslogHeader = ''): string {
  const f = [...fields];
  if (syslogHeader !== '') f[0] = `${syslogHeader} ${f[0]}`;
  return joinRow(f);
}

/** A web-UI export's header row with the names at the syslog positions. */
export function exportHeader(width = ROW_WIDTH): string {
  const names: Record<number, string> = {
    0: 'Domain',
    1: 'Receive Time',
    2: 'Serial #',
    3: 'Type',
    4: 'Threat/Content Type',
    5: 'Config Version',
    6: 'Generate Time',
    7: 'Source address',
    8: 'Destination address',
    12: 'Source User',
    14: 'Application',
    22: 'Session ID',
    30: 'Action',
    31: 'URL',
    33: 'Category',
    41: 'Content Type',
    46: 'User Agent',
    63: 'HTTP Method',
  };
  return Array.from({ length: width }, (_, i) => names[i] ?? `Column ${i}`).join(',');
}

export type OtherType = 'TRAFFIC' | 'SYSTEM' | 'THREAT/vulnerability' | 'CONFIG';

/** A row of another log type, as a PAN-OS firewall writes it (shortened). */
export function otherLine(type: OtherType, time: number, session: number, syslogHeader = ''): string {
  const f = new Array<string>(type === 'TRAFFIC' ? 80 : 60).fill('');
  f[0] = '1';
  f[1] = panosTime(time + 1000);
  f[2] = OTHER_SERIAL;
  f[6] = panosTime(time);
  if (type === 'TRAFFIC') {
    f[3] = 'TRAFFIC';
    f[4] = 'end';
    f[7] = '10.9.9.9';
    f[22] = String(session);
    f[30] = 'allow';
    f[31] = '9000';
    f[32] = '700';
    f[33] = '8300';
  } else if (type === 'THREAT/vulnerability') {
    f[3] = 'THREAT';
    f[4] = 'vulnerability';
    f[7] = '10.9.9.9';
    f[22] = String(session);
    f[30] = 'reset-both';
    f[31] = 'exploit.php';
    f[32] = 'Apache Struts2 Remote Code Execution Vulnerability(33240)';
  } else if (type === 'SYSTEM') {
    f[3] = 'SYSTEM';
    f[4] = 'general';
    f[14] = 'informational';
    f[15] = 'User admin logged in via Web from 10.0.0.5 using https';
  } else {
    f[3] = 'CONFIG';
    f[4] = '0';
    f[7] = '10.0.0.5';
    f[9] = 'set deviceconfig system hostname "fw, 1"';
  }
  return syslogLine(f, syslogHeader);
}

/** Which count a line must land in; `any` where it depends on the random content (a row cut inside its type cell is another type). */
export type Expect =
  | { kind: 'event' }
  | { kind: 'other'; type: OtherType }
  | { kind: 'header' }
  | { kind: 'blank' }
  | { kind: 'skip'; reason: SkipReason }
  | { kind: 'any' };

export interface Piece {
  /** The line's bytes, without its line end. */
  bytes: Uint8Array;
  label: string;
  expect: Expect;
}

const HOSTS = ['10.1.1.1', '10.1.1.2', '10.1.1.3', '10.1.1.4', '10.1.1.5', '10.1.1.6', '10.1.2.1'];
const USER_AGENTS = [
  'curl/8.4.0',
  'python-requests/2.31.0',
  'Go-http-client/1.1',
  'Wget/1.21.3',
  'Microsoft BITS/7.8',
  'Mozilla/5.0 (Windows NT; Windows NT 10.0; en-US) WindowsPowerShell/5.1.19041.3031',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Slack/4.36.140 Chrome/120 Electron/28.1.0 Safari/537.36',
  '',
  '-',
];
const URLS = [
  'pastebin.com/raw/Xk2p9',
  'gist.github.com/alice/abc',
  'www.example.com/',
  'example.com/login?next=/x',
  'api.github.com/repos/x',
  'webhook.site/1234',
  'rentry.co/abc',
  'files.example.org:8443/upload',
  'https://paste.ee/p/q',
  'www.example.co.uk/index.html',
  '198.51.100.7/a',
  'xn--bcher-kva.example/',
];
const CONTENT_TYPES = ['text/html', 'text/html; charset=utf-8', 'application/json', '', 'text/plain'];

const width = fc.oneof(
  { weight: 6, arbitrary: fc.constant(ROW_WIDTH) },
  { weight: 2, arbitrary: fc.constantFrom(COL.method + 1, 80, 120) },
  { weight: 1, arbitrary: fc.constant(10_000) },
);

/** Good URL rows over three weeks: dataStart is T0, so the last week can alert. */
export const urlLineArb: fc.Arbitrary<UrlLine> = fc.record({
  time: fc.integer({ min: 0, max: 21 * DAY_MS - 1 }).map((t) => T0 + Math.floor(t / 1000) * 1000),
  src: fc.constantFrom(...HOSTS),
  user: fc.constantFrom('corp\\alice', 'corp\\bob', '', 'svc-backup'),
  url: fc.constantFrom(...URLS),
  userAgent: fc.constantFrom(...USER_AGENTS),
  method: fc.constantFrom('get', 'post', 'put', 'connect', ''),
  contentType: fc.constantFrom(...CONTENT_TYPES),
  action: fc.constantFrom('alert', 'block-url', 'allow'),
  session: fc.integer({ min: 1, max: 9_999_999 }),
  width,
  syslogHeader: fc.constantFrom('', 'Jan  1 00:00:00 PA-3220', '<14>Feb 12 10:00:00 fw-1.example.org'),
});

/** Lines that always open and close a good set: the earliest event, and a late upload that alerts. */
export function anchorLines(): UrlLine[] {
  const base = {
    user: 'corp\\carol',
    contentType: '',
    action: 'alert',
    width: ROW_WIDTH,
    syslogHeader: '',
  };
  return [
    { ...base, time: T0, src: '10.7.7.7', url: 'www.example.com/', userAgent: USER_AGENTS[6], method: 'get', session: 1 },
    {
      ...base,
      time: T0 + 20 * DAY_MS,
      src: '10.7.7.8',
      url: 'pastebin.com/api/api_post.php',
      userAgent: 'curl/8.4.0',
      method: 'post',
      session: 2,
    },
  ];
}

/** A good row as a line of the given format (an export row has no syslog header). */
export function goodLine(l: UrlLine, format: 'syslog' | 'export'): string {
  // Syslog rows grow at the end with the PAN-OS version; an export's rows have its header's width (exportHeader),
  // and one of another width is misread there (tests/cases/csv-export-column-count).
  return format === 'syslog' ? syslogLine(urlFields(l), l.syslogHeader) : joinRow(urlFields({ ...l, width: ROW_WIDTH }));
}

const BAD_UTF8: readonly number[][] = [
  [0xc3, 0x28],
  [0xa0, 0xa1],
  [0xe2, 0x28, 0xa1],
  [0xe2, 0x82],
  [0xf0, 0x28, 0x8c, 0xbc],
  [0xf0, 0x90, 0x28],
  [0xc0, 0x80],
  [0xed, 0xa0, 0x80],
  [0xff],
  [0xfe],
  [0x80],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
];

const noNewline = (b: Uint8Array): Uint8Array => b.map((x) => (x === 0x0a ? 0x20 : x));

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const printable = fc.string({ unit: 'binary-ascii', maxLength: 200 }).map((s) => s.replace(/[\n]/g, ' '));

/** Junk for a file of the given format: lines that are not PAN-OS URL rows, each with where it must be counted. */
export function junkArb(format: 'syslog' | 'export'): fc.Arbitrary<Piece> {
  const other = fc
    .record({
      type: fc.constantFrom<OtherType>('TRAFFIC', 'SYSTEM', 'THREAT/vulnerability', 'CONFIG'),
      time: fc.integer({ min: 0, max: 21 * DAY_MS }),
      session: fc.integer({ min: 1, max: 9_999_999 }),
      header: fc.constantFrom('', '<14>Jan  1 00:00:00 PA-3220'),
    })
    .map(({ type, time, session, header }): Piece => ({
      bytes: utf8(otherLine(type, T0 + time, session, format === 'syslog' ? header : '')),
      label: `other ${type}`,
      expect: { kind: 'other', type },
    }));

  // A good row cut before its URL column: a line of a log truncated mid-write.
  const truncated = fc.tuple(urlLineArb, fc.noBias(fc.nat())).map(([l, n]): Piece => {
    const line = goodLine({ ...l, width: ROW_WIDTH }, format);
    let urlStart = 0;
    for (let i = 0, commas = 0; i < line.length; i++) {
      if (line[i] === ',' && ++commas === COL.url) {
        urlStart = i;
        break;
      }
    }
    return { bytes: utf8(line.slice(0, n % urlStart)), label: 'truncated', expect: { kind: 'any' } };
  });

  // Out of range or impossible: never a time, so the row is skipped for it.
  const badTime = fc
    .tuple(
      urlLineArb,
      fc.constantFrom(
        '2026/13/01 10:00:00',
        '0000/01/01 00:00:00',
        '2026/02/30 12:00:00',
        '2026/01/01 24:00:00',
        '2026/01/01 10:60:00',
        '1969/12/31 23:59:59',
        '2026-01-01T10:00:00Z',
        '',
      ),
    )
    .map(([l, t]): Piece => {
      const f = urlFields({ ...l, width: ROW_WIDTH });
      f[COL.generateTime] = t;
      if (t === '') f[COL.receiveTime] = '';
      // Exports are matched by header, so a syslog row's empty times would still make it a URL row there.
      const line = format === 'syslog' && t !== '' ? syslogLine(f, l.syslogHeader) : joinRow(f);
      const expect: Expect =
        format === 'syslog' && t === '' ? { kind: 'skip', reason: 'not-panos' } : { kind: 'skip', reason: 'bad-time' };
      return { bytes: utf8(line), label: `bad time ${t}`, expect };
    });

  // A URL cell that opens a quote and never closes it.
  const quotes = fc.tuple(urlLineArb, fc.constantFrom(0, 1, 2)).map(([l, how]): Piece => {
    const line = goodLine({ ...l, width: ROW_WIDTH }, format);
    const broken = how === 0 ? line.replace(/"([^"]*)"/, '"$1') : how === 1 ? `"${line}` : `${line},"tail`;
    return { bytes: utf8(broken), label: 'unbalanced quotes', expect: { kind: 'skip', reason: 'csv-quotes' } };
  });

  // Cells start with a digit, so no cell can pass for a log type, a header name or a time.
  const wide = fc.nat().map((seed): Piece => {
    let x = seed | 1;
    const cells: string[] = [];
    for (let i = 0; i < 10_000; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      cells.push(String(x % 10) + 'ab.9'.slice(0, (x >>> 8) % 4));
    }
    return { bytes: utf8(cells.join(',')), label: '10,000 columns', expect: { kind: 'skip', reason: 'not-panos' } };
  });

  const randomText = printable.map((s): Piece => ({ bytes: utf8(s), label: 'random text', expect: { kind: 'any' } }));
  const randomBytes = fc
    .uint8Array({ maxLength: 300 })
    .map((b): Piece => ({ bytes: noNewline(b), label: 'random bytes', expect: { kind: 'any' } }));
  const nul = fc.tuple(fc.integer({ min: 1, max: 200 }), printable).map(([n, s]): Piece => ({
    bytes: concat([new Uint8Array(n), utf8(s.replace(/,/g, ';'))]),
    label: 'NUL bytes',
    expect: format === 'syslog' ? { kind: 'skip', reason: 'not-panos' } : { kind: 'skip', reason: 'too-few-columns' },
  }));
  const badUtf8 = fc.tuple(printable, fc.constantFrom(...BAD_UTF8), printable).map(([a, bad, b]): Piece => ({
    bytes: concat([utf8(a), new Uint8Array(bad), utf8(b)]),
    label: 'invalid UTF-8',
    expect: { kind: 'any' },
  }));
  const blank = fc
    .constantFrom('', ' ', '\t', '   \t ')
    .map((s): Piece => ({ bytes: utf8(s), label: 'blank', expect: { kind: 'blank' } }));
  const exportHead = fc.constant<Piece>({
    bytes: utf8(exportHeader()),
    label: 'export header',
    expect: format === 'export' ? { kind: 'header' } : { kind: 'skip', reason: 'not-panos' },
  });

  return fc.oneof(
    { weight: 4, arbitrary: other },
    { weight: 3, arbitrary: truncated },
    { weight: 3, arbitrary: badTime },
    { weight: 3, arbitrary: quotes },
    { weight: 1, arbitrary: wide },
    { weight: 3, arbitrary: randomText },
    { weight: 3, arbitrary: randomBytes },
    { weight: 2, arbitrary: nul },
    { weight: 3, arbitrary: badUtf8 },
    { weight: 2, arbitrary: blank },
    { weight: 1, arbitrary: exportHead },
  );
}

/** A good line's bytes, some with invalid UTF-8 in the user name: still analysed, with U+FFFD. */
export function goodPiece(l: UrlLine, format: 'syslog' | 'export', badUserByte: boolean): Piece {
  const text = goodLine(l, format);
  const at = badUserByte && l.user !== '' ? text.indexOf(l.user) : -1;
  const bytes = at === -1 ? utf8(text) : concat([utf8(text.slice(0, at)), new Uint8Array([0xff]), utf8(text.slice(at))]);
  return { bytes, label: 'good', expect: { kind: 'event' } };
}
