import { APP_TOKENS, BROWSER_PROCESSES, TEXT_SHARE_SITES } from './lists';

/**
 * "Never alert on this client and domain", on every host or on one: the
 * alerts it matches are made as usual (so deduplication and the baseline
 * are those of a history without it) and then left out, counted per entry.
 */
export interface Suppression {
  /** A client key as alerts show it (`curl`, `go-http-client`). */
  client: string;
  /** A domain key as alerts show it (`example.com`, `pastebin.com`). */
  domain: string;
  /** Only on this host; every host when absent. */
  host?: string;
  /** Why it is known good, who said so and when (YYYY-MM-DD): a record for whoever reads the list later; matching ignores them. */
  reason?: string;
  author?: string;
  added?: string;
}

/** The record kept beside an entry; each at most this long. */
const SUPPRESSION_NOTE_MAX = 500;

export interface Settings {
  trainingDays: number;
  activationDays: number;
  dedupHours: number;
  rareHosts: number;
  uploadMinBytes: number;
  /**
   * How far apart in log time a PAN-OS URL row and its session's TRAFFIC row
   * may be and still be joined (the TRAFFIC row gives the bytes sent).
   */
  trafficJoinMinutes: number;
  /**
   * How far apart in log time a URL event and an endpoint connection with the
   * same four address and port values may be and still be stitched
   * (docs/detection.md "Endpoint sources and stitching").
   */
  stitchSeconds: number;
  /** IANA zone for log times written without a zone; `UTC` by default. */
  timeZone: string;
  textShareSites: string[];
  browserProcesses: string[];
  appTokens: string[];
  suppress: Suppression[];
}

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  trainingDays: 30,
  activationDays: 14,
  dedupHours: 24,
  rareHosts: 3,
  uploadMinBytes: 1024,
  trafficJoinMinutes: 60,
  stitchSeconds: 120,
  timeZone: 'UTC',
  textShareSites: [...TEXT_SHARE_SITES],
  browserProcesses: [...BROWSER_PROCESSES],
  appTokens: [...APP_TOKENS],
  suppress: [],
});

export type NumericSetting =
  'trainingDays' | 'activationDays' | 'dedupHours' | 'rareHosts' | 'uploadMinBytes' | 'trafficJoinMinutes' | 'stitchSeconds';

export interface SettingRange {
  min: number;
  max: number;
  /** Whole numbers only. */
  whole: boolean;
  unit: string;
  /** Why the range is what it is, for the message that refuses a value outside it. */
  why: string;
}

/**
 * What each number may be: outside these the detection stops meaning what
 * its name says (a 0-day window finds every event new; a 0-hour
 * deduplication gives every event an alert of its own). README "Settings"
 * lists them; the dialog and `--settings` refuse values outside.
 */
export const SETTING_RANGES: Readonly<Record<NumericSetting, SettingRange>> = {
  trainingDays: {
    min: 0.5,
    max: 365,
    whole: false,
    unit: 'days',
    why: 'a shorter window finds nearly every event new; a year is as far back as a baseline usefully looks',
  },
  activationDays: {
    min: 1,
    max: 365,
    whole: false,
    unit: 'days',
    why: 'before a day of history every client is new, so everything would alert',
  },
  dedupHours: {
    min: 1,
    max: 720,
    whole: false,
    unit: 'hours',
    why: 'under an hour each burst of requests makes many alerts; past 30 days one alert hides a month',
  },
  rareHosts: { min: 1, max: 1000, whole: true, unit: 'other hosts', why: 'it counts hosts' },
  uploadMinBytes: { min: 0, max: 1_073_741_824, whole: true, unit: 'bytes', why: 'it counts bytes, up to 1 GiB' },
  trafficJoinMinutes: {
    min: 1,
    max: 1440,
    whole: false,
    unit: 'minutes',
    why: 'a TRAFFIC row is logged within a day of its session',
  },
  stitchSeconds: {
    min: 1,
    max: 3600,
    whole: false,
    unit: 'seconds',
    why: 'the firewall and the endpoint log the same connection within seconds of each other; past an hour the ports are reused',
  },
};

const NUMERIC = Object.keys(SETTING_RANGES) as NumericSetting[];
const LISTS = ['textShareSites', 'browserProcesses', 'appTokens'] as const;
/** More suppressions than this is a list to clean up, not a setting. */
const MAX_SUPPRESSIONS = 10_000;

export function defaultSettings(): Settings {
  return structuredClone(DEFAULT_SETTINGS) as Settings;
}

