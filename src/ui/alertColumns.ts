import type { SortKey } from './alertQuery';

/** The alert table's columns; header and rows share one CSS grid template. */
export interface Column {
  key: SortKey;
  label: string;
  width: string;
  /** Width in a narrow table, where only the columns that tell alerts apart stay; absent: folded away. */
  narrowWidth?: string;
  align?: 'right';
}

const ALERT_COLUMNS: readonly Column[] = [
  { key: 'severity', label: 'Severity', width: '92px', narrowWidth: '92px' },
  { key: 'status', label: 'Status', width: '118px' },
  { key: 'name', label: 'Alert', width: 'minmax(220px, 2fr)' },
  { key: 'host', label: 'Host', width: 'minmax(110px, 0.9fr)', narrowWidth: 'minmax(84px, 1fr)' },
  { key: 'user', label: 'User', width: 'minmax(110px, 1fr)' },
  { key: 'client', label: 'Client', width: 'minmax(130px, 1.15fr)', narrowWidth: 'minmax(84px, 1fr)' },
  { key: 'domain', label: 'Domain', width: 'minmax(150px, 1.35fr)', narrowWidth: 'minmax(100px, 1.3fr)' },
  { key: 'firstSeen', label: 'First seen (UTC)', width: '160px', narrowWidth: '160px' },
  { key: 'lastSeen', label: 'Last seen (UTC)', width: '160px' },
  { key: 'count', label: 'Count', width: '60px', align: 'right' },
];

/** The picking checkbox's column, before the others. */
const PICK_WIDTH = '34px';

/** Below this table width the narrow columns are used (the wide ones need about 1,300 px). */
export const NARROW_BELOW = 1100;

/** Fixed row height (px): what makes rendering only the visible rows possible. */
export const ROW_H = 32;

export function columnsFor(narrow: boolean): Column[] {
  return narrow ? ALERT_COLUMNS.filter((c) => c.narrowWidth !== undefined) : [...ALERT_COLUMNS];
}

export function gridFor(narrow: boolean): string {
  return [PICK_WIDTH, ...columnsFor(narrow).map((c) => (narrow ? c.narrowWidth! : c.width))].join(' ');
}

/** The rows' least width: the wide table scrolls sideways below it, the narrow one never does. */
export function minWidthFor(narrow: boolean): string {
  return narrow ? '0' : '1360px';
}
