import { MAX_EVIDENCE } from '../alerts/alert';
import { EVENT_COLUMNS, type ColumnType } from './eventRow';
import { FILE_COLUMNS } from './fileRow';
import type { Settings } from '../settings/settings';
import { VARIATION_IDS, VARIATIONS } from '../settings/variations';
import type { Dialect } from './dialect';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Past any span between two event times: a larger setting behaves exactly like this one. */
const NO_LIMIT_MS = Number.MAX_SAFE_INTEGER;

export const DEFAULT_TABLES = { events: 'offbrowse_events', files: 'offbrowse_files' } as const;

/**
 * The detection settings as whole-millisecond literals. Event times are whole
 * milliseconds, so `t - x <= w` holds exactly when `t - x <= floor(w)`, and
 * `t - s >= a` when `t - s >= ceil(a)`: fractional settings give the built-in
 * engine's answers with integer arithmetic.
 */
export interface SqlParams {
  /** trainingDays in ms, floored. */
  windowMs: number;
  /** dedupHours in ms, floored. */
  dedupMs: number;
  /** activationDays in ms, rounded up. */
  activationMs: number;
  rareHosts: number;
  uploadMinBytes: number;
  /** As the record shows them. */
  trainingDays: number;
}

export function sqlParams(
  s: Pick<Settings, 'trainingDays' | 'activationDays' | 'dedupHours' | 'rareHosts' | 'uploadMinBytes'>,
): SqlParams {
  const ms = (v: number, round: (x: number) => number): number => Math.min(NO_LIMIT_MS, round(v));
  for (const k of ['trainingDays', 'activationDays', 'dedupHours', 'rareHosts', 'uploadMinBytes'] as const) {
    if (typeof s[k] !== 'number' || !Number.isFinite(s[k]) || s[k] < 0) throw new Error(`setting "${k}" must be a number >= 0`);
  }
  if (!Number.isInteger(s.rareHosts) || s.rareHosts < 1) throw new Error('setting "rareHosts" must be a whole number >= 1');
  return {
    windowMs: ms(s.trainingDays * DAY_MS, Math.floor),
    dedupMs: ms(s.dedupHours * HOUR_MS, Math.floor),
    activationMs: ms(s.activationDays * DAY_MS, Math.ceil),
    rareHosts: s.rareHosts,
    uploadMinBytes: s.uploadMinBytes,
    trainingDays: s.trainingDays,
  };
}

/**
 * A number as an SQL literal: only finite numbers ever reach here (sqlParams
 * checks). JavaScript's shortest form reads back as the same number, and its
 * exponent form (1e+21, 5e-7) is a DOUBLE literal in all four dialects.
 */
export function numberLiteral(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`not a finite number: ${n}`);
  return String(n);
}

function stringLiteral(s: string): string {
  // Spark reads backslashes in literals as escapes; the texts quoted here have none.
  if (s.includes('\\')) throw new Error('a backslash in an SQL string literal');
  return `'${s.replace(/'/g, "''")}'`;
}

/** The result columns, in order: one row per evidence event of each alert (README: "The SQL result"). */
export const RESULT_COLUMNS = [
  'first_seen_ms',
  'last_seen_ms',
  'variation',
  'severity',
  'name',
  'description',
  'host',
  'user',
  'client',
  'domain',
  'count',
  'hosts_with_key_in_window',
  'host_seen_key_in_window',
  'tested_upload',
  'window_days',
  'rare_hosts',
  'evidence_rank',
  'time_ms',
  'event_user',
  'url',
  'method',
  'user_agent',
  'content_type',
  'bytes_out',
  'bytes_in',
  'action',
  'file',
  'line',
  'data_start_ms',
] as const;

/**
 * Evidence columns of a result that results written before stitching lack:
 * read when present (resultAlerts.ts), so an older engine's result still imports.
 */
export const PROCESS_RESULT_COLUMNS = [
  'ua_claims_browser',
  'has_process',
  'process_computer',
  'process_image',
  'process_pid',
  'process_user',
  'process_command_line',
  'process_parent_image',
] as const;

