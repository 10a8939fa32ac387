import { describe, expect, it } from 'vitest';
import { emptyCounts, type Counts } from '../../src/core/sources/counts';
import { baselineState } from '../../src/ui/baselineState';

const DAY = 86_400_000;

/** Counts with one event on each of these UTC day numbers. */
function onDays(days: number[]): Counts {
  const c = emptyCounts();
  for (const d of days) c.perDay[d] = [1, 0, 0];
  c.minTime = Math.min(...days) * DAY + 3_600_000;
  c.maxTime = Math.max(...days) * DAY + 3_600_000;
  return c;
}

describe('the baseline state the summary states', () => {
  it('two days fourteen years apart: past the activation, but the window before the latest event is empty', () => {
    // 2008-05-16 and 2022-02-08, as the real sensor samples.
    const first = Date.UTC(2008, 4, 16) / DAY;
    const last = Date.UTC(2022, 1, 8) / DAY;
    const s = baselineState(onDays([first, last]), (first + 14) * DAY, 30);
    expect(s).toEqual({ status: 'empty', daysWithData: 2, daysSpanned: 5017, windowDays: 30, windowDaysWithData: 0 });
  });

  it('a full window is active; a thin one is active and counted', () => {
    const days = Array.from({ length: 45 }, (_, i) => 20000 + i);
    expect(baselineState(onDays(days), (20000 + 14) * DAY, 30)).toMatchObject({ status: 'active', windowDaysWithData: 30 });
    const thin = baselineState(onDays([20000, 20010, 20040, 20044]), (20000 + 14) * DAY, 30);
    expect(thin).toMatchObject({ status: 'active', daysWithData: 4, daysSpanned: 45, windowDaysWithData: 1 });
  });

  it('before the activation it is learning; with no events, none', () => {
    expect(baselineState(onDays([20000, 20005]), (20000 + 14) * DAY, 30).status).toBe('learning');
    expect(baselineState(emptyCounts(), null, 30)).toMatchObject({ status: 'none', daysWithData: 0, daysSpanned: 0 });
  });
});
