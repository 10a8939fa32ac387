import type { Entry, UrlEntry } from './entries';
import type { Random } from './random';
import { destination } from './render';
import { epochSeconds, sensorRequest, zeekId } from './sensorRequest';

/**
 * URL entries as Zeek's `http.log`, in the ASCII writer's TSV (header block,
 * rows, `#close`) or as JSON lines (`LogAscii::use_json`). The layout is Zeek
 * 3.x and later's. THREAT and TRAFFIC entries have no `http.log` row.
 */

const FIELDS: readonly (readonly [string, string])[] = [
  ['ts', 'time'],
  ['uid', 'string'],
  ['id.orig_h', 'addr'],
  ['id.orig_p', 'port'],
  ['id.resp_h', 'addr'],
  ['id.resp_p', 'port'],
  ['trans_depth', 'count'],
  ['method', 'string'],
  ['host', 'string'],
  ['uri', 'string'],
  ['referrer', 'string'],
  ['version', 'string'],
  ['user_agent', 'string'],
  ['origin', 'string'],
  ['request_body_len', 'count'],
  ['response_body_len', 'count'],
  ['status_code', 'count'],
  ['status_msg', 'string'],
  ['info_code', 'count'],
  ['info_msg', 'string'],
  ['tags', 'set[enum]'],
  ['username', 'string'],
  ['password', 'string'],
  ['proxied', 'set[string]'],
  ['orig_fuids', 'vector[string]'],
  ['orig_filenames', 'vector[string]'],
  ['orig_mime_types', 'vector[string]'],
  ['resp_fuids', 'vector[string]'],
  ['resp_filenames', 'vector[string]'],
  ['resp_mime_types', 'vector[string]'],
];

/**
 * After a restart the sensor runs with `policy/protocols/http/header-names`
 * loaded: one more column, so a reader that took columns by position, or
 * from the first block only, reads the second block wrong.
 */
const RESTART_FIELDS: readonly (readonly [string, string])[] = [...FIELDS, ['client_header_names', 'vector[string]']];

/** Zeek's reserved strings: a value equal to one is written with its first byte escaped. */
const UNSET = '-';
const EMPTY = '(empty)';

// Control characters are what Zeek escapes, so the pattern names them.
// eslint-disable-next-line no-control-regex
const ESCAPED = /[\x00-\x1f\x7f]/;

function hex(c: number): string {
  return '\\x' + c.toString(16).padStart(2, '0');
}

/** A string value as the ASCII writer escapes it (tab and control bytes, reserved strings, the set separator in sets). */
function tsvValue(s: string, inSet = false): string {
  if (s === '') return EMPTY;
  if (s === UNSET || s === EMPTY) return hex(s.charCodeAt(0)) + s.slice(1);
  if (!ESCAPED.test(s) && !(inSet && s.includes(','))) return s;
  let out = '';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    out += c < 32 || c === 127 || (inSet && ch === ',') ? hex(c) : ch;
  }
  return out;
}

function tsvOptional(s: string): string {
  return s === '' ? UNSET : tsvValue(s);
}

function date(ms: number): string {
  const d = new Date(ms).toISOString();
  return `${d.slice(0, 10)}-${d.slice(11, 13)}-${d.slice(14, 16)}-${d.slice(17, 19)}`;
}

/** The fields of one request row, in FIELDS order (plus the header names after a restart). */
interface ZeekRow {
  ts: number;
  uid: string;
  origH: string;
  origP: number;
  respH: string;
  respP: number;
  method: string;
  host: string;
  uri: string;
  referrer: string;
  userAgent: string;
  bodyOut: number;
  bodyIn: number;
  status: number;
  statusMessage: string;
  origFuid: string;
  respFuid: string;
  mimeType: string;
  headerNames: string[];
}

export class ZeekWriter {
  constructor(
    private readonly rng: Random,
    private readonly json: boolean,
  ) {}

  /** The header block Zeek writes when it opens the file at `ms`. */
  header(ms: number, restarted: boolean): string {
    if (this.json) return '';
    const fields = restarted ? RESTART_FIELDS : FIELDS;
    return (
      [
        '#separator \\x09',
        '#set_separator\t,',
        '#empty_field\t(empty)',
        '#unset_field\t-',
        '#path\thttp',
        `#open\t${date(ms)}`,
        `#fields\t${fields.map((f) => f[0]).join('\t')}`,
        `#types\t${fields.map((f) => f[1]).join('\t')}`,
      ].join('\n') + '\n'
    );
  }

