/** How numbers, sizes, times and durations read on screen. Times are UTC, like the logs and the CLI. */

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

export function count(n: number): string {
  return integer.format(n);
}

export function plural(n: number, one: string, many = one + 's'): string {
  return `${count(n)} ${n === 1 ? one : many}`;
}

export function percent(part: number, whole: number): string {
  if (whole === 0) return '0%';
  const p = (part * 100) / whole;
  return p > 0 && p < 0.1 ? '<0.1%' : `${oneDecimal.format(p)}%`;
}

export function bytes(n: number): string {
  if (n < 1024) return `${count(n)} B`;
  if (n < 1024 * 1024) return `${oneDecimal.format(n / 1024)} KB`;
  if (n < 1024 ** 3) return `${oneDecimal.format(n / 1024 ** 2)} MB`;
  return `${oneDecimal.format(n / 1024 ** 3)} GB`;
}

export function rate(bytesPerSec: number): string {
  return `${oneDecimal.format(bytesPerSec / (1024 * 1024))} MB/s`;
}

export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 1) return '<1 s';
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** `2026-10-20 13:04:05` (UTC). */
export function utcTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** `2026-10-20` (UTC). */
export function utcDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
