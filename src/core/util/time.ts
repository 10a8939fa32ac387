import { isTrimmedSpace } from './strings';

/**
 * Log times `YYYY/MM/DD HH:MM:SS` (also `-` for `/` and `T` for the space) to
 * UTC epoch ms. Times without a zone are read in the given zone. The start of
 * each hour is memoised, so a row costs a few character reads.
 */
export interface TimeParser {
  (text: string): number;
  /**
   * The same reading of the ASCII bytes `from..to` (trimmed of ASCII white
   * space first, as the text's caller trims it), without making a string:
   * the byte path of PAN-OS parts (sources/panosBytes.ts).
   */
  bytes(bytes: Uint8Array, from: number, to: number): number;
}

const DIGIT0 = 48;

function two(s: string, i: number): number {
  const a = s.charCodeAt(i) - DIGIT0;
  const b = s.charCodeAt(i + 1) - DIGIT0;
  if (a < 0 || a > 9 || b < 0 || b > 9) return NaN;
  return a * 10 + b;
}

function zoneOffsetMs(fmt: Intl.DateTimeFormat, utcMs: number): number {
  const p: Record<string, number> = {};
  for (const part of fmt.formatToParts(utcMs)) {
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  }
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour % 24, p.minute, p.second);
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

export function makeTimeParser(timeZone = 'UTC'): TimeParser {
  const utc = timeZone.toUpperCase() === 'UTC';
  const fmt = utc
    ? null
    : new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
  const hours = new Map<string, number>();
  let lastKey = '';
  let lastBase = NaN;

  function hourStart(s: string): number {
    const year = two(s, 0) * 100 + two(s, 2);
    const month = two(s, 5);
    const day = two(s, 8);
    const hour = two(s, 11);
    const sep1 = s.charCodeAt(4);
    const sep2 = s.charCodeAt(7);
    const sep3 = s.charCodeAt(10);
    if ((sep1 !== 47 && sep1 !== 45) || sep2 !== sep1 || (sep3 !== 32 && sep3 !== 84)) return NaN;
    if (!(month >= 1 && month <= 12 && day >= 1 && hour <= 23 && year >= 1970)) return NaN;
    const wall = Date.UTC(year, month - 1, day, hour);
    if (new Date(wall).getUTCDate() !== day) return NaN;
    if (fmt === null) return wall;
    // Local wall time to UTC: guess with the offset at the wall time, then correct once.
    const first = zoneOffsetMs(fmt, wall);
    const second = zoneOffsetMs(fmt, wall - first);
    return wall - second;
  }

  const parse = (s: string): number => {
    if (s.length < 19 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return NaN;
    if (s.length > 19 && !/^\.\d{1,9}$/.test(s.slice(19))) return NaN;
    // Rows come in time order, so most share the previous row's hour: compare before cutting a key.
    let base: number;
    if (lastKey !== '' && s.startsWith(lastKey)) {
      base = lastBase;
    } else {
      // A copy: a cut of the row's text would keep the whole chunk it came from alive.
      base = hourOf((' ' + s.slice(0, 13)).slice(1));
    }
    const minute = two(s, 14);
    const second = two(s, 17);
    if (!(minute <= 59 && second <= 59)) return NaN;
    let ms = 0;
    if (s.length > 20) ms = Math.floor(Number('0' + s.slice(19)) * 1000);
    return base + minute * 60_000 + second * 1000 + ms;
  };

  /** The start of the hour `key` (a time's first 13 characters) names, remembered. */
  function hourOf(key: string): number {
    const base = hours.get(key) ?? hourStart(key);
    if (hours.size >= 10_000) hours.clear();
    hours.set(key, base);
    lastKey = key;
    lastBase = base;
    return base;
  }

  function bytes(b: Uint8Array, from: number, to: number): number {
    while (from < to && isTrimmedSpace(b[from])) from++;
    while (to > from && isTrimmedSpace(b[to - 1])) to--;
    const n = to - from;
    // Fractions of a second are rare in these logs: read as text, they round exactly as the text path does.
    if (n !== 19) return n > 19 ? parse(String.fromCharCode(...b.subarray(from, to))) : NaN;
    if (b[from + 13] !== 58 || b[from + 16] !== 58) return NaN;
    let same = lastKey !== '';
    for (let i = 0; same && i < 13; i++) same = lastKey.charCodeAt(i) === b[from + i];
    const base = same ? lastBase : hourOf(String.fromCharCode(...b.subarray(from, from + 13)));
    const minute = twoBytes(b, from + 14);
    const second = twoBytes(b, from + 17);
    if (!(minute <= 59 && second <= 59)) return NaN;
    return base + minute * 60_000 + second * 1000;
  }

  return Object.assign(parse, { bytes });
}

function twoBytes(b: Uint8Array, i: number): number {
  const x = b[i] - DIGIT0;
  const y = b[i + 1] - DIGIT0;
  if (x < 0 || x > 9 || y < 0 || y > 9) return NaN;
  return x * 10 + y;
}

export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}
