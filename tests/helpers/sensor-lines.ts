/**
 * Lines for the sensor fuzz test: good HTTP requests written as Zeek TSV rows,
 * Zeek JSON rows or Suricata eve records, and junk of known kinds for each.
 * Values are drawn to reach the readers' corners: escapes, tabs and non-ASCII
 * in values, Host headers with ports or none, unset fields, times with
 * fractions and offsets.
 */
import fc from 'fast-check';
import type { SkipReason } from '../../src/core/sources/counts';

export type SensorFormat = 'zeek-tsv' | 'zeek-json' | 'suricata-eve';
export const SENSOR_FORMATS: readonly SensorFormat[] = ['zeek-tsv', 'zeek-json', 'suricata-eve'];

export const DAY_MS = 86_400_000;
export const T0 = Date.UTC(2026, 0, 1);

export interface Req {
  /** UTC ms. */
  time: number;
  src: string;
  /** '' for a request without a Host header. */
  hostHeader: string;
  server: string;
  uri: string;
  /** Upper case; '' where none was logged. */
  method: string;
  /** '' for none. */
  userAgent: string;
  contentType: string;
  /** null where not logged. */
  bodyOut: number | null;
  bodyIn: number;
  /** Suricata: the time's UTC offset in minutes. */
  offset: number;
}

export type Expect =
  | { kind: 'event' }
  | { kind: 'header' }
  | { kind: 'blank' }
  | { kind: 'other'; type: string }
  | { kind: 'skip'; reason: SkipReason }
  | { kind: 'any' };

export interface Line {
  text: string;
  label: string;
  expect: Expect;
}

export const ZEEK_FIELDS: readonly string[] = [
  'ts',
  'uid',
  'id.orig_h',
  'id.orig_p',
  'id.resp_h',
  'id.resp_p',
  'trans_depth',
  'method',
  'host',
  'uri',
  'referrer',
  'version',
  'user_agent',
  'origin',
  'request_body_len',
  'response_body_len',
  'status_code',
  'status_msg',
  'info_code',
  'info_msg',
  'tags',
  'username',
  'password',
  'proxied',
  'orig_fuids',
  'orig_filenames',
  'orig_mime_types',
  'resp_fuids',
  'resp_filenames',
  'resp_mime_types',
];

/** A header block for rows whose columns are `fields`, in that order. */
export function zeekHeader(fields: readonly string[] = ZEEK_FIELDS): Line[] {
  return [
    '#separator \\x09',
    '#set_separator\t,',
    '#empty_field\t(empty)',
    '#unset_field\t-',
    '#path\thttp',
    '#open\t2026-01-01-00-00-00',
    `#fields\t${fields.join('\t')}`,
    `#types\t${fields.map(() => 'string').join('\t')}`,
  ].map((text) => ({ text, label: 'zeek header', expect: { kind: 'header' } }));
}

function hex(c: number): string {
  return '\\x' + c.toString(16).padStart(2, '0');
}

/** A value as Zeek's ASCII writer writes it; with `escapeUtf8` every non-ASCII byte escaped (`LogAscii::enable_utf_8 = F`). */
export function zeekValue(s: string, escapeUtf8: boolean, inSet = false): string {
  if (s === '') return '(empty)';
  if (s === '-' || s === '(empty)') return hex(s.charCodeAt(0)) + s.slice(1);
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (c < 32 || c === 127 || (inSet && ch === ',')) out += hex(c);
    else if (c > 127 && escapeUtf8) for (const b of new TextEncoder().encode(ch)) out += hex(b);
    else out += ch;
  }
  return out;
}

function epoch(ms: number, micro: number): string {
  return `${Math.floor(ms / 1000)}.${String((ms % 1000) * 1000 + micro).padStart(6, '0')}`;
}

/** A row's cells by field name; fields a site added hold `-`. */
export function zeekTsvRow(r: Req, escapeUtf8: boolean, micro: number, fields: readonly string[] = ZEEK_FIELDS): string {
  const opt = (s: string): string => (s === '' ? '-' : zeekValue(s, escapeUtf8));
  const cells: Record<string, string> = {
    ts: epoch(r.time, micro),
    uid: 'CFuzz0000000000001',
    'id.orig_h': r.src,
    'id.orig_p': '50000',
    'id.resp_h': r.server,
    'id.resp_p': '80',
    trans_depth: '1',
    method: opt(r.method),
    host: opt(r.hostHeader),
    uri: zeekValue(r.uri, escapeUtf8),
    referrer: '-',
    version: '1.1',
    user_agent: opt(r.userAgent),
    origin: '-',
    request_body_len: r.bodyOut === null ? '-' : String(r.bodyOut),
    response_body_len: String(r.bodyIn),
    status_code: '200',
    status_msg: 'OK',
    tags: '(empty)',
    resp_mime_types: r.contentType === '' ? '-' : `${zeekValue(r.contentType, escapeUtf8, true)},application/octet-stream`,
  };
  return fields.map((f) => cells[f] ?? '-').join('\t');
}

