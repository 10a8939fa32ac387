/**
 * The alert table's pure parts: what a grouped row says (src/ui/rowText.ts),
 * how the columns share the room (src/ui/alertColumns.ts), the evidence
 * record's words (src/ui/evidenceRecord.ts) and what the search looks at
 * (src/worker/alertSearch.ts).
 */
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../src/core/alerts/alert';
import { fitWidths, gridFor, minWidthFor } from '../../src/ui/alertColumns';
import type { AlertRow } from '../../src/ui/alertQuery';
import { evidenceRecord } from '../../src/ui/evidenceRecord';
import { cellText, cellTitle, nameText, rowNotes } from '../../src/ui/rowText';
import type { AlertSummary, EvidenceRow } from '../../src/worker/api';
import { searchAlerts } from '../../src/worker/alertSearch';

function summary(id: string, host: string, user: string): AlertSummary {
  return {
    id,
    index: Number(id),
    variation: 'website_access',
    severity: 'informational',
    host,
    user,
    client: 'go-http-client',
    domain: 'badcdn.top',
    firstSeen: Date.UTC(2026, 9, 6, 4),
    lastSeen: Date.UTC(2026, 9, 6, 4),
    count: 1,
    image: null,
    claimedUserAgent: null,
  };
}

function row(...members: AlertSummary[]): AlertRow {
  return { lead: members[0], members };
}

describe('a grouped row', () => {
  const group = row(
    summary('1', '10.20.0.10', 'corp\\noor.t'),
    summary('2', '10.20.0.125', 'corp\\oskar.m'),
    summary('3', '10.20.0.90', 'corp\\niaj.p'),
  );

  it('says how many users and hosts it holds, and lists every one on hover', () => {
    expect(cellText(group, 'user')).toBe('3 users');
    expect(cellText(group, 'host')).toBe('3 hosts');
    expect(cellTitle(group, 'user')).toBe('corp\\noor.t, corp\\oskar.m, corp\\niaj.p');
    expect(cellTitle(group, 'host')).toBe('10.20.0.10, 10.20.0.125, 10.20.0.90');
    expect(nameText(group)).toMatch(/^3 alerts: .+, …$/);
  });

  it('names the one value its alerts share, and a missing user as such', () => {
    const same = row(summary('1', '10.0.0.1', 'corp\\a'), summary('2', '10.0.0.1', 'corp\\a'));
    expect(cellText(same, 'user')).toBe('corp\\a');
    expect(cellText(same, 'host')).toBe('10.0.0.1');
    const some = row(summary('1', '10.0.0.1', ''), summary('2', '10.0.0.1', 'corp\\a'));
    expect(cellText(some, 'user')).toBe('2 users');
    expect(cellTitle(some, 'user')).toBe('(no user), corp\\a');
    expect(cellText(row(summary('1', '10.0.0.1', '')), 'user')).toBe('—');
  });

  it('has a note marker when any of its alerts has a note, each note once', () => {
    const notes: Record<string, string> = { '1': 'owner confirmed', '3': 'owner confirmed', '2': '  ' };
    expect(rowNotes(group, (id) => notes[id] ?? '')).toEqual(['owner confirmed']);
    expect(rowNotes(group, () => '')).toEqual([]);
  });
});

describe('fitWidths', () => {
  const cols = [
    { key: 'name' as const, least: 220, need: 540 },
    { key: 'host' as const, least: 110, need: 100 },
    { key: 'client' as const, least: 130, need: 170 },
  ];

  it('gives every column at least its widest value when the room is there, the extra in proportion', () => {
    const w = fitWidths(cols, 1000);
    expect(w.get('name')).toBeGreaterThanOrEqual(540);
    expect(w.get('host')).toBeGreaterThanOrEqual(110);
    expect(w.get('client')).toBeGreaterThanOrEqual(170);
    expect([...w.values()].reduce((s, x) => s + x, 0)).toBeLessThanOrEqual(1000);
  });

  it('out of room, cuts only the widest, and not below its least width', () => {
    const w = fitWidths(cols, 600);
    expect(w.get('host')).toBe(110);
    expect(w.get('client')).toBe(170);
    expect(w.get('name')).toBe(320);
    const tight = fitWidths(cols, 300);
    expect(tight.get('name')).toBe(220);
    expect(tight.get('client')).toBe(130);
  });

  it('the grid never asks for more than the table width, down to the least width', () => {
    const template = gridFor(false, 1366, { name: 540, host: 100, user: 120, client: 170, domain: 220 });
    const px = [...template.matchAll(/(\d+)px/g)].reduce((s, m) => s + Number(m[1]), 0);
    expect(px).toBeLessThanOrEqual(1366);
    expect(px).toBeGreaterThanOrEqual(Number.parseInt(minWidthFor(false)));
  });
});

describe('the evidence record', () => {
  const ev: EvidenceRow = {
    time: Date.UTC(2026, 8, 18, 2, 13, 41),
    host: '10.20.0.145',
    user: '',
    method: 'POST',
    url: 'pastebin.com/api/api_post.php',
    userAgent: 'curl/8.4.0',
    contentType: '',
    bytesOut: 18_734,
    bytesIn: 412,
    action: 'alert',
    file: 'http.log',
    line: 47,
    hostname: 'pastebin.com',
    path: '/api/api_post.php',
    textShare: true,
    api: true,
    html: true,
    uploadMethod: true,
    upload: true,
    variation: 'text_share_upload',
    format: 'zeek-tsv',
    process: null,
    uaClaimsBrowser: false,
  };

  it('writes its time as the rest of the page does, and says a source logs no user', () => {
    const rec = new Map(evidenceRecord(ev, summary('1', ev.host, '')));
    expect(rec.get('Time (UTC)')).toBe('2026-09-18 02:13:41');
    expect(rec.get('User')).toBe('none (this source logs no user)');
    expect(rec.get('Source')).toBe('http.log, line 47 (Zeek http.log (TSV))');
  });
});

describe('searchAlerts', () => {
  const alert = (method: string, url: string): Alert => ({
    variation: 'text_share_upload',
    host: '10.1.2.3',
    user: 'corp\\alice',
    client: 'curl',
    domain: 'example.org',
    firstSeen: 0,
    lastSeen: 0,
    count: 1,
    explanation: {
      hostsWithKeyInWindow: 0,
      hostSeenKeyInWindow: false,
      windowDays: 30,
      rareHosts: 3,
      upload: true,
      historyMs: 0,
    },
    evidence: [
      {
        time: 0,
        host: '10.1.2.3',
        user: 'corp\\alice',
        userAgent: 'curl/8.4.0',
        url,
        method,
        contentType: '',
        bytesOut: 1,
        bytesIn: 1,
        action: 'allow',
        source: { file: 'a.log', line: 1 },
        process: null,
        uaClaimsBrowser: false,
      },
    ],
  });

  it("looks at the evidence's HTTP method", () => {
    const alerts = [alert('PUT', 'example.org/upload'), alert('GET', 'example.org/a')];
    expect(searchAlerts(alerts, 'put')).toEqual([0]);
    expect(searchAlerts(alerts, 'GET')).toEqual([1]);
    expect(searchAlerts(alerts, 'delete')).toEqual([]);
  });
});
