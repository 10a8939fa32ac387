import type { Explanation } from '../core/detector';
import type { AlertSummary } from '../worker/api';

function hosts(n: number): string {
  return n === 1 ? '1 other host' : `${n} other hosts`;
}

/**
 * Why an alert fired, in one sentence with its numbers, e.g.
 * "curl → pastebin.com (upload): not seen on this host and on 1 other host in the 30 days before; threshold 3".
 */
export function whyItFired(a: Pick<AlertSummary, 'client' | 'domain'>, e: Explanation): string {
  const key = `${a.client} → ${a.domain}${e.upload ? ' (upload)' : ''}`;
  const own = e.hostSeenKeyInWindow ? 'seen on this host' : 'not seen on this host';
  return `${key}: ${own} and on ${hosts(e.hostsWithKeyInWindow)} in the ${e.windowDays} days before; threshold ${e.rareHosts}`;
}

/** The rule the numbers were tested against, spelled out. */
export function ruleInWords(e: Explanation): string {
  const what = e.upload ? 'uploaded to' : 'contacted';
  return (
    `Alerts when this host had not ${what} the domain with this client in the ${e.windowDays} days before, ` +
    `and fewer than ${e.rareHosts} other hosts had.`
  );
}