export function zeekJsonRow(r: Req, iso: boolean, micro: number): string {
  const o: Record<string, unknown> = {
    uid: 'CFuzz0000000000001',
    'id.orig_h': r.src,
    'id.orig_p': 50000,
    'id.resp_h': r.server,
    'id.resp_p': 80,
    trans_depth: 1,
  };
  if (r.method !== '') o.method = r.method;
  if (r.hostHeader !== '') o.host = r.hostHeader;
  o.uri = r.uri;
  if (r.userAgent !== '') o.user_agent = r.userAgent;
  if (r.bodyOut !== null) o.request_body_len = r.bodyOut;
  o.response_body_len = r.bodyIn;
  if (r.contentType !== '') o.resp_mime_types = [r.contentType];
  const ts = iso
    ? JSON.stringify(new Date(r.time).toISOString().replace('Z', `${String(micro).padStart(3, '0')}Z`))
    : epoch(r.time, micro);
  return `{"ts":${ts},${JSON.stringify(o).slice(1)}`;
}

function eveTime(ms: number, offset: number, micro: number): string {
  const local = new Date(ms + offset * 60_000).toISOString();
  const a = Math.abs(offset);
  const zone = `${offset < 0 ? '-' : '+'}${String(Math.floor(a / 60)).padStart(2, '0')}${String(a % 60).padStart(2, '0')}`;
  return `${local.slice(0, 23)}${String(micro).padStart(3, '0')}${zone}`;
}

export function eveRow(r: Req, micro: number): string {
  const http: Record<string, unknown> = { url: r.uri };
  if (r.hostHeader !== '') http.hostname = r.hostHeader.replace(/:\d+$/, '');
  if (r.userAgent !== '') http.http_user_agent = r.userAgent;
  if (r.contentType !== '') http.http_content_type = r.contentType;
  if (r.method !== '') http.http_method = r.method;
  http.length = r.bodyIn;
  return JSON.stringify({
    timestamp: eveTime(r.time, r.offset, micro),
    flow_id: 1,
    event_type: 'http',
    src_ip: r.src,
    src_port: 50000,
    dest_ip: r.server,
    dest_port: 80,
    proto: 'TCP',
    tx_id: 0,
    http,
  });
}

const UAS = [
  'curl/8.4.0',
  'python-requests/2.31.0',
  'Wget/1.21\u00e9',
  'Go-http-client/1.1',
  'tab\there/1.0',
  'Mozilla/5.0 (X11) Firefox/120.0',
  'Mozilla/5.0 (Windows NT; Windows NT 10.0; en-US) WindowsPowerShell/5.1',
  '',
  '-',
  'caf\u00e9,client/2',
];
const HOSTS = [
  'pastebin.com',
  'www.fuzz-a.com',
  'api.fuzz-b.com',
  'gist.github.com',
  'paste.ee:8080',
  'www.fuzz-c.co.uk:443',
  '',
];

export const reqArb: fc.Arbitrary<Req> = fc.record({
  time: fc.integer({ min: 14 * DAY_MS, max: 20 * DAY_MS }).map((t) => T0 + t),
  src: fc.constantFrom('10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4', '2001:db8::5'),
  hostHeader: fc.constantFrom(...HOSTS),
  server: fc.constantFrom('203.0.113.9', '2001:db8::80'),
  uri: fc.constantFrom('/', '/raw/abc', '/api/x', '/v1/y?q=1', '/a b', '/\u00e9t\u00e9', '/x\ty', '-'),
  method: fc.constantFrom('GET', 'POST', 'PUT', 'HEAD', ''),
  userAgent: fc.constantFrom(...UAS),
  contentType: fc.constantFrom('text/html', 'application/json', '', 'text/plain'),
  bodyOut: fc.option(fc.integer({ min: 0, max: 5000 }), { nil: null }),
  bodyIn: fc.integer({ min: 0, max: 1_000_000 }),
  offset: fc.constantFrom(0, -300, 330, 60),
});

export interface Style {
  escapeUtf8: boolean;
  iso: boolean;
  micro: number;
}

export const styleArb: fc.Arbitrary<Style> = fc.record({
  escapeUtf8: fc.boolean(),
  iso: fc.boolean(),
  micro: fc.integer({ min: 0, max: 999 }),
});

/** A good request line: each is an event (a `-` or empty User-Agent an unknown one). */
export function goodLine(format: SensorFormat, r: Req, s: Style): Line {
  const text =
    format === 'zeek-tsv'
      ? zeekTsvRow(r, s.escapeUtf8, s.micro)
      : format === 'zeek-json'
        ? zeekJsonRow(r, s.iso, s.micro)
        : eveRow(r, s.micro);
  return { text, label: 'good', expect: { kind: 'event' } };
}

