import { closeSync, openSync, readSync } from 'node:fs';
import Papa from 'papaparse';
import { detectInDuckDb, duckTables, withDuckDb } from '../../src/cli/engines/duckdb';
import type { EngineResult } from '../../src/cli/engines/engine';
import type { Settings } from '../../src/core/settings/settings';
import { headerColumns, TRAFFIC_COLUMNS, URL_COLUMNS, type Columns } from '../../src/core/sources/panosColumns';
import { apiPathSql, clientLookupSql, createHostLookup, htmlOrEmptySql, KIND } from './classify';

/**
 * The benchmark's peer: what an engineer would build with DuckDB instead of
 * Offbrowse. DuckDB reads the raw PAN-OS file with its own CSV reader, filters
 * THREAT/url rows, cuts URLs, classifies clients and domains with its own SQL
 * (./classify.ts, from docs/detection.md), joins TRAFFIC bytes, and runs the
 * detection SQL. It reads clean PAN-OS logs (the generator's): no line-level
 * error handling, times in UTC, one format for all files. Not a product path.
 *
 * What it shares with the product, and why: the detection SQL itself
 * (src/core/sql through src/cli/engines/duckdb.ts, the query `offbrowse sql`
 * prints: the peer is "the same SQL over the raw file", so the bench measures
 * reading, not a second detector); the PAN-OS column positions and header names
 * (src/core/sources/panosColumns.ts: a table of the log format, not a rule);
 * tldts for the Public Suffix List and the settings' lists (./classify.ts says
 * why); and the writer of the alert records (bench/peer/peer.ts), so the bench
 * can compare outputs byte for byte.
 */

/** Wide enough for PAN-OS 11.x rows; shorter rows are padded with NULL. */
const MAX_COLUMNS = 160;

const col = (i: number): string => `column${String(i).padStart(3, '0')}`;
const cellOf = (i: number): string => (i < 0 ? "''" : `COALESCE(${col(i)}, '')`);
const sqlText = (s: string): string => `'${s.replace(/'/g, "''")}'`;

function firstLine(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const text = buf.subarray(0, n).toString('utf8');
    const end = text.search(/\r?\n/);
    return end === -1 ? text : text.slice(0, end);
  } finally {
    closeSync(fd);
  }
}

interface Layout {
  /** URL and TRAFFIC columns (the same for a syslog file; the header's for an export). */
  url: Columns;
  traffic: Columns;
  header: boolean;
}

/** Syslog lines by position, or an export's columns by header name (as src/core/sources/panosColumns.ts reads them). */
function layoutOf(path: string): Layout {
  const cols = headerColumns(Papa.parse<string[]>(firstLine(path)).data[0] ?? []);
  return cols === null
    ? { url: URL_COLUMNS, traffic: TRAFFIC_COLUMNS, header: false }
    : { url: cols, traffic: cols, header: true };
}

