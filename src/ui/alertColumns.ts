import type { SortKey } from './alertQuery';

/** The alert table's columns; header and rows share one CSS grid template. */
export interface Column {
  key: SortKey;
  label: string;
  /** A fixed width (px), or the least width (px) of a column that takes a share of the room left. */
  px: number;
  flex?: boolean;
  /** Kept in a narrow table (below NARROW_BELOW), with this least width when it differs; the others fold away. */
  narrow?: number | true;
  align?: 'right';
}

const ALERT_COLUMNS: readonly Column[] = [
  { key: 'severity', label: 'Severity', px: 112, narrow: 102 },
  // Triage state is what a daily pass is about: it stays at every width.
  { key: 'status', label: 'Status', px: 132, narrow: 128 },
  { key: 'name', label: 'Alert', px: 200, flex: true },
  { key: 'host', label: 'Host', px: 110, flex: true, narrow: 84 },
  { key: 'user', label: 'User', px: 110, flex: true },
  { key: 'client', label: 'Client', px: 130, flex: true, narrow: 84 },
  { key: 'domain', label: 'Domain', px: 150, flex: true, narrow: 100 },
  { key: 'firstSeen', label: 'First seen (UTC)', px: 152, narrow: 150 },
  { key: 'lastSeen', label: 'Last seen (UTC)', px: 152 },
  { key: 'count', label: 'Count', px: 60, align: 'right' },
];

/** The picking checkbox's column (px), before the others. */
const PICK_PX = 30;

/** The least a flexible column keeps whatever its values: its heading and sort arrow. */
const HEAD_PX = 76;

/** Below this table width the narrow columns are used (the wide ones need about 1,350 px). */
export const NARROW_BELOW = 1100;

/** Fixed row height (px): what makes rendering only the visible rows possible. */
export const ROW_H = 32;

/** How wide (px) each flexible column's widest value is; a column without one shares by its least width. */
export type ColumnNeeds = Partial<Record<SortKey, number>>;

export function columnsFor(narrow: boolean): Column[] {
  return narrow ? ALERT_COLUMNS.filter((c) => c.narrow !== undefined) : [...ALERT_COLUMNS];
}

function leastPx(c: Column, narrow: boolean): number {
  return narrow && typeof c.narrow === 'number' ? c.narrow : c.px;
}

/**
 * Widths (px) for the flexible columns in `room` px (the table's width less
 * the fixed columns). Each asks for its widest value; when all cannot have it,
 * the narrow ones get theirs in full and the widest share what is left alike
 * (down to their least width): a value is cut only when out of room, and then
 * the longest first. Room to spare is shared in proportion.
 */
export function fitWidths(cols: readonly { key: SortKey; least: number; need: number }[], room: number): Map<SortKey, number> {
  const asks = cols.map((c) => ({ key: c.key, least: c.least, want: Math.max(c.least, Math.ceil(c.need)) }));
  const total = asks.reduce((s, c) => s + c.want, 0);
  const out = new Map<SortKey, number>();
  if (total <= room) {
    for (const c of asks) out.set(c.key, Math.floor((c.want * room) / total));
    return out;
  }
  // The level every cut column is cut to: each gets its want, its least, or the level between them, all summing to the room.
  const width = (c: (typeof asks)[number], level: number): number => Math.max(c.least, Math.min(c.want, level));
  let low = 0;
  let high = Math.max(...asks.map((c) => c.want));
  for (let i = 0; i < 40; i++) {
    const mid = (low + high) / 2;
    if (asks.reduce((s, c) => s + width(c, mid), 0) > room) high = mid;
    else low = mid;
  }
  for (const c of asks) out.set(c.key, Math.floor(width(c, low) + 1e-6));
  return out;
}

/** The grid template for a table `width` px wide (its client width), from each flexible column's widest value. */
export function gridFor(narrow: boolean, width: number, needs: ColumnNeeds = {}): string {
  const cols = columnsFor(narrow);
  const fixed = PICK_PX + cols.filter((c) => !c.flex).reduce((s, c) => s + leastPx(c, narrow), 0);
  // A column whose values are all narrower than its least width gives the rest back: it is room a name can use.
  const flex = cols
    .filter((c) => c.flex)
    .map((c) => {
      const need = needs[c.key];
      return {
        key: c.key,
        least: need === undefined ? leastPx(c, narrow) : Math.min(leastPx(c, narrow), Math.max(HEAD_PX, Math.ceil(need))),
        need: need ?? 0,
      };
    });
  const widths = fitWidths(flex, width - fixed);
  // The last flexible column takes what rounding left over.
  const lastFlex = flex[flex.length - 1]?.key;
  const tracks = cols.map((c) => {
    const w = c.flex ? (widths.get(c.key) ?? leastPx(c, narrow)) : leastPx(c, narrow);
    return c.key === lastFlex ? `minmax(${w}px, 1fr)` : `${w}px`;
  });
  return [`${PICK_PX}px`, ...tracks].join(' ');
}

/** The rows' least width: the wide table scrolls sideways below it, the narrow one never does. */
export function minWidthFor(narrow: boolean): string {
  return narrow ? '0' : `${PICK_PX + ALERT_COLUMNS.reduce((s, c) => s + c.px, 0)}px`;
}
