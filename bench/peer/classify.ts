import type { DuckDBConnection } from '@duckdb/node-api';
import { getDomain } from 'tldts';

/**
 * The peer's own classification of clients and domains, written in SQL from
 * docs/detection.md ("Clients", "Domain keys", "Website UI") rather than taken
 * from the product's code (src/core), so the bench's byte-for-byte check of the
 * alerts also checks the product's rules against a second reading of the spec.
 *
 * What it still shares with the product, and why:
 * - the registered domain comes from `tldts` (`getDomain`, default options), as
 *   docs/detection.md prescribes: the Public Suffix List is data, not rules;
 *   a Node table of it, one row per distinct hostname, is the only non-SQL part;
 * - the lists (text-share sites, app tokens) come from the settings, whose
 *   defaults are the product's (src/core/lists.ts): they are settings, and the
 *   peer must answer as the product does under any of them.
 */

/** How the tables below spell a client kind. */
export const KIND = { browser: 0, nonBrowser: 1, unknown: 2 } as const;

const sqlText = (s: string): string => `'${s.replace(/'/g, "''")}'`;
const regexEscape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Trimmed of white space at both ends, white space as docs/detection.md means
 * it (JavaScript's trim: spaces, tabs, line ends, no-break and other Unicode
 * spaces), not only the spaces SQL's TRIM removes.
 */
const trimmed = (expr: string): string =>
  `REGEXP_REPLACE(${expr}, '^[\\s\\x{0b}\\x{a0}\\x{feff}\\x{2028}\\x{2029}\\p{Zs}]+|[\\s\\x{0b}\\x{a0}\\x{feff}\\x{2028}\\x{2029}\\p{Zs}]+$', '', 'g')`;

/** Rule 4: the browser tokens, as written. */
const BROWSER_TOKENS = ['Chrome/', 'Firefox/', 'Safari/', 'Edg/', 'OPR/', 'Trident/', 'MSIE '];

/**
 * `ua_lookup(ua, kind, client)` over the distinct values of `uaColumn` in
 * `source`: the User-Agent rules of docs/detection.md "Clients", first match
 * deciding, on the User-Agent trimmed of white space.
 */
export function clientLookupSql(source: string, uaColumn: string, appTokens: readonly string[]): string {
  const tokens = appTokens.map((t) => t.trim()).filter((t) => t !== '');
  // Rule 2: NAME/ at the start or after a space or ')', any case; the leftmost match names the app.
  const app = tokens.length ? `(?i)(?:^|[ )])(${tokens.map(regexEscape).join('|')})/` : null;
  const appMatch = app === null ? 'FALSE' : `REGEXP_MATCHES(t, ${sqlText(app)})`;
  const appKey = app === null ? "''" : `LOWER(REGEXP_EXTRACT(t, ${sqlText(app)}, 1))`;
  const browser = `STARTS_WITH(t, 'Mozilla/') AND (${BROWSER_TOKENS.map((b) => `CONTAINS(t, ${sqlText(b)})`).join(' OR ')})`;
  // Rule 5, a Mozilla/ string: the last piece (split at spaces, '(', ')', ';') holding a '/', up to that '/'.
  const lastSlashPiece = `REGEXP_EXTRACT(t, '([^ ();]*/[^ ();]*)(?:[ ();][^ ();/]*)*$', 1)`;
  const product = `CASE WHEN NOT STARTS_WITH(t, 'Mozilla/') THEN LOWER(${trimmed("SPLIT_PART(SPLIT_PART(t, '/', 1), '(', 1)")})
    WHEN ${lastSlashPiece} = '' THEN 'mozilla' ELSE LOWER(SPLIT_PART(${lastSlashPiece}, '/', 1)) END`;
  return `
    CREATE TABLE ua_lookup AS
    SELECT ua,
      CASE WHEN t = '' OR t = '-' THEN ${KIND.unknown}
           WHEN ${appMatch} OR CONTAINS(t, 'Electron/') OR CONTAINS(t, 'HeadlessChrome/') OR CONTAINS(t, 'PhantomJS/') THEN ${KIND.nonBrowser}
           WHEN ${browser} THEN ${KIND.browser}
           ELSE ${KIND.nonBrowser} END AS kind,
      CASE WHEN t = '' OR t = '-' THEN ''
           WHEN ${appMatch} THEN ${appKey}
           WHEN CONTAINS(t, 'Electron/') THEN 'electron'
           WHEN CONTAINS(t, 'HeadlessChrome/') THEN 'headlesschrome'
           WHEN CONTAINS(t, 'PhantomJS/') THEN 'phantomjs'
           WHEN ${browser} THEN ''
           ELSE ${product} END AS client
    FROM (SELECT ua, ${trimmed('ua')} AS t FROM (SELECT DISTINCT ${uaColumn} AS ua FROM ${source}))`;
}