/** Why `value` is not a valid `key`, or null when it is. */
export function numberProblem(key: NumericSetting, value: unknown): string | null {
  const r = SETTING_RANGES[key];
  if (typeof value !== 'number' || !Number.isFinite(value)) return `setting "${key}" must be a number`;
  if (r.whole && !Number.isInteger(value)) return `setting "${key}" must be a whole number`;
  if (value < r.min || value > r.max)
    return `setting "${key}" must be from ${r.min} to ${r.max} ${r.unit} (${r.why}); got ${value}`;
  return null;
}

/** A suppression entry from user input, normalised (keys lower case, texts trimmed). Throws saying what is wrong. */
export function checkSuppression(v: unknown, i: number): Suppression {
  const where = `suppression ${i + 1}`;
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new Error(`${where} must be an object with "client" and "domain"`);
  const o = v as Record<string, unknown>;
  const fields = ['client', 'domain', 'host', 'reason', 'author', 'added'] as const;
  for (const k of Object.keys(o)) {
    if (!(fields as readonly string[]).includes(k))
      throw new Error(`${where}: unknown field "${k}" (known: ${fields.join(', ')})`);
  }
  const text = (k: (typeof fields)[number]): string => {
    const s = o[k];
    if (typeof s !== 'string') throw new Error(`${where}: "${k}" must be text`);
    return s.trim();
  };
  const optional = (k: (typeof fields)[number]): string => (o[k] === undefined || o[k] === null ? '' : text(k));
  const client = text('client').toLowerCase();
  const domain = text('domain').toLowerCase();
  if (client === '' || domain === '') throw new Error(`${where}: "client" and "domain" must not be empty`);
  const out: Suppression = { client, domain };
  const host = optional('host');
  if (host !== '') out.host = host;
  for (const k of ['reason', 'author', 'added'] as const) {
    const v = optional(k);
    if (v.length > SUPPRESSION_NOTE_MAX) throw new Error(`${where}: "${k}" is longer than ${SUPPRESSION_NOTE_MAX} characters`);
    if (k === 'added' && v !== '' && !/^\d{4}-\d\d-\d\d$/.test(v))
      throw new Error(`${where}: "added" must be a date, YYYY-MM-DD`);
    if (v !== '') out[k] = v;
  }
  return out;
}

/**
 * Builds settings from user input (a parsed JSON file, a form, a stored or
 * imported state), on top of the defaults. Throws an Error whose message
 * names the bad field and says what it may be.
 */
export function resolveSettings(input: unknown): Settings {
  const out = defaultSettings();
  if (input === undefined || input === null) return out;
  if (typeof input !== 'object' || Array.isArray(input)) throw new Error('settings must be a JSON object');
  const obj = input as Record<string, unknown>;
  const known = new Set<string>([...NUMERIC, ...LISTS, 'timeZone', 'suppress']);
  for (const key of Object.keys(obj)) {
    if (!known.has(key)) throw new Error(`unknown setting "${key}" (known: ${[...known].join(', ')})`);
  }
  for (const key of NUMERIC) {
    const v = obj[key];
    if (v === undefined) continue;
    const problem = numberProblem(key, v);
    if (problem !== null) throw new Error(problem);
    out[key] = v as number;
  }
  for (const key of LISTS) {
    const v = obj[key];
    if (v === undefined) continue;
    if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) {
      throw new Error(`setting "${key}" must be a list of strings`);
    }
    out[key] = v.map((s: string) => s.trim()).filter((s: string) => s !== '');
  }
  if (obj.timeZone !== undefined) {
    if (typeof obj.timeZone !== 'string') throw new Error('setting "timeZone" must be a string');
    out.timeZone = checkTimeZone(obj.timeZone);
  }
  if (obj.suppress !== undefined) {
    if (!Array.isArray(obj.suppress))
      throw new Error(
        'setting "suppress" must be a list of {"client", "domain", "host"?, "reason"?, "author"?, "added"?} objects',
      );
    if (obj.suppress.length > MAX_SUPPRESSIONS) throw new Error(`setting "suppress" holds more than ${MAX_SUPPRESSIONS} entries`);
    const seen = new Set<string>();
    for (const [i, v] of obj.suppress.entries()) {
      const s = checkSuppression(v, i);
      const key = JSON.stringify([s.client, s.domain, s.host ?? null]);
      if (seen.has(key)) continue;
      seen.add(key);
      out.suppress.push(s);
    }
  }
  return out;
}

/** The settings that differ from the defaults, by name (for the page's "settings in force" banner). */
export function changedSettings(s: Settings): (keyof Settings)[] {
  return (Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[]).filter(
    (k) => JSON.stringify(s[k]) !== JSON.stringify(DEFAULT_SETTINGS[k]),
  );
}

/** Returns the zone if the platform knows it, else throws. */
function checkTimeZone(zone: string): string {
  if (zone.toUpperCase() === 'UTC') return 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    throw new Error(`unknown time zone "${zone}" (use an IANA name such as Europe/Berlin, or UTC)`);
  }
  return zone;
}
