import type { Explanation } from '../core/alerts/alert';
import type { AlertSummary } from '../worker/api';
import { claimedBrowser, programOf } from './processText';

const DAY_MS = 86_400_000;

function hosts(n: number): string {
  return n === 1 ? '1 other host' : `${n} other hosts`;
}

/** Days as a reader wants them: whole where whole, else one decimal, never rounded up past what there was. */
function days(n: number): string {
  const tenths = Math.floor(n * 10) / 10;
  const text = Number.isInteger(tenths) ? String(tenths) : tenths.toFixed(1);
  return `${text} ${tenths === 1 ? 'day' : 'days'}`;
}

/** Whether less history than the window existed before the alert (the window reached back past the first event). */
export function shortHistory(e: Explanation): boolean {
  return e.historyMs !== null && e.historyMs < e.windowDays * DAY_MS;
}

/**
 * Why an alert fired, in one sentence with its numbers, e.g.
 * "curl → pastebin.com (upload): not seen on this host and on 1 other host in the 30 days before; threshold 3",
 * or, where the history was shorter than the window,
 * "… in the only 14 days of history before this event (window 30); threshold 3".
 */
export function whyItFired(a: Pick<AlertSummary, 'client' | 'domain'>, e: Explanation): string {
  const key = `${a.client} → ${a.domain}${e.upload ? ' (upload)' : ''}`;
  const own = e.hostSeenKeyInWindow ? 'seen on this host' : 'not seen on this host';
  const span = shortHistory(e)
    ? `in the only ${days(e.historyMs! / DAY_MS)} of history before this event (window ${e.windowDays})`
    : `in the ${e.windowDays} days before`;
  return `${key}: ${own} and on ${hosts(e.hostsWithKeyInWindow)} ${span}; threshold ${e.rareHosts}`;
}

/** The rule the numbers were tested against, spelled out. */
export function ruleInWords(e: Explanation): string {
  const what = e.upload ? 'uploaded to' : 'contacted';
  return (
    `Alerts when this host had not ${what} the domain with this client in the ${e.windowDays} days before, ` +
    `and fewer than ${e.rareHosts} other hosts had.`
  );
}

/** The history the test could look at, in words; null where it is not known (imported alerts). */
export function historyInWords(e: Explanation): string | null {
  if (e.historyMs === null) return null;
  const had = days(e.historyMs / DAY_MS);
  return shortHistory(e)
    ? `Only ${had} of history before this event (window ${e.windowDays}): the baseline had not seen the whole window, so "not seen" covers ${had}, not ${e.windowDays} days.`
    : `${had} of history before this event: the whole ${e.windowDays}-day window was there.`;
}

/**
 * Where the client of an alert came from, when endpoint data named its
 * process; null when its client is the User-Agent's (no process known).
 */
export function processInWords(a: Pick<AlertSummary, 'image' | 'client' | 'claimedUserAgent'>): string | null {
  if (a.image === null) return null;
  const named =
    `The client is the process image ${programOf(a)}, from endpoint data (joined to the URL events by addresses, ` +
    'ports and time, or logged by the endpoint itself), not a reading of the User-Agent.';
  if (a.claimedUserAgent === null) return named;
  const browser = claimedBrowser(a.claimedUserAgent);
  return (
    `${named} Its User-Agent claims ${browser === null ? 'a browser' : browser}: ` +
    'by the User-Agent alone these requests would have passed for a browser, and a browser raises no alert.'
  );
}
