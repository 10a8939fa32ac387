import { dayEntries, type DayPlan } from './day';
import { networkEventLines, processEventLines } from './defender';
import { endpointDay, endpoints, type Coverage, type Endpoint, type EndpointEvent } from './endpoint';
import type { Entry, UrlEntry } from './entries';
import { EveWriter } from './eve';
import { makeHosts } from './hosts';
import { mix, Random } from './random';
import { CSV_HEADER, RowWriter } from './render';
import { DAY_MS, scenarios, type EndpointAlert, type ExpectedAlert, type NearMiss } from './scenarios';
import { eventXmlLines, sysmonEvents } from './sysmon';
import { ZeekWriter } from './zeek';

/**
 * The deterministic demo and test dataset: URL logs of an organisation over
 * some days, with scripted attacks and near misses and the alerts they must
 * give. The same requests are written as PAN-OS sees them (syslog lines or a
 * CSV export) or as a network sensor does (Zeek http.log as TSV or JSON,
 * Suricata eve.json). Beside them, unless left out, the endpoint view of
 * the same days: Sysmon events (1, 3, 22) of some Windows desktops as
 * `wevtutil` XML, and Defender for Endpoint's DeviceNetworkEvents and
 * DeviceProcessEvents of others as advanced-hunting CSV exports, whose
 * connections are the firewall's URL rows (endpoint.ts). DOM-free and without
 * Node APIs, so it also runs in a Web Worker. Lines are made lazily from the
 * seed, file by file, so a dataset of any size never sits in memory.
 */

/** How the dataset is written: PAN-OS syslog lines or CSV export, Zeek http.log (TSV, JSON), Suricata eve.json. */
export type GenerateFormat = 'syslog' | 'csv' | 'zeek' | 'zeek-json' | 'suricata';
export const GENERATE_FORMATS: readonly GenerateFormat[] = ['syslog', 'csv', 'zeek', 'zeek-json', 'suricata'];

export interface GenerateOptions {
  days: number;
  hosts: number;
  seed: number;
  format: GenerateFormat;
  /** ISO date of the first day, `YYYY-MM-DD`. */
  start: string;
  /** Background events per host per day (desktops on a weekday; servers and weekends see fewer). */
  rate: number;
  /** Write the endpoint view (Sysmon XML, Defender CSV) beside the firewall's or sensor's files. */
  endpoint: boolean;
}

export const DEFAULT_GENERATE: Readonly<GenerateOptions> = Object.freeze({
  days: 45,
  hosts: 200,
  seed: 1,
  format: 'syslog',
  start: '2026-09-01',
  rate: 12,
  endpoint: true,
});

export interface GeneratedFile {
  name: string;
  /** Text chunks of whole lines, each line ending in `\n`, about CHUNK_CHARS each; made anew on each call. */
  chunks(): Iterable<string>;
}

export interface Dataset {
  /** The firewall's or sensor's files, one a day. */
  files: GeneratedFile[];
  /** The endpoint view, three files a day (Sysmon XML, Defender network and process events); empty when left out. */
  endpoint: GeneratedFile[];
  truth: {
    /** What the files give alone. */
    alerts: ExpectedAlert[];
    nearMisses: NearMiss[];
    /** What reading the endpoint view with them adds, once stitching names the processes; empty without it. */
    endpointAlerts: EndpointAlert[];
  };
}

/** Every file of a dataset, each day's firewall (or sensor) file followed by its endpoint files: what the demo reads. */
export function datasetFiles(dataset: Dataset): GeneratedFile[] {
  const perDay = dataset.endpoint.length / dataset.files.length;
  return dataset.files.flatMap((f, i) => [f, ...dataset.endpoint.slice(i * perDay, (i + 1) * perDay)]);
}

/**
 * The day of file `index` of `datasetFiles` (of the dataset made with
 * `options`): a day's files are made from the same entries, which a Dataset
 * keeps for the last day asked, so they are best made in one place.
 */
export function datasetDay(options: Partial<GenerateOptions>, index: number): number {
  const endpoint = options.endpoint ?? DEFAULT_GENERATE.endpoint;
  return Math.floor(index / (endpoint ? 4 : 1));
}

/** The scripted scenarios need this many distinct hosts. */
const MIN_HOSTS = 40;
const MAX_HOSTS = 200_000;
const CHUNK_CHARS = 256 * 1024;
/** hosts x rate: one day's rows are held (as small objects) while its file is written. */
const MAX_EVENTS_PER_DAY = 1_000_000;