export type ResultColumn = (typeof RESULT_COLUMNS)[number];

function variationCase(field: 'severity' | 'name' | 'description'): string {
  const whens = VARIATION_IDS.map((v) => `WHEN m.variation = ${stringLiteral(v)} THEN ${stringLiteral(VARIATIONS[v][field])}`);
  return `CASE ${whens.join(' ')} END`;
}

export interface Tables {
  /** Quoted table references (dialect.ts tableName). */
  events: string;
  files: string;
}

/**
 * The detection of docs/detection.md over the events and files tables the map
 * writes, as one query. Its answers equal the built-in engine's
 * (tests/oracle/detector.ts) alert for alert and event for event:
 *
 * - Uncommon: for each (key, host), the times it had the key become "islands"
 *   (first, last + window]: a host had the key in [t - window, t) exactly when
 *   t falls in one of its islands, and one host's islands never overlap, so the
 *   other hosts are counted by counting islands.
 * - Deduplication: an identity's alerts start at its first uncommon event, and
 *   each next one at its first uncommon event more than dedupHours after the
 *   last start. That chain is the recursion; each step follows a precomputed
 *   "next start" link (a window function), so the recursive term is a plain join.
 * - An identity's events at one time share one answer (same key, host and
 *   window), so the first of them by the built-in engine's event order (the
 *   ROW_NUMBER below) starts the alert and gives its user.
 */
