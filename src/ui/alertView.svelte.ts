import type { TriageStatus } from '../core/alerts/triage';
import type { Severity, VariationId } from '../core/settings/variations';
import type { AlertSummary } from '../worker/api';
import {
  filterAlerts,
  indexAlerts,
  isFiltering,
  sortAlerts,
  tableRows,
  topValues,
  type AlertFilter,
  type AlertRow,
  type GroupBy,
  type SortDir,
  type SortKey,
  type StatusOf,
} from './alertQuery';

/** What the worker found the search words in (evidence included), for one analysis and one search text. */
export interface SearchHits {
  generation: number;
  text: string;
  hits: ReadonlySet<number>;
}

/** The alert table's filters, sort order and grouping, and the rows they give. */
export class AlertView {
  /** Set by the constructor; the derived values below read them lazily, after that. */
  private source: () => AlertSummary[] = () => [];
  private generation: () => number = () => 0;
  private statusOf: StatusOf = () => 'new';
  severities = $state<Severity[]>([]);
  variation = $state<VariationId | ''>('');
  host = $state('');
  domain = $state('');
  text = $state('');
  statuses = $state<TriageStatus[]>([]);
  /** First-seen days (UTC day numbers, both included), from the timeline. */
  from = $state<number | null>(null);
  to = $state<number | null>(null);
  sortKey = $state<SortKey>('severity');
  sortDir = $state<SortDir>('desc');
  /** Alerts of the same host, client and domain (or client and domain on any host) as one row. */
  groupBy = $state<GroupBy>('');
  /** Alert ids picked for bulk triage. */
  picked = $state<string[]>([]);
  searchHits = $state.raw<SearchHits | null>(null);

  readonly filter: AlertFilter = $derived({
    severities: this.severities,
    variation: this.variation,
    host: this.host,
    domain: this.domain,
    text: this.text,
    statuses: this.statuses,
    from: this.from,
    to: this.to,
  });
  readonly filtering: boolean = $derived(isFiltering(this.filter));

  private readonly index = $derived(indexAlerts(this.source()));
  private readonly sorted = $derived(sortAlerts(this.source(), this.index, this.sortKey, this.sortDir, this.statusOf));
  /** The worker's answer for the search as typed now, when it has come. */
  private readonly hits = $derived.by(() => {
    const h = this.searchHits;
    return h !== null && h.text === this.text.trim() && h.generation === this.generation() ? h.hits : null;
  });
  /** Every alert shown, in the table's order (group members included): what the exports write. */
  readonly rows: AlertSummary[] = $derived(filterAlerts(this.sorted, this.index, this.filter, this.statusOf, this.hits));
  readonly tableRows: AlertRow[] = $derived(tableRows(this.rows, this.groupBy));
  readonly hostSuggestions: string[] = $derived(
    topValues(
      this.source().map((a) => a.host),
      300,
    ),
  );
  readonly domainSuggestions: string[] = $derived(
    topValues(
      this.source().map((a) => a.domain),
      300,
    ),
  );

  /** `statusOf` reads reactive triage state, so a status change re-filters and re-sorts. */
  constructor(source: () => AlertSummary[], generation: () => number, statusOf: StatusOf) {
    this.source = source;
    this.generation = generation;
    this.statusOf = statusOf;
  }

  sortBy(key: SortKey): void {
    if (this.sortKey === key) {
      this.sortDir = this.sortDir === 'asc' ? 'desc' : 'asc';
    } else {
      this.sortKey = key;
      // Most severe, most recent and most frequent first; names A to Z.
      this.sortDir =
        key === 'severity' || key === 'status' || key === 'firstSeen' || key === 'lastSeen' || key === 'count' ? 'desc' : 'asc';
    }
  }

  toggleSeverity(s: Severity): void {
    this.severities = this.severities.includes(s) ? this.severities.filter((x) => x !== s) : [...this.severities, s];
  }

  /** First seen on these UTC days; null, null for any time. */
  setDays(from: number | null, to: number | null): void {
    if (from !== null && to !== null && to < from) [from, to] = [to, from];
    this.from = from;
    this.to = to;
  }

  /** Picks or unpicks alerts for bulk triage (a group row picks all its members). */
  pick(ids: readonly string[], on: boolean): void {
    const set = new Set(this.picked);
    for (const id of ids) {
      if (on) set.add(id);
      else set.delete(id);
    }
    this.picked = [...set];
  }

  clear(): void {
    this.severities = [];
    this.variation = '';
    this.host = '';
    this.domain = '';
    this.text = '';
    this.statuses = [];
    this.from = null;
    this.to = null;
  }
}