/** Text that no sniffer takes for a line of any format (so it may stand before the first good line). */
const neutralArb: fc.Arbitrary<Line> = fc
  .oneof(
    fc.string({ maxLength: 80 }).filter((s) => !/[\r\n]/.test(s) && !s.startsWith('#') && !s.startsWith('{') && s.trim() !== ''),
    fc.constantFrom('[1,2,3]', 'null', '"text"', '--- rotated ---'),
  )
  .map((text) => ({ text, label: 'neutral junk', expect: { kind: 'any' } }));

/** Junk of the format, for after its first good line. */
export function junkArb(format: SensorFormat): fc.Arbitrary<Line> {
  const truncated = fc.tuple(reqArb, styleArb, fc.nat()).map(([r, s, n]): Line => {
    const text = goodLine(format, r, s).text;
    // Cut before the last column (TSV) or the closing brace (JSON): never a whole row.
    const cut = format === 'zeek-tsv' ? text.lastIndexOf('\t') : text.length - 1;
    return { text: text.slice(0, n % cut), label: 'truncated', expect: { kind: 'any' } };
  });
  const blank = fc.constantFrom('', ' ', '\t').map((text): Line => ({ text, label: 'blank', expect: { kind: 'blank' } }));
  if (format === 'zeek-tsv') {
    const extra = fc.tuple(reqArb, styleArb).map(([r, s]): Line => ({
      text: zeekTsvRow(r, s.escapeUtf8, s.micro) + '\textra',
      label: 'a column too many',
      expect: { kind: 'skip', reason: 'zeek-columns' },
    }));
    const close = fc.constant<Line>({ text: '#close\t2026-01-20-00-00-00', label: '#close', expect: { kind: 'header' } });
    const badTime = fc.tuple(reqArb, styleArb, fc.constantFrom('-', 'yesterday', '-5.0', '1e9')).map(([r, s, ts]): Line => ({
      text: ts + zeekTsvRow(r, s.escapeUtf8, s.micro).slice(zeekTsvRow(r, s.escapeUtf8, s.micro).indexOf('\t')),
      label: 'bad ts',
      expect: { kind: 'skip', reason: 'bad-time' },
    }));
    return fc.oneof(truncated, extra, close, badTime, blank, neutralArb);
  }
  const notJson = fc
    .constantFrom('{', '{"ts":', '{not json}', '{"a":1}}')
    .map((text): Line => ({ text, label: 'not JSON', expect: { kind: 'skip', reason: 'not-json' } }));
  if (format === 'zeek-json') {
    const other = fc.constantFrom('conn', 'dns', 'files').map((p): Line => ({
      text: `{"_path":"${p}","ts":1767225600.5,"uid":"C1","id.orig_h":"10.0.0.1"}`,
      label: `_path ${p}`,
      expect: { kind: 'other', type: `Zeek/${p}` },
    }));
    const badTs = fc.constantFrom('"yesterday"', 'null', '-1', '[1]', '"2026-13-01T00:00:00Z"').map((ts): Line => ({
      text: `{"ts":${ts},"uid":"C1","id.orig_h":"10.0.0.1","host":"www.x.com","uri":"/"}`,
      label: `ts ${ts}`,
      expect: { kind: 'skip', reason: 'bad-time' },
    }));
    return fc.oneof(truncated, notJson, other, badTs, blank, neutralArb);
  }
  const other = fc.constantFrom('dns', 'tls', 'flow', 'alert', 'fileinfo', 'stats').map((t): Line => ({
    text: `{"timestamp":"2026-01-16T00:00:00.000000+0000","event_type":"${t}","src_ip":"10.0.0.1","http":{"hostname":"pastebin.com","url":"/"}}`,
    label: t,
    expect: { kind: 'other', type: `Suricata/${t}` },
  }));
  const noType = fc.constant<Line>({
    text: '{"timestamp":"2026-01-16T00:00:00Z","flow_id":3}',
    label: 'no event_type',
    expect: { kind: 'skip', reason: 'no-event-type' },
  });
  const badTs = fc.constantFrom('"2026-01-16"', '"2026-01-16T25:00:00Z"', '12', '"2026-01-16T00:00:00+2500"').map((ts): Line => ({
    text: `{"timestamp":${ts},"event_type":"http","src_ip":"10.0.0.1","http":{"hostname":"www.x.com","url":"/"}}`,
    label: `timestamp ${ts}`,
    expect: { kind: 'skip', reason: 'bad-time' },
  }));
  return fc.oneof(truncated, notJson, other, noType, badTs, blank, neutralArb);
}

export { neutralArb };