/**
 * `host_lookup(hostname, dom, text_share, api_host)` over the distinct values of
 * `hostColumn` in `source` (hostnames already cut and lower-cased): the domain
 * key of docs/detection.md "Domain keys" (the most specific text-share entry the
 * hostname is or is under, else the registered domain, else the hostname), and
 * the host test of "Website UI" (leftmost label `api` or `api-…`).
 */
export async function createHostLookup(
  c: DuckDBConnection,
  source: string,
  hostColumn: string,
  textShareSites: readonly string[],
): Promise<void> {
  await c.run(`CREATE TABLE peer_hosts AS SELECT DISTINCT ${hostColumn} AS hostname FROM ${source}`);
  const hosts = (await c.runAndReadAll('SELECT hostname FROM peer_hosts')).getRowsJS().map((r) => String(r[0] ?? ''));
  await appendRows(
    c,
    'peer_text_share',
    'site VARCHAR',
    [...new Set(textShareSites.map((s) => s.trim().toLowerCase()).filter((s) => s !== ''))].map((s) => [s]),
  );
  await appendRows(
    c,
    'peer_registered',
    'hostname VARCHAR, reg VARCHAR',
    hosts.flatMap((h) => {
      const reg = getDomain(h);
      return reg === null ? [] : [[h, reg]];
    }),
  );
  await c.run(`
    CREATE TABLE host_lookup AS
    SELECT h.hostname, COALESCE(ts.site, r.reg, h.hostname) AS dom, CASE WHEN ts.site IS NULL THEN 0 ELSE 1 END AS text_share,
      CASE WHEN SPLIT_PART(h.hostname, '.', 1) = 'api' OR STARTS_WITH(SPLIT_PART(h.hostname, '.', 1), 'api-') THEN 1 ELSE 0 END AS api_host
    FROM peer_hosts h
    LEFT JOIN peer_registered r ON r.hostname = h.hostname
    LEFT JOIN (
      SELECT h.hostname, ARG_MAX(s.site, LENGTH(s.site)) AS site
      FROM peer_hosts h JOIN peer_text_share s ON h.hostname = s.site OR ENDS_WITH(h.hostname, '.' || s.site)
      GROUP BY h.hostname) ts ON ts.hostname = h.hostname`);
}

/** "Website UI": an empty content type, or `text/html` / `application/xhtml+xml` without parameters, any case. */
export function htmlOrEmptySql(contentType: string): string {
  return `CASE WHEN ${contentType} = '' OR LOWER(${trimmed(`SPLIT_PART(${contentType}, ';', 1)`)}) IN ('text/html', 'application/xhtml+xml') THEN 1 ELSE 0 END`;
}

/** "Website UI": the path (case ignored) is `/api`, under `/api/`, or starts `/v<digits>/`. */
export function apiPathSql(path: string): string {
  return `(LOWER(${path}) = '/api' OR STARTS_WITH(LOWER(${path}), '/api/') OR REGEXP_MATCHES(LOWER(${path}), '^/v[0-9]+/'))`;
}

/** A table of VARCHAR rows, filled through DuckDB's appender. */
async function appendRows(c: DuckDBConnection, table: string, columns: string, rows: readonly string[][]): Promise<void> {
  await c.run(`CREATE TABLE ${table} (${columns})`);
  const a = await c.createAppender(table);
  for (const row of rows) {
    for (const v of row) a.appendVarchar(v);
    a.endRow();
  }
  a.closeSync();
}