export async function runPeer(paths: readonly string[], settings: Settings): Promise<EngineResult> {
  if (settings.timeZone !== 'UTC') throw new Error('the benchmark peer reads UTC times only');
  const layouts = paths.map(layoutOf);
  const { url: u, traffic: t, header } = layouts[0];
  if (layouts.some((l) => l.header !== header || JSON.stringify(l.url) !== JSON.stringify(u))) {
    throw new Error('the benchmark peer reads files of one layout at a time');
  }
  return withDuckDb(async (c) => {
    const columns = Array.from({ length: MAX_COLUMNS }, (_, i) => `'${col(i)}': 'VARCHAR'`).join(', ');
    const files = `[${paths.map(sqlText).join(', ')}]`;
    // Only the columns the detection reads are kept. A table keeps the reader's order
    // (preserve_insertion_order, also for a parallel read), so rowid order is file order.
    const needed = [...new Set([...Object.values(u), ...Object.values(t)].filter((i) => i >= 0))].map(col);
    await c.run(
      `CREATE TABLE raw AS SELECT filename, ${needed.join(', ')} FROM read_csv(${files}, header = false, ` +
        `skip = ${header ? 1 : 0}, delim = ',', quote = '"', escape = '"', null_padding = true, auto_detect = false, ` +
        `columns = {${columns}}, filename = true, max_line_size = 16777216)`,
    );
    // File lines from the table's order: the first row of each file, then rowid differences.
    await c.run('CREATE TABLE firsts AS SELECT filename, MIN(rowid) AS first FROM raw GROUP BY filename');
    const timeOf = `TRY_STRPTIME(TRIM(CASE WHEN ${cellOf(u.generateTime)} <> '' THEN ${cellOf(u.generateTime)} ELSE ${cellOf(u.receiveTime)} END), '%Y/%m/%d %H:%M:%S')`;
    const typeIs = (cols: Columns, type: string): string => `UPPER(TRIM(${cellOf(cols.type)})) = '${type}'`;
    const urlRow = header
      ? `${typeIs(u, 'THREAT')} AND LOWER(TRIM(${cellOf(u.subtype)})) = 'url'`
      : `${cellOf(u.type)} = 'THREAT' AND ${cellOf(u.subtype)} = 'url'`;
    await c.run(`
      CREATE TABLE urls AS
      SELECT rowid AS rid, filename, EPOCH_MS(${timeOf}) AS t, ${cellOf(u.src)} AS host, ${cellOf(u.user)} AS usr,
        ${cellOf(u.userAgent)} AS ua, ${cellOf(u.url)} AS url, ${cellOf(u.method)} AS method_raw,
        ${cellOf(u.contentType)} AS ctype, ${cellOf(u.action)} AS action,
        CASE WHEN ${cellOf(u.session)} = '' THEN '' ELSE ${cellOf(u.serial)} || ':' || ${cellOf(u.session)} END AS session
      FROM raw WHERE ${urlRow} AND ${cellOf(u.url)} <> '' AND ${timeOf} IS NOT NULL`);

    await c.run(clientLookupSql('urls', 'ua', settings.appTokens));
    // Only non-browser rows go on: URL parts as docs/detection.md "URL parts" cuts them, and line numbers.
    await c.run(`
      CREATE TABLE parts AS
      SELECT *, LOWER(CASE WHEN STARTS_WITH(authority, '[') THEN REGEXP_EXTRACT(authority, '^\\[([^\\]]*)', 1)
                           ELSE REGEXP_EXTRACT(authority, '^([^:]*)', 1) END) AS hostname,
        CASE WHEN SUBSTRING(rest, LENGTH(REGEXP_EXTRACT(rest, '^[^/?#]*')) + 1, 1) = '/'
             THEN COALESCE(NULLIF(REGEXP_EXTRACT(SUBSTRING(rest, LENGTH(REGEXP_EXTRACT(rest, '^[^/?#]*')) + 1), '^[^?#]*'), ''), '/')
             ELSE '/' END AS path
      FROM (
        SELECT u.*, l.client, UPPER(TRIM(u.method_raw)) AS method, u.rid - f.first + 1 + ${header ? 1 : 0} AS line,
          REGEXP_REPLACE(TRIM(u.url), '^[a-zA-Z][a-zA-Z0-9+.-]*://', '') AS rest,
          REGEXP_REPLACE(REGEXP_EXTRACT(REGEXP_REPLACE(TRIM(u.url), '^[a-zA-Z][a-zA-Z0-9+.-]*://', ''), '^[^/?#]*'), '^.*@', '') AS authority
        FROM urls u JOIN ua_lookup l ON l.ua = u.ua JOIN firsts f ON f.filename = u.filename
        WHERE l.kind = ${KIND.nonBrowser})`);
    await createHostLookup(c, 'parts', 'hostname', settings.textShareSites);

    // TRAFFIC bytes by serial + session, near in log time, as docs/detection.md "The TRAFFIC join" says:
    // the first row of the session at or after the URL row within the window, else the last one before it.
    const trafficRow = header
      ? `(${typeIs(t, 'TRAFFIC')} OR (TRIM(${cellOf(t.type)}) = '' AND TRIM(${cellOf(t.subtype)}) = ''))`
      : `${cellOf(t.type)} = 'TRAFFIC' AND ${col(t.bytesReceived)} IS NOT NULL`;
    const trafficTime = `TRY_STRPTIME(TRIM(CASE WHEN ${cellOf(t.generateTime)} <> '' THEN ${cellOf(t.generateTime)} ELSE ${cellOf(t.receiveTime)} END), '%Y/%m/%d %H:%M:%S')`;
    await c.run(`
      CREATE TABLE traffic AS
      SELECT ${cellOf(t.serial)} || ':' || ${cellOf(t.session)} AS session, EPOCH_MS(${trafficTime}) AS tt,
        TRY_CAST(${cellOf(t.bytesSent)} AS DOUBLE) AS sent, TRY_CAST(NULLIF(${cellOf(t.bytesReceived)}, '') AS DOUBLE) AS received
      FROM raw WHERE ${trafficRow} AND ${cellOf(t.session)} <> '' AND TRY_CAST(${cellOf(t.bytesSent)} AS DOUBLE) >= 0
        AND ${trafficTime} IS NOT NULL`);
    const windowMs = settings.trafficJoinMinutes * 60_000;
    await c.run(`
      CREATE TABLE joined AS
      SELECT a.*, CASE WHEN a.ta IS NOT NULL AND a.ta - a.t <= ${windowMs} THEN a.sa WHEN b.tb IS NOT NULL AND a.t - b.tb <= ${windowMs} THEN b.sb END AS sent,
        CASE WHEN a.ta IS NOT NULL AND a.ta - a.t <= ${windowMs} THEN a.ra WHEN b.tb IS NOT NULL AND a.t - b.tb <= ${windowMs} THEN b.rb END AS received
      FROM (SELECT p.*, tr.tt AS ta, tr.sent AS sa, tr.received AS ra FROM parts p ASOF LEFT JOIN traffic tr ON p.session = tr.session AND tr.tt >= p.t) a
      ASOF LEFT JOIN (SELECT session, tt AS tb, sent AS sb, received AS rb FROM traffic) b ON a.session = b.session AND b.tb < a.t`);

    const tables = duckTables();
    // Data start: every URL event read (browser and unknown included); a non-browser one only with a hostname.
    await c.run(`
      CREATE TABLE ${tables.files} AS
      SELECT MIN(t) AS min_time_ms FROM (
        SELECT u.t FROM urls u JOIN ua_lookup l ON l.ua = u.ua WHERE l.kind <> ${KIND.nonBrowser}
        UNION ALL SELECT t FROM parts WHERE hostname <> '')`);
    await c.run(`
      CREATE TABLE ${tables.events} AS
      SELECT p.t AS time_ms, p.host, p.usr AS "user", p.client, h.dom AS "domain", h.text_share,
        CASE WHEN h.api_host = 1 OR ${apiPathSql('p.path')} THEN 1 ELSE 0 END AS api,
        ${htmlOrEmptySql('p.ctype')} AS html, CASE WHEN p.method IN ('POST', 'PUT', 'PATCH') THEN 1 ELSE 0 END AS upload_method,
        p.sent AS bytes_out, p.received AS bytes_in, p.method, p.url, p.ua AS user_agent, p.ctype AS content_type, p.action,
        REGEXP_EXTRACT(p.filename, '[^/\\\\]*$') AS file, p.line,
        -- The peer reads no endpoint data: nothing is stitched.
        0 AS ua_claims_browser, 0 AS has_process, '' AS process_computer, '' AS process_image,
        CAST(NULL AS DOUBLE) AS process_pid, '' AS process_user, '' AS process_command_line, '' AS process_parent_image
      FROM joined p JOIN host_lookup h ON h.hostname = p.hostname
      WHERE p.hostname <> ''`);
    return detectInDuckDb(c, settings, tables);
  });
}
