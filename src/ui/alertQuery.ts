import { TRIAGE_STATUSES, type TriageStatus } from '../core/alerts/triage';
import { SEVERITY_RANK, VARIATIONS, type Severity, type VariationId } from '../core/settings/variations';
import type { AlertSummary } from '../worker/api';

/** Filtering and sorting of alert summaries: plain arrays, so 50,000 alerts stay quick. */

export type SortKey = 'severity' | 'status' | 'name' | 'host' | 'user' | 'client' | 'domain' | 'firstSeen' | 'lastSeen' | 'count';

/** An alert's triage status by its id ('new' when nobody has triaged it). */
export type StatusOf = (id: string) => TriageStatus;
export type SortDir = 'asc' | 'desc';

export interface AlertFilter {
  /** Empty: every severity. */
  severities: readonly Severity[];
  variation: VariationId | '';
  /** Substrings, case ignored. */
  host: string;
  domain: string;
  /** Every word must occur somewhere in the row. */
  text: string;
  /** Triage statuses; empty: every status. */
  statuses: readonly TriageStatus[];
  /** First seen on these UTC days (day numbers, both included); null: no bound. */
  from: number | null;
  to: number | null;
}

export const NO_FILTER: AlertFilter = {
  severities: [],
  variation: '',
  host: '',
  domain: '',
  text: '',
  statuses: [],
  from: null,
  to: null,
};

const DAY_MS = 86_400_000;

export function isFiltering(f: AlertFilter): boolean {
  return (
    f.severities.length > 0 ||
    f.variation !== '' ||
    f.host.trim() !== '' ||
    f.domain.trim() !== '' ||
    f.text.trim() !== '' ||
    f.statuses.length > 0 ||
    f.from !== null ||
    f.to !== null
  );
}

/** Per alert (by index), precomputed once per analysis. */
export interface AlertIndex {
  /** Everything the table shows, lower case. */
  text: string[];
  host: string[];
  domain: string[];
}

/** An IPv4 address as one number (NaN for anything else), so 10.0.0.9 sorts before 10.0.0.10. */
export function ipv4Number(s: string): number {
  let value = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      part = part * 10 + (c - 48);
      if (++digits > 3 || part > 255) return NaN;
    } else if (c === 46 && digits > 0 && dots < 3) {
      value = value * 256 + part;
      part = 0;
      digits = 0;
      dots++;
    } else {
      return NaN;
    }
  }
  return dots === 3 && digits > 0 ? value * 256 + part : NaN;
}

/** Addresses in numeric order first, then names. */
function compareHosts(a: string, an: number, b: string, bn: number): number {
  const aIp = !Number.isNaN(an);
  const bIp = !Number.isNaN(bn);
  if (aIp && bIp) return an - bn;
  if (aIp !== bIp) return aIp ? -1 : 1;
  return cmp(a, b);
}

export function indexAlerts(alerts: readonly AlertSummary[]): AlertIndex {
  const index: AlertIndex = { text: [], host: [], domain: [] };
  for (const a of alerts) {
    const host = a.host.toLowerCase();
    const domain = a.domain.toLowerCase();
    index.host.push(host);
    index.domain.push(domain);
    index.text.push(
      [a.severity, VARIATIONS[a.variation].name, a.variation, host, a.user, a.client, domain].join('\u0001').toLowerCase(),
    );
  }
  return index;
}

/**
 * The alerts that pass every filter, in `sorted`'s order. `textHits`: the
 * alerts (by index) the worker found the search words in, evidence included
 * (URLs, user agents, users); without it the search looks at the row alone.
 */
