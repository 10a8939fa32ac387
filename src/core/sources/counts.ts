/** What ingest saw: counts by kind, skipped lines by reason with examples. */

export type SkipReason =
  | 'not-panos'
  | 'unsupported-layout'
  | 'too-few-columns'
  | 'bad-time'
  | 'no-url'
  | 'csv-quotes'
  | 'not-json'
  | 'zeek-columns'
  | 'csv-columns'
  | 'refused-export'
  | 'no-event-type'
  | 'line-too-long'
  | 'windows-xml'
  | 'event-too-long'
  | 'cut-at-end'
  | 'evtx-header'
  | 'evtx-chunk'
  | 'evtx-checksum'
  | 'evtx-record';

export const SKIP_REASONS: Readonly<Record<SkipReason, string>> = {
  'not-panos': 'not a line of a known log format (PAN-OS, Zeek, Suricata, Windows event XML, ECS JSON, Defender for Endpoint)',
  'unsupported-layout': 'Prisma Access / Strata Logging Service layout (not supported yet)',
  'too-few-columns': 'URL row too short (no URL column)',
  'bad-time':
    'time missing or unreadable (PAN-OS: YYYY/MM/DD HH:MM:SS; Zeek: epoch seconds or ISO 8601; Suricata, ECS, Defender, ' +
    'Windows events: ISO 8601)',
  'no-url': 'URL empty or without a host name',
  'csv-quotes': 'unbalanced quotes',
  'not-json': 'not a JSON object (cut short, or not JSON)',
  'csv-columns': 'CSV export row with more or fewer columns than its header row (its fields would be misread)',
  'refused-export': 'row of a CSV export refused for its header (see the file)',
  'zeek-columns': 'Zeek row that does not match its #fields header (cut short, or no #fields line before it)',
  'no-event-type': 'eve.json record without an event_type',
  'line-too-long': 'line longer than 16 Mi characters',
  'windows-xml':
    'Windows event XML that is not well formed, or without a numeric EventID (cut short, a tag not closed, an unknown ' +
    'entity), or text between events that is not XML',
  'event-too-long': 'Windows event XML or Defender CSV row longer than 1 Mi characters, or never closed',
  'cut-at-end':
    'record still open where the file ends (cut short): a Windows event without its </Event>, a CSV row whose quote is not closed',
  // An EVTX file has no lines: its examples give the byte offset of the damage in the file.
  'evtx-header': 'EVTX file header damaged (bad checksum or cut short; its chunks were read all the same; at: byte offset)',
  'evtx-chunk':
    'EVTX chunk not read, or read only in part (no chunk signature, or the file ends inside it): its records are lost (at: byte offset)',
  'evtx-checksum':
    'EVTX chunk whose checksums do not match its content: its records were read unverified, those unreadable counted apart (at: byte offset)',
  'evtx-record': 'EVTX record that could not be read (damaged BinXML, names or sizes): lost (at: byte offset)',
};

export const MAX_EXAMPLES = 5;

export interface SkipExample {
  reason: SkipReason;
  file: string;
  line: number;
  /** The line's first characters. */
  text: string;
}

export interface Counts {
  lines: number;
  /** Lines that held invalid UTF-8 (read on, with U+FFFD in its place). */
  invalidUtf8Lines: number;
  blank: number;
  /** Header rows of CSV exports. */
  headers: number;
  browser: number;
  nonBrowser: number;
  unknown: number;
  /** Rows of other log types, by type (`TRAFFIC`, `THREAT/virus`, ...). */
  other: Record<string, number>;
  skipped: Partial<Record<SkipReason, number>>;
  examples: SkipExample[];
  /** Earliest and latest event time (all kinds), UTC ms; null before any event. */
  minTime: number | null;
  maxTime: number | null;
  /** URL events per UTC day (days since the epoch), by kind: [browser, non-browser, unknown]. */
  perDay: Record<number, [number, number, number]>;
  /** Endpoint records read, by kind (process starts, connections, name lookups), kept for stitching. */
  endpoint: EndpointCounts;
}

export interface EndpointCounts {
  process: number;
  connection: number;
  lookup: number;
}

export const ENDPOINT_KINDS = ['process', 'connection', 'lookup'] as const;

export const DAY_MS = 86_400_000;

export function emptyCounts(): Counts {
  return {
    lines: 0,
    invalidUtf8Lines: 0,
    blank: 0,
    headers: 0,
    browser: 0,
    nonBrowser: 0,
    unknown: 0,
    other: {},
    skipped: {},
    examples: [],
    minTime: null,
    maxTime: null,
    perDay: {},
    endpoint: { process: 0, connection: 0, lookup: 0 },
  };
}

export function totalEvents(c: Counts): number {
  return c.browser + c.nonBrowser + c.unknown;
}