/** Throws a RangeError naming the bad option. */
export function checkOptions(opts: GenerateOptions): void {
  const whole = (name: keyof GenerateOptions, lo: number, hi: number): void => {
    const v = opts[name];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi)
      throw new RangeError(`${name} must be a whole number from ${lo} to ${hi}`);
  };
  whole('days', 1, 3650);
  whole('hosts', MIN_HOSTS, MAX_HOSTS);
  whole('seed', 0, 0xffff_ffff);
  if (!(typeof opts.rate === 'number' && Number.isFinite(opts.rate) && opts.rate >= 0 && opts.rate <= 10_000)) {
    throw new RangeError('rate must be a number from 0 to 10000');
  }
  if (opts.hosts * opts.rate > MAX_EVENTS_PER_DAY) {
    throw new RangeError(
      `hosts x rate must be at most ${MAX_EVENTS_PER_DAY} (one day is made in memory); use more days for a bigger dataset`,
    );
  }
  if (!GENERATE_FORMATS.includes(opts.format)) throw new RangeError(`format must be one of ${GENERATE_FORMATS.join(', ')}`);
  if (typeof opts.endpoint !== 'boolean') throw new RangeError('endpoint must be true or false');
  const start = /^\d{4}-\d\d-\d\d$/.test(opts.start) ? Date.parse(`${opts.start}T00:00:00Z`) : NaN;
  // The reader takes log times from 1970 on.
  if (Number.isNaN(start) || new Date(start).toISOString().slice(0, 10) !== opts.start || start < 0) {
    throw new RangeError('start must be a date from 1970-01-01 on, written YYYY-MM-DD');
  }
}

