/**
 * One header block of a Zeek TSV log (`#separator` .. `#fields`/`#types`):
 * the separators in force and the columns by name. Zeek writes a new block
 * whenever it opens the file again (rotation, restart), and sites add and
 * remove fields, so nothing is taken from position.
 */

/** Plain data: it travels to the worker that reads the next part of the file. */
export interface ZeekBlock {
  separator: string;
  setSeparator: string;
  emptyField: string;
  unsetField: string;
  /** `#path`; '' when the block has none. */
  path: string;
  /** `#fields`; null before that line. */
  fields: string[] | null;
}

export function newBlock(separator = '\t'): ZeekBlock {
  return { separator, setSeparator: ',', emptyField: '(empty)', unsetField: '-', path: '', fields: null };
}

/** Where a block keeps what the detector reads; -1 where it has no such column. */
export interface ZeekColumns {
  count: number;
  ts: number;
  origH: number;
  respH: number;
  origP: number;
  respP: number;
  method: number;
  host: number;
  uri: number;
  userAgent: number;
  requestBodyLen: number;
  responseBodyLen: number;
  /** `resp_mime_types` (Bro 2.2 on), else `mime_type` (Bro 2.1). */
  mimeTypes: number;
  /** Whether the content column is a set (the first entry is the type). */
  mimeIsSet: boolean;
}

export function blockColumns(fields: readonly string[]): ZeekColumns {
  const at = (name: string): number => fields.indexOf(name);
  const resp = at('resp_mime_types');
  return {
    count: fields.length,
    ts: at('ts'),
    origH: at('id.orig_h'),
    respH: at('id.resp_h'),
    origP: at('id.orig_p'),
    respP: at('id.resp_p'),
    method: at('method'),
    host: at('host'),
    uri: at('uri'),
    userAgent: at('user_agent'),
    requestBodyLen: at('request_body_len'),
    responseBodyLen: at('response_body_len'),
    mimeTypes: resp !== -1 ? resp : at('mime_type'),
    mimeIsSet: resp !== -1,
  };
}

/** A Zeek `#path` or `_path` name, safe to count a log type by (it is text from the file). */
const PATH_NAME = /^[A-Za-z0-9_.-]{1,40}$/;

/**
 * Whether rows under this path are HTTP requests, else the type they are
 * counted as (`Zeek/dns`). A block without `#path` is HTTP when it has the
 * request's columns.
 */
export function zeekOtherType(path: string, hasRequestColumns: boolean): string | null {
  if (path === '' ? hasRequestColumns : /^http/i.test(path)) return null;
  return `Zeek/${PATH_NAME.test(path) ? path : 'unknown'}`;
}

const decoder = new TextDecoder();

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/**
 * Zeek's `\xNN` escapes decoded (the separator, a set separator, odd bytes, a
 * literal `-` or leading `#`). Consecutive escaped bytes are read as UTF-8,
 * since Zeek escapes each byte of a character it does not pass through.
 * Other backslashes are kept, as Zeek's own reader keeps them.
 */
export function unescapeZeek(s: string): string {
  let i = s.indexOf('\\x');
  if (i === -1) return s;
  let out = '';
  let from = 0;
  const bytes: number[] = [];
  const flush = (): void => {
    if (bytes.length === 0) return;
    out += decoder.decode(Uint8Array.from(bytes));
    bytes.length = 0;
  };
  while (i !== -1 && i + 3 < s.length) {
    const hi = hexDigit(s.charCodeAt(i + 2));
    const lo = hexDigit(s.charCodeAt(i + 3));
    if (hi < 0 || lo < 0) {
      i = s.indexOf('\\x', i + 1);
      continue;
    }
    if (i > from) {
      flush();
      out += s.slice(from, i);
    }
    bytes.push(hi * 16 + lo);
    from = i + 4;
    i = s.indexOf('\\x', from);
  }
  flush();
  return out + s.slice(from);
}