export function detectionSql(d: Dialect, settings: Settings, tables: Tables): string {
  const p = sqlParams(settings);
  const q = d.ident;
  const b = d.bytewise;
  const W = numberLiteral(p.windowMs);
  const D = numberLiteral(p.dedupMs);
  const A = numberLiteral(p.activationMs);
  const R = numberLiteral(p.rareHosts);
  const U = numberLiteral(p.uploadMinBytes);
  const identity = 'variation, host, client, dom';
  // compareCompact (events/columns.ts) after (time, host, client, domain), which are equal within an identity.
  const eventOrder = [
    'c.t',
    b('c.url'),
    b('c.method'),
    b('c.ua'),
    b('c.usr'),
    b('c.action'),
    b('c.ctype'),
    'COALESCE(c.bytes_out, -1)',
    'COALESCE(c.bytes_in, -1)',
    b('c.file'),
    'c.line',
  ].join(', ');
  const text = (col: string, as: string): string => `COALESCE(e.${q(col)}, '') AS ${as}`;

  const lines = [
    ...d.notes.map((n) => `-- ${n}`),
    `-- Offbrowse detection: trainingDays ${p.trainingDays}, activationDays ${settings.activationDays}, dedupHours ${settings.dedupHours}, rareHosts ${p.rareHosts}, uploadMinBytes ${p.uploadMinBytes}.`,
    'WITH RECURSIVE',
    'ev AS (',
    '  SELECT',
    `    CAST(e.${q('time_ms')} AS BIGINT) AS t, ${text('host', 'host')}, ${text('user', 'usr')},`,
    `    ${text('client', 'client')}, ${text('domain', 'dom')},`,
    `    e.${q('text_share')} = 1 AS text_share, e.${q('api')} = 1 AS api, e.${q('html')} = 1 AS html,`,
    `    (e.${q('upload_method')} = 1 AND NOT (e.${q('bytes_out')} IS NOT NULL AND e.${q('bytes_out')} < ${U})) AS upload,`,
    `    e.${q('bytes_out')} AS bytes_out, e.${q('bytes_in')} AS bytes_in, ${text('method', 'method')}, ${text('url', 'url')},`,
    `    ${text('user_agent', 'ua')}, ${text('content_type', 'ctype')}, ${text('action', 'action')}, ${text('file', 'file')},`,
    `    CAST(e.${q('line')} AS BIGINT) AS line, e.${q('ua_claims_browser')} AS uacb, e.${q('has_process')} AS has_proc,`,
    `    ${text('process_computer', 'p_comp')}, ${text('process_image', 'p_image')}, e.${q('process_pid')} AS p_pid,`,
    `    ${text('process_user', 'p_user')}, ${text('process_command_line', 'p_cmd')}, ${text('process_parent_image', 'p_parent')}`,
    `  FROM ${tables.events} e`,
    '),',
    `data_start AS (SELECT MIN(CAST(f.${q('min_time_ms')} AS BIGINT)) AS t0 FROM ${tables.files} f),`,
    // Every non-browser event feeds its access key; an upload also its upload key.
    'seen AS (',
    '  SELECT DISTINCT client, dom, 0 AS up, host, t FROM ev',
    '  UNION ALL',
    '  SELECT DISTINCT client, dom, 1 AS up, host, t FROM ev WHERE upload',
    '),',
    'seen_gap AS (',
    '  SELECT client, dom, up, host, t,',
    `    CASE WHEN t - LAG(t) OVER (PARTITION BY client, dom, up, host ORDER BY t) <= ${W} THEN 0 ELSE 1 END AS fresh`,
    '  FROM seen',
    '),',
    'seen_island AS (',
    '  SELECT client, dom, up, host, t,',
    '    SUM(fresh) OVER (PARTITION BY client, dom, up, host ORDER BY t ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS island',
    '  FROM seen_gap',
    '),',
    'islands AS (',
    `  SELECT client, dom, up, host, MIN(t) AS from_t, MAX(t) + ${W} AS to_t`,
    '  FROM seen_island GROUP BY client, dom, up, host, island',
    '),',
    'classed AS (',
    '  SELECT ev.*, CASE',
    `    WHEN text_share AND upload THEN ${stringLiteral('text_share_upload')}`,
    `    WHEN text_share THEN ${stringLiteral('text_share_download')}`,
    '    WHEN api THEN NULL',
    `    WHEN upload THEN ${stringLiteral('website_upload')}`,
    `    WHEN html THEN ${stringLiteral('website_access')}`,
    '  END AS variation',
    '  FROM ev',
    '),',
    // Active events with a variation: the ones that can raise or join an alert.
    'cand AS (',
    '  SELECT c.*,',
    `    CASE WHEN c.variation IN (${stringLiteral('website_upload')}, ${stringLiteral('text_share_upload')}) THEN 1 ELSE 0 END AS up,`,
    `    ROW_NUMBER() OVER (PARTITION BY c.variation, c.host, c.client, c.dom ORDER BY ${eventOrder}) AS seq`,
    '  FROM classed c CROSS JOIN data_start d',
    `  WHERE c.variation IS NOT NULL AND c.t - d.t0 >= ${A}`,
    '),',
    'probes AS (SELECT DISTINCT client, dom, up, host, t FROM cand),',
    'tested AS (',
    '  SELECT p.client, p.dom, p.up, p.host, p.t,',
    '    MAX(CASE WHEN i.host = p.host THEN 1 ELSE 0 END) AS own,',
    '    COUNT(CASE WHEN i.host <> p.host THEN 1 END) AS others',
    '  FROM probes p LEFT JOIN islands i',
    '    ON i.client = p.client AND i.dom = p.dom AND i.up = p.up AND i.from_t < p.t AND p.t <= i.to_t',
    '  GROUP BY p.client, p.dom, p.up, p.host, p.t',
    '),',
    'opens AS (',
    `  SELECT DISTINCT c.variation, c.host, c.client, c.dom, c.t`,
    '  FROM cand c JOIN tested s ON s.client = c.client AND s.dom = c.dom AND s.up = c.up AND s.host = c.host AND s.t = c.t',
    `  WHERE s.own = 0 AND s.others < ${R}`,
    '),',
    // Each uncommon time's next start: the first uncommon time after it + dedup (probes sort after equal times).
    'marks AS (',
    `  SELECT ${identity}, t AS pos, 0 AS probe, t FROM opens`,
    '  UNION ALL',
    `  SELECT ${identity}, t + ${D} AS pos, 1 AS probe, t FROM opens`,
    '),',
    'nexts AS (',
    `  SELECT ${identity}, t, nxt FROM (`,
    `    SELECT ${identity}, t, probe, MIN(CASE WHEN probe = 0 THEN pos END) OVER (`,
    `      PARTITION BY ${identity} ORDER BY pos, probe ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS nxt`,
    '    FROM marks',
    '  ) x WHERE probe = 1',
    '),',
    'chain (variation, host, client, dom, t) AS (',
    `  SELECT ${identity}, MIN(t) FROM opens GROUP BY ${identity}`,
    '  UNION ALL',
    '  SELECT n.variation, n.host, n.client, n.dom, n.nxt FROM chain a JOIN nexts n',
    '    ON n.variation = a.variation AND n.host = a.host AND n.client = a.client AND n.dom = a.dom AND n.t = a.t',
    '  WHERE n.nxt IS NOT NULL',
    '),',
    'members AS (',
    '  SELECT a.variation, a.host, a.client, a.dom, a.t AS first_t, c.up, c.t AS ev_t, c.usr, c.url, c.method, c.ua, c.ctype,',
    '    c.bytes_out, c.bytes_in, c.action, c.file, c.line, c.uacb, c.has_proc, c.p_comp, c.p_image, c.p_pid, c.p_user, c.p_cmd,',
    '    c.p_parent,',
    '    ROW_NUMBER() OVER (PARTITION BY a.variation, a.host, a.client, a.dom, a.t ORDER BY c.seq) AS rnk,',
    '    COUNT(*) OVER (PARTITION BY a.variation, a.host, a.client, a.dom, a.t) AS n,',
    '    MAX(c.t) OVER (PARTITION BY a.variation, a.host, a.client, a.dom, a.t) AS last_t',
    '  FROM chain a JOIN cand c',
    `    ON c.variation = a.variation AND c.host = a.host AND c.client = a.client AND c.dom = a.dom AND c.t >= a.t AND c.t <= a.t + ${D}`,
    '),',
    'firsts AS (SELECT variation, host, client, dom, first_t, usr FROM members WHERE rnk = 1)',
    'SELECT',
    `  m.first_t AS ${q('first_seen_ms')}, m.last_t AS ${q('last_seen_ms')}, m.variation AS ${q('variation')},`,
    `  ${variationCase('severity')} AS ${q('severity')},`,
    `  ${variationCase('name')} AS ${q('name')},`,
    `  ${variationCase('description')} AS ${q('description')},`,
    `  m.host AS ${q('host')}, f.usr AS ${q('user')}, m.client AS ${q('client')}, m.dom AS ${q('domain')}, m.n AS ${q('count')},`,
    `  LEAST(s.others, ${R}) AS ${q('hosts_with_key_in_window')}, s.own = 1 AS ${q('host_seen_key_in_window')},`,
    `  m.up = 1 AS ${q('tested_upload')}, ${numberLiteral(p.trainingDays)} AS ${q('window_days')}, ${R} AS ${q('rare_hosts')},`,
    `  m.rnk AS ${q('evidence_rank')}, m.ev_t AS ${q('time_ms')}, m.usr AS ${q('event_user')}, m.url AS ${q('url')},`,
    `  m.method AS ${q('method')}, m.ua AS ${q('user_agent')}, m.ctype AS ${q('content_type')}, m.bytes_out AS ${q('bytes_out')},`,
    `  m.bytes_in AS ${q('bytes_in')}, m.action AS ${q('action')}, m.file AS ${q('file')}, m.line AS ${q('line')},`,
    `  d.t0 AS ${q('data_start_ms')}, m.uacb AS ${q('ua_claims_browser')}, m.has_proc AS ${q('has_process')},`,
    `  m.p_comp AS ${q('process_computer')}, m.p_image AS ${q('process_image')}, m.p_pid AS ${q('process_pid')},`,
    `  m.p_user AS ${q('process_user')}, m.p_cmd AS ${q('process_command_line')}, m.p_parent AS ${q('process_parent_image')}`,
    'FROM members m',
    '  CROSS JOIN data_start d',
    '  JOIN firsts f ON f.variation = m.variation AND f.host = m.host AND f.client = m.client AND f.dom = m.dom AND f.first_t = m.first_t',
    '  JOIN tested s ON s.client = m.client AND s.dom = m.dom AND s.up = m.up AND s.host = m.host AND s.t = m.first_t',
    `WHERE m.rnk <= ${MAX_EVIDENCE}${suppressionFilter(settings, b)}`,
    `ORDER BY m.first_t, ${b('m.host')}, ${b('m.variation')}, ${b('m.client')}, ${b('m.dom')}, m.rnk`,
  ];
  return lines.join('\n') + '\n';
}

