import { APP_TOKENS, BROWSER_PROCESSES, TEXT_SHARE_SITES } from './lists';

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
  /** IANA zone for log times written without a zone; `UTC` by default. */
  timeZone: string;
  textShareSites: string[];
  browserProcesses: string[];
  appTokens: string[];
}

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  trainingDays: 30,
  activationDays: 14,
  dedupHours: 24,
  rareHosts: 3,
  uploadMinBytes: 1024,
  trafficJoinMinutes: 60,
  timeZone: 'UTC',
  textShareSites: [...TEXT_SHARE_SITES],
  browserProcesses: [...BROWSER_PROCESSES],
  appTokens: [...APP_TOKENS],
});

const NUMERIC = ['trainingDays', 'activationDays', 'dedupHours', 'rareHosts', 'uploadMinBytes', 'trafficJoinMinutes'] as const;
const LISTS = ['textShareSites', 'browserProcesses', 'appTokens'] as const;

export function defaultSettings(): Settings {
  return structuredClone(DEFAULT_SETTINGS) as Settings;
}

/**
 * Builds settings from user input (a parsed JSON file or a form), on top of the
 * defaults. Throws an Error whose message names the bad field.
 */
export function resolveSettings(input: unknown): Settings {
  const out = defaultSettings();
  if (input === undefined || input === null) return out;
  if (typeof input !== 'object' || Array.isArray(input)) throw new Error('settings must be a JSON object');
  const obj = input as Record<string, unknown>;
  const known = new Set<string>([...NUMERIC, ...LISTS, 'timeZone']);
  for (const key of Object.keys(obj)) {
    if (!known.has(key)) throw new Error(`unknown setting "${key}" (known: ${[...known].join(', ')})`);
  }
  for (const key of NUMERIC) {
    const v = obj[key];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new Error(`setting "${key}" must be a number >= 0`);
    }
    out[key] = v;
  }
  if (!Number.isInteger(out.rareHosts) || out.rareHosts < 1) throw new Error('setting "rareHosts" must be a whole number >= 1');
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
  return out;
}

/** Returns the zone if the platform knows it, else throws. */
export function checkTimeZone(zone: string): string {
  if (zone.toUpperCase() === 'UTC') return 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    throw new Error(`unknown time zone "${zone}" (use an IANA name such as Europe/Berlin, or UTC)`);
  }
  return zone;
}