export function filterAlerts(
  sorted: readonly AlertSummary[],
  index: AlertIndex,
  f: AlertFilter,
  statusOf: StatusOf,
  textHits: ReadonlySet<number> | null = null,
): AlertSummary[] {
  if (!isFiltering(f)) return sorted as AlertSummary[];
  const fromMs = f.from === null ? -Infinity : f.from * DAY_MS;
  const toMs = f.to === null ? Infinity : (f.to + 1) * DAY_MS;
  const severities = f.severities.length ? new Set(f.severities) : null;
  const statuses = f.statuses.length ? new Set(f.statuses) : null;
  const host = f.host.trim().toLowerCase();
  const domain = f.domain.trim().toLowerCase();
  const words = f.text
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w !== '');
  return sorted.filter((a) => {
    const i = a.index;
    if (severities !== null && !severities.has(a.severity)) return false;
    if (statuses !== null && !statuses.has(statusOf(a.id))) return false;
    if (f.variation !== '' && a.variation !== f.variation) return false;
    if (host !== '' && !index.host[i].includes(host)) return false;
    if (domain !== '' && !index.domain[i].includes(domain)) return false;
    if (a.firstSeen < fromMs || a.firstSeen >= toMs) return false;
    if (textHits !== null) return words.length === 0 || textHits.has(i);
    for (const w of words) if (!index.text[i].includes(w)) return false;
    return true;
  });
}

function cmp(a: string | number, b: string | number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sorted copy; ties fall back to severity (highest first), then first seen, then the detector's order. */
export function sortAlerts(
  alerts: readonly AlertSummary[],
  index: AlertIndex,
  key: SortKey,
  dir: SortDir,
  statusOf: StatusOf,
): AlertSummary[] {
  const ip = new Float64Array(key === 'host' ? index.host.length : 0);
  if (key === 'host') for (const a of alerts) ip[a.index] = ipv4Number(a.host);
  const primary = (a: AlertSummary, b: AlertSummary): number => {
    switch (key) {
      case 'severity':
        return SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity];
      case 'status':
        return TRIAGE_STATUSES.indexOf(statusOf(a.id)) - TRIAGE_STATUSES.indexOf(statusOf(b.id));
      case 'name':
        return cmp(VARIATIONS[a.variation].name, VARIATIONS[b.variation].name);
      case 'host':
        return compareHosts(index.host[a.index], ip[a.index], index.host[b.index], ip[b.index]);
      case 'user':
        return cmp(a.user.toLowerCase(), b.user.toLowerCase());
      case 'client':
        return cmp(a.client, b.client);
      case 'domain':
        return cmp(index.domain[a.index], index.domain[b.index]);
      case 'firstSeen':
        return a.firstSeen - b.firstSeen;
      case 'lastSeen':
        return a.lastSeen - b.lastSeen;
      case 'count':
        return a.count - b.count;
    }
  };
  const sign = dir === 'asc' ? 1 : -1;
  return [...alerts].sort(
    (a, b) =>
      sign * primary(a, b) ||
      SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
      a.firstSeen - b.firstSeen ||
      a.index - b.index,
  );
}

/** Most frequent values first, for the filter suggestions. */
export function topValues(values: readonly string[], limit: number): string[] {
  const counts = new Map<string, number>();
  for (const v of values) if (v !== '') counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || cmp(a[0], b[0]))
    .slice(0, limit)
    .map(([v]) => v);
}

/** How the table folds alerts into rows: not at all, by host, client and domain, or by client and domain across hosts. */
export type GroupBy = '' | 'host' | 'pair';

/** The key alerts of one row share. */
export function groupKey(a: Pick<AlertSummary, 'host' | 'client' | 'domain'>, by: Exclude<GroupBy, ''>): string {
  return by === 'host' ? `${a.host}\u0000${a.client}\u0000${a.domain}` : `${a.client}\u0000${a.domain}`;
}

/** A row of the table: one alert, or a group of alerts that share a key. */
export interface AlertRow {
  /** The alert shown: the group's first in the table's order. */
  lead: AlertSummary;
  /** Every alert of the row, the lead first (one for an ungrouped row). */
  members: AlertSummary[];
}

/** The rows, grouped or not; a group sits where its first member would. */
export function tableRows(rows: readonly AlertSummary[], by: GroupBy): AlertRow[] {
  if (by === '') return rows.map((a) => ({ lead: a, members: [a] }));
  const out: AlertRow[] = [];
  const at = new Map<string, AlertRow>();
  for (const a of rows) {
    const key = groupKey(a, by);
    const row = at.get(key);
    if (row === undefined) {
      const fresh = { lead: a, members: [a] };
      at.set(key, fresh);
      out.push(fresh);
    } else {
      row.members.push(a);
    }
  }
  return out;
}