/**
 * The suppression list as a filter on whole alerts (an alert's identity
 * holds its host, client and domain), which is what the built-in engine
 * does after detection (core/alerts/suppress.ts).
 */
function suppressionFilter(settings: Settings, bytewise: (col: string) => string): string {
  const list = settings.suppress ?? [];
  if (list.length === 0) return '';
  list.forEach((s, i) => {
    if ([s.client, s.domain, s.host ?? ''].some((v) => v.includes('\\'))) {
      throw new Error(
        `suppression ${i + 1} holds a backslash, which cannot be written into the SQL (Spark reads it as an escape)`,
      );
    }
  });
  const eq = (col: string, v: string): string => `${bytewise(col)} = ${stringLiteral(v)}`;
  const one = list.map((s) => {
    const parts = [eq('m.client', s.client), eq('m.dom', s.domain)];
    if (s.host !== undefined) parts.push(eq('m.host', s.host));
    return `(${parts.join(' AND ')})`;
  });
  return `\n  AND NOT (${one.join('\n    OR ')})`;
}

/**
 * The settings without their suppression list: an engine run by the CLI
 * returns every alert, and the CLI leaves out the suppressed ones itself
 * (core/alerts/suppress.ts), which also counts what each entry hid.
 */
export function unsuppressed(settings: Settings): Settings {
  return { ...settings, suppress: [] };
}

