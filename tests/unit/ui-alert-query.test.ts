/**
 * The alert table's filtering, sorting and grouping (src/ui/alertQuery.ts),
 * checked here on plain summaries rather than only through Chromium.
 */
import { describe, expect, it } from 'vitest';
import type { TriageStatus } from '../../src/core/alerts/triage';
import { VARIATIONS, type VariationId } from '../../src/core/settings/variations';
import {
  filterAlerts,
  indexAlerts,
  ipv4Number,
  isFiltering,
  NO_FILTER,
  sortAlerts,
  tableRows,
  topValues,
  type AlertFilter,
} from '../../src/ui/alertQuery';
import type { AlertSummary } from '../../src/worker/api';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 8, 20);

function summary(
  index: number,
  variation: VariationId,
  host: string,
  client: string,
  domain: string,
  firstSeen: number,
): AlertSummary {
  return {
    index,
    id: `a${index}`,
    variation,
    severity: VARIATIONS[variation].severity,
    host,
    user: index === 2 ? 'CORP\\alice' : '',
    client,
    domain,
    firstSeen,
    lastSeen: firstSeen + 60_000,
    count: index + 1,
    image: null,
    claimedUserAgent: null,
  };
}

const alerts: AlertSummary[] = [
  summary(0, 'website_access', '10.0.0.10', 'curl', 'example.com', T0 + DAY),
  summary(1, 'text_share_upload', '10.0.0.9', 'powershell', 'pastebin.com', T0),
  summary(2, 'website_upload', 'ws-finance', 'python-requests', 'files.example.net', T0 + 2 * DAY),
  summary(3, 'text_share_download', '10.0.0.9', 'powershell', 'pastebin.com', T0 + 3 * DAY),
  summary(4, 'website_access', '10.0.1.1', 'curl', 'api-example.org', T0 + DAY),
];
const index = indexAlerts(alerts);
const status: Record<string, TriageStatus> = { a1: 'malicious', a3: 'investigating' };
const statusOf = (id: string): TriageStatus => status[id] ?? 'new';
const ids = (list: readonly AlertSummary[]): number[] => list.map((a) => a.index);
const filter = (f: Partial<AlertFilter>, hits: ReadonlySet<number> | null = null): number[] =>
  ids(filterAlerts(alerts, index, { ...NO_FILTER, ...f }, statusOf, hits));

describe('ipv4Number', () => {
  it('reads dotted quads as numbers, so 10.0.0.9 comes before 10.0.0.10', () => {
    expect(ipv4Number('10.0.0.9')).toBeLessThan(ipv4Number('10.0.0.10'));
    expect(ipv4Number('0.0.1.0')).toBe(256);
  });

  it('is NaN for anything that is not one', () => {
    for (const s of ['ws-finance', '10.0.0', '10.0.0.256', '1.2.3.4.5', '1..2.3', '', '10.0.0.1 '])
      expect(ipv4Number(s)).toBeNaN();
  });
});

describe('filterAlerts', () => {
  it('passes everything through without a filter', () => {
    expect(isFiltering(NO_FILTER)).toBe(false);
    expect(isFiltering({ ...NO_FILTER, host: '  ' })).toBe(false);
    expect(filter({})).toEqual([0, 1, 2, 3, 4]);
  });

  it('filters by severity, variation, status, host and domain substrings (case ignored)', () => {
    expect(filter({ severities: ['high', 'medium'] })).toEqual([1, 3]);
    expect(filter({ variation: 'website_access' })).toEqual([0, 4]);
    expect(filter({ statuses: ['new'] })).toEqual([0, 2, 4]);
    expect(filter({ statuses: ['investigating', 'malicious'] })).toEqual([1, 3]);
    expect(filter({ host: ' 10.0.0.' })).toEqual([0, 1, 3]);
    expect(filter({ domain: 'EXAMPLE' })).toEqual([0, 2, 4]);
    expect(filter({ host: '10.0.0.9', variation: 'text_share_upload' })).toEqual([1]);
  });

  it('keeps alerts first seen on the UTC days asked for, both ends included', () => {
    const day = Math.floor(T0 / DAY);
    expect(filter({ from: day + 1, to: day + 2 })).toEqual([0, 2, 4]);
    expect(filter({ from: day + 3 })).toEqual([3]);
    expect(filter({ to: day })).toEqual([1]);
  });

  it('needs every word of the text in the row, unless the worker says where the words are', () => {
    expect(filter({ text: 'pastebin upload' })).toEqual([1]);
    expect(filter({ text: 'ALICE' })).toEqual([2]);
    expect(filter({ text: 'informational curl' })).toEqual([0, 4]);
    // The worker searched the evidence too: its hits decide, the other filters still apply.
    expect(filter({ text: 'api_post' }, new Set([3, 4]))).toEqual([3, 4]);
    expect(filter({ text: 'api_post', severities: ['medium'] }, new Set([3, 4]))).toEqual([3]);
  });
});

describe('sortAlerts', () => {
  const sorted = (key: Parameters<typeof sortAlerts>[2], dir: 'asc' | 'desc'): number[] =>
    ids(sortAlerts(alerts, index, key, dir, statusOf));

  it('sorts by severity, most severe first, ties by first seen then order', () => {
    expect(sorted('severity', 'desc')).toEqual([1, 3, 2, 0, 4]);
  });

  it('sorts addresses in numeric order, before names', () => {
    expect(sorted('host', 'asc')).toEqual([1, 3, 0, 4, 2]);
    expect(sorted('host', 'desc')).toEqual([2, 4, 0, 1, 3]);
  });

  it('sorts by triage status in the order of the statuses (new, investigating, benign, malicious)', () => {
    expect(sorted('status', 'asc')).toEqual([2, 0, 4, 3, 1]);
  });

  it('sorts by count and by first seen', () => {
    expect(sorted('count', 'desc')).toEqual([4, 3, 2, 1, 0]);
    expect(sorted('firstSeen', 'asc')).toEqual([1, 0, 4, 2, 3]);
  });

  it('leaves the input as it was', () => {
    sortAlerts(alerts, index, 'count', 'desc', statusOf);
    expect(ids(alerts)).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('tableRows', () => {
  it('is one row per alert without grouping', () => {
    expect(tableRows(alerts, '').map((r) => r.members.length)).toEqual([1, 1, 1, 1, 1]);
  });

  it('groups by host, client and domain, the group where its first member is', () => {
    const rows = tableRows(sortAlerts(alerts, index, 'severity', 'desc', statusOf), 'host');
    expect(rows.map((r) => ids(r.members))).toEqual([[1, 3], [2], [0], [4]]);
  });

  it('groups by client and domain across hosts', () => {
    const twoHosts = [...alerts, summary(5, 'website_access', '10.0.0.77', 'curl', 'example.com', T0 + 4 * DAY)];
    expect(tableRows(twoHosts, 'pair').map((r) => [r.lead.index, ids(r.members)])).toEqual([
      [0, [0, 5]],
      [1, [1, 3]],
      [2, [2]],
      [4, [4]],
    ]);
  });
});

describe('topValues', () => {
  it('gives the most frequent values first, ties in order, blanks left out', () => {
    expect(topValues(['b', 'a', '', 'b', 'c', 'a', 'b', ''], 2)).toEqual(['b', 'a']);
    expect(topValues(['z', 'y'], 5)).toEqual(['y', 'z']);
  });
});
