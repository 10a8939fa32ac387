/**
 * Sensor log times to UTC epoch ms, from their decimal digits: Zeek's epoch
 * seconds (`1210953057.917183`) and ISO 8601 times (`2022-02-08T09:40:29.080710-0500`,
 * `2026-09-01T00:00:00.000000Z`). Milliseconds are the first three digits of
 * the fraction, as for PAN-OS times; no float arithmetic on the fraction, so
 * `.001` is 1 ms and never 0.
 */
import type { TimeParser } from '../util/time';

/** Largest time a Date holds, in ms. */
const MAX_MS = 8.64e15;
const EPOCH = /^(\d{1,13})(?:\.(\d*))?$/;
const ISO = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:[.,](\d{1,12}))?(Z|z|[+-]\d\d(?::?\d\d)?)?$/;

function fractionMs(digits: string | undefined): number {
  if (digits === undefined || digits === '') return 0;
  return Number((digits + '00').slice(0, 3));
}

/** Epoch seconds with an optional fraction; NaN when not that or out of range. */
export function epochSecondsMs(text: string): number {
  const m = EPOCH.exec(text.trim());
  if (m === null) return NaN;
  const ms = Number(m[1]) * 1000 + fractionMs(m[2]);
  return ms <= MAX_MS ? ms : NaN;
}

/**
 * A JSON number of epoch seconds. A double read from Zeek's microsecond
 * digits prints back as those digits (they are fewer than 17 significant
 * ones), so its decimal form is read as text.
 */
export function epochNumberMs(value: number): number {
  if (!Number.isFinite(value) || value < 0) return NaN;
  return epochSecondsMs(String(value));
}

/**
 * ISO 8601 with a zone (`Z`, `-0500`, `+05:30`) or without one, read in the
 * settings' zone through `local` (which takes `YYYY-MM-DD HH:MM:SS`). NaN when
 * not that, or not a real date.
 */
export function isoMs(text: string, local: TimeParser): number {
  const m = ISO.exec(text.trim());
  if (m === null) return NaN;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (year < 1970 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return NaN;
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  if (new Date(wall).getUTCDate() !== day) return NaN;
  const ms = fractionMs(frac);
  if (zone === undefined) {
    const base = local(`${y}-${mo}-${d} ${h}:${mi}:${s}`);
    return Number.isNaN(base) ? NaN : base + ms;
  }
  if (zone === 'Z' || zone === 'z') return wall + ms;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const oh = Number(digits.slice(0, 2));
  const om = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  if (oh > 23 || om > 59) return NaN;
  const utc = wall + ms - sign * (oh * 60 + om) * 60_000;
  return utc >= 0 && utc <= MAX_MS ? utc : NaN;
}