/** One row: the data start (null with no events) and how many alert-capable events came before activation. */
export function summarySql(d: Dialect, settings: Settings, tables: Tables): string {
  const p = sqlParams(settings);
  const q = d.ident;
  const U = numberLiteral(p.uploadMinBytes);
  const upload = `(e.${q('upload_method')} = 1 AND NOT (e.${q('bytes_out')} IS NOT NULL AND e.${q('bytes_out')} < ${U}))`;
  // "Has a variation": text share, or not an API and (an upload or a page).
  const capable = `(e.${q('text_share')} = 1 OR (e.${q('api')} = 0 AND (${upload} OR e.${q('html')} = 1)))`;
  return (
    [
      `WITH data_start AS (SELECT MIN(CAST(f.${q('min_time_ms')} AS BIGINT)) AS t0 FROM ${tables.files} f)`,
      `SELECT d.t0 AS ${q('data_start_ms')},`,
      `  (SELECT COUNT(*) FROM ${tables.events} e WHERE ${capable} AND (d.t0 IS NULL OR CAST(e.${q('time_ms')} AS BIGINT) - d.t0 < ${numberLiteral(p.activationMs)})) AS ${q('inactive_events')}`,
      'FROM data_start d',
    ].join('\n') + '\n'
  );
}

/** The files table's inputs that were not read (their error), by name. */
export function unreadFilesSql(d: Dialect, tables: Tables): string {
  const q = d.ident;
  return `SELECT f.${q('file')} AS ${q('file')}, f.${q('error')} AS ${q('error')} FROM ${tables.files} f WHERE f.${q('error')} IS NOT NULL AND f.${q('added')} = 0 ORDER BY ${d.bytewise(`f.${q('file')}`)}\n`;
}

/** CREATE TABLE statements for the two tables the map writes. */
export function createTablesSql(d: Dialect, tables: Tables): string[] {
  const create = (table: string, cols: readonly { name: string; type: ColumnType }[]): string =>
    `CREATE TABLE ${table} (${cols.map((c) => `${d.ident(c.name)} ${d.type(c.type)}`).join(', ')})`;
  return [create(tables.events, EVENT_COLUMNS), create(tables.files, FILE_COLUMNS)];
}
