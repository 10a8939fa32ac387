import { TRIAGE_STATUSES, type TriageStatus } from '../core/alerts/triage';
import { VARIATION_IDS, type Severity, type VariationId } from '../core/settings/variations';
import type { GroupBy, SortDir, SortKey } from './alertQuery';

/**
 * What the address holds after `#`: the table's filters, sort and grouping
 * and the alert open, so a reload keeps them and a copied link opens the same
 * view (`#sev=high&q=api_post&alert=…`). The query (`?demo`) is left alone.
 */
export interface ViewState {
  severities: Severity[];
  variation: VariationId | '';
  statuses: TriageStatus[];
  host: string;
  domain: string;
  text: string;
  /** UTC day numbers, both included. */
  from: number | null;
  to: number | null;
  sortKey: SortKey;
  sortDir: SortDir;
  groupBy: GroupBy;
  /** The id of the alert open in the detail, or null. */
  alert: string | null;
}

const SEVERITIES: readonly Severity[] = ['high', 'medium', 'low', 'informational'];
const SORT_KEYS: readonly SortKey[] = [
  'severity',
  'status',
  'name',
  'host',
  'user',
  'client',
  'domain',
  'firstSeen',
  'lastSeen',
  'count',
];
const DAY_MS = 86_400_000;
const DATE = /^\d{4}-\d\d-\d\d$/;

export const DEFAULT_VIEW: Readonly<ViewState> = Object.freeze({
  severities: [],
  variation: '',
  statuses: [],
  host: '',
  domain: '',
  text: '',
  from: null,
  to: null,
  sortKey: 'severity',
  sortDir: 'desc',
  groupBy: '',
  alert: null,
});

function day(text: string | null): number | null {
  if (text === null || !DATE.test(text)) return null;
  const ms = Date.parse(`${text}T00:00:00Z`);
  return Number.isFinite(ms) ? Math.floor(ms / DAY_MS) : null;
}

function date(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

function list<T extends string>(text: string | null, allowed: readonly T[]): T[] {
  if (text === null || text === '') return [];
  return text.split(',').filter((v): v is T => (allowed as readonly string[]).includes(v));
}

/** The view a hash asks for; anything it does not say (or says wrong) is the default. */
export function parseHash(hash: string): ViewState {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const [key, dir] = (p.get('sort') ?? '').split('.');
  const sorted = (SORT_KEYS as readonly string[]).includes(key) && (dir === 'asc' || dir === 'desc');
  const type = p.get('type') ?? '';
  return {
    severities: list(p.get('sev'), SEVERITIES),
    variation: (VARIATION_IDS as readonly string[]).includes(type) ? (type as VariationId) : '',
    statuses: list(p.get('status'), TRIAGE_STATUSES),
    host: p.get('host') ?? '',
    domain: p.get('domain') ?? '',
    text: p.get('q') ?? '',
    from: day(p.get('from')),
    to: day(p.get('to')),
    sortKey: sorted ? (key as SortKey) : DEFAULT_VIEW.sortKey,
    sortDir: sorted ? (dir as SortDir) : DEFAULT_VIEW.sortDir,
    groupBy: p.get('group') === 'host' || p.get('group') === 'pair' ? (p.get('group') as GroupBy) : '',
    alert: p.get('alert'),
  };
}

/** The hash for a view: only what differs from the default, so a plain view has an empty hash. */
export function formatHash(v: ViewState): string {
  const p = new URLSearchParams();
  if (v.severities.length) p.set('sev', v.severities.join(','));
  if (v.variation !== '') p.set('type', v.variation);
  if (v.statuses.length) p.set('status', v.statuses.join(','));
  if (v.host !== '') p.set('host', v.host);
  if (v.domain !== '') p.set('domain', v.domain);
  if (v.text !== '') p.set('q', v.text);
  if (v.from !== null) p.set('from', date(v.from));
  if (v.to !== null) p.set('to', date(v.to));
  if (v.sortKey !== DEFAULT_VIEW.sortKey || v.sortDir !== DEFAULT_VIEW.sortDir) p.set('sort', `${v.sortKey}.${v.sortDir}`);
  if (v.groupBy !== '') p.set('group', v.groupBy);
  if (v.alert !== null) p.set('alert', v.alert);
  const text = p.toString();
  return text === '' ? '' : `#${text}`;
}