function* chunked(lines: Iterable<string>): Iterable<string> {
  let chunk = '';
  for (const line of lines) {
    chunk += line;
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}

export function generate(options: Partial<GenerateOptions> = {}): Dataset {
  const opts: GenerateOptions = { ...DEFAULT_GENERATE, ...options };
  checkOptions(opts);
  const startMs = Date.parse(`${opts.start}T00:00:00Z`);
  const hosts = makeHosts(opts.seed, opts.hosts);
  const endMs = startMs + opts.days * DAY_MS;
  // Suricata logs no request body size, so there an upload is told by its method alone.
  const bytesSentKnown = opts.format !== 'suricata';
  const all = scenarios(opts.seed, startMs, hosts, bytesSentKnown);
  const script = all.filter((s) => s.events.every((e) => e.time < endMs));
  const byDay = new Map<number, UrlEntry[]>();
  for (const s of script) {
    for (const e of s.events) {
      const day = Math.floor((e.time - startMs) / DAY_MS);
      const list = byDay.get(day) ?? [];
      list.push(e);
      byDay.set(day, list);
    }
  }

  // Whatever the dataset's length, the same hosts have endpoint logs: none of the scripted ones but the implant's.
  const scriptedEvents = all.flatMap((s) => s.events);
  const implant = scriptedEvents.find((e) => e.program === 'implant')?.host ?? null;
  const eps = opts.endpoint
    ? endpoints(opts.seed, hosts, new Set(scriptedEvents.filter((e) => e.program === '').map((e) => e.host.index)), implant)
    : new Map<number, Endpoint>();

  // A day's entries (and endpoint events) serve each of its files: the last day asked for is kept.
  let entriesKept: { day: number; entries: Entry[] } | null = null;
  const entriesOf = (plan: DayPlan): Entry[] => {
    if (entriesKept?.day !== plan.day) entriesKept = { day: plan.day, entries: dayEntries(plan) };
    return entriesKept.entries;
  };
  let eventsKept: { day: number; coverage: Coverage; events: EndpointEvent[] } | null = null;
  const eventsOf = (plan: DayPlan, coverage: Coverage): EndpointEvent[] => {
    if (eventsKept?.day !== plan.day || eventsKept.coverage !== coverage) {
      const events = endpointDay(entriesOf(plan), eps, coverage, plan.seed, plan.day, plan.dayStart);
      eventsKept = { day: plan.day, coverage, events };
    }
    return eventsKept.events;
  };

  const files: GeneratedFile[] = [];
  const endpoint: GeneratedFile[] = [];
  for (let day = 0; day < opts.days; day++) {
    const dayStart = startMs + day * DAY_MS;
    const date = new Date(dayStart).toISOString().slice(0, 10);
    const plan: DayPlan = { seed: opts.seed, rate: opts.rate, dayStart, day, hosts, scripted: byDay.get(day) ?? [] };
    files.push({ name: fileName(opts.format, date), chunks: () => chunked(lines(plan, opts.format, entriesOf(plan))) });
    if (!opts.endpoint) continue;
    endpoint.push(
      {
        name: `sysmon-${date}.xml`,
        chunks: () => chunked(eventXmlLines(sysmonEvents(eventsOf(plan, 'sysmon'), plan.seed, day), plan.seed, day)),
      },
      {
        name: `defender-network-${date}.csv`,
        chunks: () => chunked(networkEventLines(eventsOf(plan, 'defender'), plan.seed, day)),
      },
      {
        name: `defender-process-${date}.csv`,
        chunks: () => chunked(processEventLines(eventsOf(plan, 'defender'), plan.seed, day)),
      },
    );
  }

  const alerts = script
    .flatMap((s) => s.alerts)
    .sort(
      (a, b) =>
        cmp(a.first_seen, b.first_seen) ||
        cmp(a.host, b.host) ||
        cmp(a.variation, b.variation) ||
        cmp(a.client, b.client) ||
        cmp(a.domain, b.domain),
    );
  const nearMisses = script.flatMap((s) => s.nearMisses).sort((a, b) => cmp(a.time, b.time) || cmp(a.host, b.host));
  const endpointAlerts = opts.endpoint
    ? script.flatMap((s) => s.endpointAlerts ?? []).sort((a, b) => cmp(a.first_seen, b.first_seen) || cmp(a.host, b.host))
    : [];
  return { files, endpoint, truth: { alerts, nearMisses, endpointAlerts } };
}

/** Every name `generate` writes (a day's file, plain or gzipped, and truth.json): whose leftovers a later run may remove. */
export const GENERATED_NAME =
  /(?:url-\d{4}-\d{2}-\d{2}\.(?:log|csv)|http-\d{4}-\d{2}-\d{2}\.(?:log|json)|eve-\d{4}-\d{2}-\d{2}\.json|sysmon-\d{4}-\d{2}-\d{2}\.xml|defender-(?:network|process)-\d{4}-\d{2}-\d{2}\.csv)(?:\.gz)?|truth\.json/;

function fileName(format: GenerateFormat, date: string): string {
  switch (format) {
    case 'syslog':
      return `url-${date}.log`;
    case 'csv':
      return `url-${date}.csv`;
    case 'zeek':
      return `http-${date}.log`;
    case 'zeek-json':
      return `http-${date}.json`;
    case 'suricata':
      return `eve-${date}.json`;
  }
}

/** Every seventh day (from the fourth) the Zeek sensor restarts at noon: a second header block, with a column more. */
function restartAt(plan: DayPlan): number | null {
  return plan.day % 7 === 3 ? plan.dayStart + DAY_MS / 2 : null;
}

function* lines(plan: DayPlan, format: GenerateFormat, entries: readonly Entry[]): Iterable<string> {
  if (format === 'zeek' || format === 'zeek-json') {
    yield* zeekLines(plan, format === 'zeek-json', entries);
    return;
  }
  if (format === 'suricata') {
    const eve = new EveWriter(new Random(mix(plan.seed, 0xe7e, plan.day)), plan.day);
    for (const e of entries) yield eve.line(e);
    return;
  }
  if (format === 'csv') yield CSV_HEADER;
  const writer = new RowWriter(new Random(mix(plan.seed, 0x5e4, plan.day)), format, plan.day);
  for (const e of entries) yield writer.line(e);
}

function* zeekLines(plan: DayPlan, json: boolean, entries: readonly Entry[]): Iterable<string> {
  const zeek = new ZeekWriter(new Random(mix(plan.seed, 0x2ee, plan.day)), json);
  const restart = restartAt(plan);
  let restarted = false;
  yield zeek.header(plan.dayStart, false);
  for (const e of entries) {
    if (restart !== null && !restarted && e.time >= restart) {
      yield zeek.close(restart - 1000);
      yield zeek.header(restart, true);
      restarted = true;
    }
    const line = zeek.line(e, restarted);
    if (line !== '') yield line;
  }
  yield zeek.close(plan.dayStart + DAY_MS);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