  /** The line Zeek writes when it closes the file at `ms`. */
  close(ms: number): string {
    return this.json ? '' : `#close\t${date(ms)}\n`;
  }

  /** One entry's line; '' for entries that have no `http.log` row. */
  line(e: Entry, restarted: boolean): string {
    if (e.kind !== 'url') return '';
    const row = this.row(e);
    if (restarted) row.headerNames = row.userAgent === '' ? ['HOST', 'ACCEPT'] : ['HOST', 'USER-AGENT', 'ACCEPT'];
    return this.json ? jsonLine(row) : tsvLine(row, restarted);
  }

  private row(e: UrlEntry): ZeekRow {
    const rng = this.rng;
    const r = sensorRequest(e, rng);
    return {
      ts: e.time,
      uid: zeekId(rng, 'C'),
      origH: e.host.ip,
      origP: e.sourcePort,
      respH: destination(e.url),
      respP: e.port ?? 443,
      method: r.method,
      host: r.host,
      uri: r.uri,
      referrer: e.referer ?? '',
      userAgent: e.userAgent,
      bodyOut: r.bodyOut,
      bodyIn: r.bodyIn,
      status: r.status,
      statusMessage: r.statusMessage,
      origFuid: r.bodyOut > 0 ? zeekId(rng, 'F') : '',
      respFuid: r.bodyIn > 0 ? zeekId(rng, 'F') : '',
      mimeType: r.mimeType,
      headerNames: [],
    };
  }
}

function tsvLine(r: ZeekRow, restarted: boolean): string {
  const cells = [
    epochSeconds(r.ts),
    r.uid,
    r.origH,
    String(r.origP),
    r.respH,
    String(r.respP),
    '1',
    tsvOptional(r.method),
    tsvOptional(r.host),
    tsvValue(r.uri),
    tsvOptional(r.referrer),
    '1.1',
    tsvOptional(r.userAgent),
    UNSET,
    String(r.bodyOut),
    String(r.bodyIn),
    String(r.status),
    tsvValue(r.statusMessage),
    UNSET,
    UNSET,
    EMPTY,
    UNSET,
    UNSET,
    UNSET,
    r.origFuid === '' ? UNSET : r.origFuid,
    UNSET,
    UNSET,
    r.respFuid === '' ? UNSET : r.respFuid,
    UNSET,
    r.mimeType === '' ? UNSET : tsvValue(r.mimeType, true),
  ];
  if (restarted) cells.push(r.headerNames.length === 0 ? EMPTY : r.headerNames.map((h) => tsvValue(h, true)).join(','));
  return cells.join('\t') + '\n';
}

/** Zeek's JSON: unset fields left out, `ts` a number of seconds, sets as arrays. */
function jsonLine(r: ZeekRow): string {
  const o: Record<string, unknown> = {
    uid: r.uid,
    'id.orig_h': r.origH,
    'id.orig_p': r.origP,
    'id.resp_h': r.respH,
    'id.resp_p': r.respP,
    trans_depth: 1,
  };
  if (r.method !== '') o.method = r.method;
  if (r.host !== '') o.host = r.host;
  o.uri = r.uri;
  if (r.referrer !== '') o.referrer = r.referrer;
  o.version = '1.1';
  if (r.userAgent !== '') o.user_agent = r.userAgent;
  o.request_body_len = r.bodyOut;
  o.response_body_len = r.bodyIn;
  o.status_code = r.status;
  o.status_msg = r.statusMessage;
  o.tags = [];
  if (r.origFuid !== '') o.orig_fuids = [r.origFuid];
  if (r.respFuid !== '') o.resp_fuids = [r.respFuid];
  if (r.mimeType !== '') o.resp_mime_types = [r.mimeType];
  // `ts` first, as Zeek writes it, and as written digits (JSON.stringify would drop the fraction of a whole second).
  return `{"ts":${epochSeconds(r.ts)},${JSON.stringify(o).slice(1)}\n`;
}
