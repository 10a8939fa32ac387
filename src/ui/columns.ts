import type { SortKey } from './alertQuery';

/** The alert table's columns; header and rows share one CSS grid template. */
export interface Column {
  key: SortKey;
  label: string;
  width: string;
  align?: 'right';
}

export const ALERT_COLUMNS: readonly Column[] = [
  { key: 'severity', label: 'Severity', width: '92px' },
  { key: 'status', label: 'Status', width: '118px' },
  { key: 'name', label: 'Alert', width: 'minmax(220px, 2fr)' },
  { key: 'host', label: 'Host', width: 'minmax(110px, 0.9fr)' },
  { key: 'user', label: 'User', width: 'minmax(110px, 1fr)' },
  { key: 'client', label: 'Client', width: 'minmax(130px, 1.15fr)' },
  { key: 'domain', label: 'Domain', width: 'minmax(150px, 1.35fr)' },
  { key: 'firstSeen', label: 'First seen (UTC)', width: '148px' },
  { key: 'lastSeen', label: 'Last seen (UTC)', width: '148px' },
  { key: 'count', label: 'Count', width: '60px', align: 'right' },
];

/** Fixed row height (px): what makes rendering only the visible rows possible. */
export const ROW_H = 32;

export const ALERT_GRID = ALERT_COLUMNS.map((c) => c.width).join(' ');