export function totalSkipped(c: Counts): number {
  let n = 0;
  for (const v of Object.values(c.skipped)) n += v ?? 0;
  return n;
}

/** Adds `from` into `into`, keeping at most MAX_EXAMPLES examples per reason. */
export function addCounts(into: Counts, from: Counts): void {
  into.lines += from.lines;
  into.invalidUtf8Lines += from.invalidUtf8Lines;
  into.blank += from.blank;
  into.headers += from.headers;
  into.browser += from.browser;
  into.nonBrowser += from.nonBrowser;
  into.unknown += from.unknown;
  for (const [k, v] of Object.entries(from.other)) into.other[k] = (into.other[k] ?? 0) + v;
  for (const [k, v] of Object.entries(from.skipped) as [SkipReason, number][]) {
    into.skipped[k] = (into.skipped[k] ?? 0) + v;
  }
  for (const ex of from.examples) {
    if (into.examples.filter((e) => e.reason === ex.reason).length < MAX_EXAMPLES) into.examples.push(ex);
  }
  for (const [day, v] of Object.entries(from.perDay)) {
    const d = (into.perDay[Number(day)] ??= [0, 0, 0]);
    d[0] += v[0];
    d[1] += v[1];
    d[2] += v[2];
  }
  for (const k of ENDPOINT_KINDS) into.endpoint[k] += from.endpoint[k];
  if (from.minTime !== null && (into.minTime === null || from.minTime < into.minTime)) into.minTime = from.minTime;
  if (from.maxTime !== null && (into.maxTime === null || from.maxTime > into.maxTime)) into.maxTime = from.maxTime;
}

/**
 * Takes `from` (one file's counts, added before) out of `into`. Everything
 * but the time range subtracts exactly; the earliest and latest event are
 * the caller's to work out again from the files that remain (a count cannot
 * say what the next earliest was).
 */
export function removeCounts(into: Counts, from: Counts): void {
  into.lines -= from.lines;
  into.invalidUtf8Lines -= from.invalidUtf8Lines;
  into.blank -= from.blank;
  into.headers -= from.headers;
  into.browser -= from.browser;
  into.nonBrowser -= from.nonBrowser;
  into.unknown -= from.unknown;
  for (const [k, v] of Object.entries(from.other)) {
    const left = (into.other[k] ?? 0) - v;
    if (left > 0) into.other[k] = left;
    else delete into.other[k];
  }
  for (const [k, v] of Object.entries(from.skipped) as [SkipReason, number][]) {
    const left = (into.skipped[k] ?? 0) - v;
    if (left > 0) into.skipped[k] = left;
    else delete into.skipped[k];
  }
  for (const k of ENDPOINT_KINDS) into.endpoint[k] -= from.endpoint[k];
  const gone = new Set(from.examples.map((e) => `${e.reason}\u0000${e.file}\u0000${e.line}`));
  into.examples = into.examples.filter((e) => !gone.has(`${e.reason}\u0000${e.file}\u0000${e.line}`));
  for (const [day, v] of Object.entries(from.perDay)) {
    const d = into.perDay[Number(day)];
    if (d === undefined) continue;
    d[0] -= v[0];
    d[1] -= v[1];
    d[2] -= v[2];
    if (d[0] <= 0 && d[1] <= 0 && d[2] <= 0) delete into.perDay[Number(day)];
  }
}

/** True when most events could not be told apart (no User-Agent logged). */
export function mostlyUnknown(c: Counts): boolean {
  const events = totalEvents(c);
  return events > 0 && c.unknown * 2 > events;
}

const PANOS_HINT =
  'PAN-OS logs the User-Agent only when HTTP header logging is on in the URL Filtering profile and TLS traffic is decrypted.';
const SENSOR_HINT =
  'Zeek and Suricata see the User-Agent only of HTTP they can read: unencrypted HTTP, or traffic behind a TLS-inspecting ' +
  'proxy; HTTPS requests reach them encrypted, without one.';

/**
 * Why most events had no User-Agent, and how to get better data, for the
 * formats read (`null` formats are passed over): PAN-OS advice, sensor
 * advice, or both for a mixed history.
 */
export function unknownHint(formats: Iterable<string | null>): string {
  let panos = false;
  let sensor = false;
  for (const f of formats) {
    // Spelled out, not isPanosFormat: format.ts reaches this file through rowSink.ts's types.
    if (f === 'panos-syslog' || f === 'panos-csv') panos = true;
    else if (f === 'zeek-tsv' || f === 'zeek-json' || f === 'suricata-eve') sensor = true;
  }
  const parts = ['Most events have no User-Agent, so their client cannot be told.'];
  if (panos || !sensor) parts.push(PANOS_HINT);
  if (sensor) parts.push(SENSOR_HINT);
  return parts.join(' ');
}
