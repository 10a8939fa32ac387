import type { Alert } from '../core/alerts/alert';
import { VARIATIONS } from '../core/settings/variations';

/**
 * The alerts (by index) in which every word of `text` occurs, case ignored,
 * in what the table shows or in any evidence event's URL, HTTP method,
 * user agent, user, or process image and command line. Worked out here, where the evidence is, so the page never holds it.
 */
export function searchAlerts(alerts: readonly Alert[], text: string): number[] {
  const words = text
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w !== '');
  if (words.length === 0) return alerts.map((_, i) => i);
  const out: number[] = [];
  for (let i = 0; i < alerts.length; i++) {
    const a = alerts[i];
    const v = VARIATIONS[a.variation];
    const row = [v.severity, v.name, a.variation, a.host, a.user, a.client, a.domain].join('\u0001').toLowerCase();
    let evidence: string | null = null;
    const all = words.every((w) => {
      if (row.includes(w)) return true;
      evidence ??= a.evidence
        .map(
          (e) =>
            `${e.url}\u0001${e.method}\u0001${e.userAgent}\u0001${e.user}\u0001${e.process?.image ?? ''}\u0001${e.process?.commandLine ?? ''}`,
        )
        .join('\u0001')
        .toLowerCase();
      return evidence.includes(w);
    });
    if (all) out.push(i);
  }
  return out;
}
