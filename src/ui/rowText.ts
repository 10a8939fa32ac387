import { VARIATIONS } from '../core/settings/variations';
import type { AlertRow } from './alertQuery';

/** A row's cells that may differ between the alerts a row groups. */
export type GroupedField = 'host' | 'user';

const NOUNS: Record<GroupedField, string> = { host: 'hosts', user: 'users' };

/** How an empty value is listed: a user the log did not name. */
const NONE: Record<GroupedField, string> = { host: '(none)', user: '(no user)' };

/** The different values of `field` among the row's alerts, in the table's order. */
function distinct(row: AlertRow, field: GroupedField): string[] {
  return [...new Set(row.members.map((m) => m[field]))];
}

/** A cell's text: the value, or "3 users" when the row's alerts differ in it. */
export function cellText(row: AlertRow, field: GroupedField): string {
  const values = distinct(row, field);
  if (values.length > 1) return `${values.length} ${NOUNS[field]}`;
  return values[0] === '' ? '—' : values[0];
}

/** A cell's hover text: every value, so a grouped row never names one for all (text, never markup). */
export function cellTitle(row: AlertRow, field: GroupedField): string {
  return distinct(row, field)
    .map((v) => (v === '' ? NONE[field] : v))
    .join(', ');
}

/** The alert name a row shows: a group says how many alerts it holds. */
export function nameText(row: AlertRow): string {
  const name = VARIATIONS[row.lead.variation].name;
  return row.members.length > 1 ? `${row.members.length} alerts: ${name}, …` : name;
}

/** The row's notes (a group's, each non-empty one once); empty when none has a note. */
export function rowNotes(row: AlertRow, noteOf: (id: string) => string): string[] {
  return [...new Set(row.members.map((m) => noteOf(m.id).trim()).filter((n) => n !== ''))];
}
