import type { TriageStatus } from '../core/state';
import type { Severity, VariationId } from '../core/variations';
import type { AlertSummary } from '../worker/api';
import {
  filterAlerts, indexAlerts, isFiltering, sortAlerts, topValues, type AlertFilter, type SortDir, type SortKey, type StatusOf,
} from './alertQuery';

/** The alert table's filters and sort order, and the rows they give. */
export class AlertView {
  /** Set by the constructor; the derived values below read them lazily, after that. */
  private source: () => AlertSummary[] = () => [];
  private statusOf: StatusOf = () => 'new';
  severities = $state<Severity[]>([]);
  variation = $state<VariationId | ''>('');
  host = $state('');
  domain = $state('');
  text = $state('');
  statuses = $state<TriageStatus[]>([]);
  sortKey = $state<SortKey>('severity');
  sortDir = $state<SortDir>('desc');

  readonly filter: AlertFilter = $derived({
    severities: this.severities, variation: this.variation, host: this.host, domain: this.domain, text: this.text,
    statuses: this.statuses,
  });
  readonly filtering: boolean = $derived(isFiltering(this.filter));

  private readonly index = $derived(indexAlerts(this.source()));
  private readonly sorted = $derived(sortAlerts(this.source(), this.index, this.sortKey, this.sortDir, this.statusOf));
  readonly rows: AlertSummary[] = $derived(filterAlerts(this.sorted, this.index, this.filter, this.statusOf));
  readonly hostSuggestions: string[] = $derived(topValues(this.source().map((a) => a.host), 300));
  readonly domainSuggestions: string[] = $derived(topValues(this.source().map((a) => a.domain), 300));

  /** `statusOf` reads reactive triage state, so a status change re-filters and re-sorts. */
  constructor(source: () => AlertSummary[], statusOf: StatusOf) {
    this.source = source;
    this.statusOf = statusOf;
  }

  sortBy(key: SortKey): void {
    if (this.sortKey === key) {
      this.sortDir = this.sortDir === 'asc' ? 'desc' : 'asc';
    } else {
      this.sortKey = key;
      // Most severe, most recent and most frequent first; names A to Z.
      this.sortDir = key === 'severity' || key === 'status' || key === 'firstSeen' || key === 'lastSeen' || key === 'count' ? 'desc' : 'asc';
    }
  }

  toggleSeverity(s: Severity): void {
    this.severities = this.severities.includes(s) ? this.severities.filter((x) => x !== s) : [...this.severities, s];
  }

  clear(): void {
    this.severities = [];
    this.variation = '';
    this.host = '';
    this.domain = '';
    this.text = '';
    this.statuses = [];
  }
}
