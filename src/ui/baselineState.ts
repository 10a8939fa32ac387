import type { Counts } from '../core/sources/counts';

const DAY_MS = 86_400_000;

/**
 * What the baseline holds, in numbers the page can state: days with events
 * against days spanned, and the baseline window before the latest event (the
 * data's "now"). `status`: `none` before any event; `learning` before the
 * activation; `empty` when the activation is past but the window before the
 * latest event holds no day of data (nothing to compare the latest events
 * with, so "Active" would not be true); `active` otherwise.
 */
export interface BaselineState {
  status: 'none' | 'learning' | 'empty' | 'active';
  /** UTC days with at least one event, and days from the first to the last, both included. */
  daysWithData: number;
  daysSpanned: number;
  /** The window's length (settings.trainingDays) and its days with data, the latest event's own day left out. */
  windowDays: number;
  windowDaysWithData: number;
}

/** `activeFrom`: Analysis.activeFrom; `trainingDays`: the baseline window of the settings in force. */
export function baselineState(counts: Counts, activeFrom: number | null, trainingDays: number): BaselineState {
  const days = Object.keys(counts.perDay).map(Number);
  if (counts.maxTime === null || counts.minTime === null || days.length === 0) {
    return { status: 'none', daysWithData: 0, daysSpanned: 0, windowDays: trainingDays, windowDaysWithData: 0 };
  }
  const last = Math.floor(counts.maxTime / DAY_MS);
  const first = Math.floor(counts.minTime / DAY_MS);
  const windowDaysWithData = days.filter((d) => d < last && d >= last - trainingDays).length;
  const status = activeFrom === null || counts.maxTime < activeFrom ? 'learning' : windowDaysWithData === 0 ? 'empty' : 'active';
  return { status, daysWithData: days.length, daysSpanned: last - first + 1, windowDays: trainingDays, windowDaysWithData };
}
