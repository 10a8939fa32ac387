import type { Alert, SuppressionHits } from './alert';
import type { Suppression } from '../settings/settings';

/** The first entry that matches an alert's host, client and domain; -1 for none. */
function suppressionFor(list: readonly Suppression[], host: string, client: string, domain: string): number {
  for (let i = 0; i < list.length; i++) {
    const s = list[i];
    if (s.client === client && s.domain === domain && (s.host === undefined || s.host === host)) return i;
  }
  return -1;
}

/**
 * Leaves out the alerts the suppression list matches, counting them per
 * entry. Suppression comes after detection: what it hides changes neither
 * the baseline nor the deduplication of anything else, so an alert is either
 * shown exactly as without the list or not at all.
 */
export function applySuppression(
  alerts: readonly Alert[],
  list: readonly Suppression[],
): { alerts: Alert[]; hits: SuppressionHits[] } {
  const hits = list.map(() => ({ alerts: 0, events: 0 }));
  if (list.length === 0) return { alerts: [...alerts], hits };
  const kept: Alert[] = [];
  for (const a of alerts) {
    const i = suppressionFor(list, a.host, a.client, a.domain);
    if (i === -1) {
      kept.push(a);
    } else {
      hits[i].alerts++;
      hits[i].events += a.count;
    }
  }
  return { alerts: kept, hits };
}
