/**
 * The repository functions of src/db over fake-indexeddb: a file's commit is
 * all or nothing, refuses repeated content and stale writers; alerts are
 * written only when they change; errors become plain messages.
 */
import { describe, expect, it } from 'vitest';
import type { Candidate } from '../../src/core/event';
import type { AlertRecord } from '../../src/core/record';
import { defaultSettings } from '../../src/core/settings';
import { emptyCounts } from '../../src/core/stats';
import { alertSignature, saveAnalysis } from '../../src/db/alerts';
import { baselineChange, baselineDbRows } from '../../src/db/baseline';
import { commitFile, type FileCommit } from '../../src/db/commitFile';
import { toBlocks } from '../../src/db/eventBlocks';
import { loadHistory } from '../../src/db/loadHistory';
import { historyMeta } from '../../src/db/meta';
import { openDatabase } from '../../src/db/open';
import { storageProblem } from '../../src/db/problems';
import { clearHistory, fileRow } from '../../src/db/replaceHistory';
import { EVENT_BLOCK } from '../../src/db/rows';
import { freshProfile } from '../helpers/fake-db';

function event(i: number, over: Partial<Candidate> = {}): Candidate {
  return {
    time: Date.UTC(2026, 8, 20) + i * 1000, host: `10.0.0.${i % 3}`, user: '', userAgent: 'curl/8.4.0', image: '',
    url: `example.com/${i}`, hostname: 'example.com', path: `/${i}`, method: 'GET', contentType: '', bytesOut: null,
    bytesIn: null, action: 'allow', source: { file: 'a.log', line: i + 1 }, session: '', client: 'curl', domain: 'example.com',
    ...over,
  };
}

function commit(fingerprint: string, events: Candidate[], expectRevision: number): FileCommit {
  const counts = { ...emptyCounts(), lines: events.length, nonBrowser: events.length, minTime: events[0].time, maxTime: events[events.length - 1].time };
  const report = { name: `${fingerprint}.log`, bytes: 100, gzip: false, format: 'panos-syslog' as const, error: null, counts, elapsedMs: 1, fingerprint, duplicateOf: null };
  return {
    expectRevision,
    file: fileRow(report, false, 1),
    blocks: toBlocks(fingerprint, events),
    events: events.length,
    counts,
    rewrite: [],
    baseline: baselineChange([], events, [], 1024),
  };
}

describe('commitFile', () => {
  it('writes a file whole, in blocks, and counts it', async () => {
    const db = await openDatabase(freshProfile());
    const events = Array.from({ length: EVENT_BLOCK + 5 }, (_, i) => event(i));
    const result = await commitFile(db, commit('f1', events, 0));
    expect(result).toMatchObject({ status: 'committed', revision: 1 });
    expect(await db.events.count()).toBe(2);
    const stored = await loadHistory(db);
    expect(stored.collected.candidates).toEqual(events);
    expect(stored.collected.files.map((f) => f.fingerprint)).toEqual(['f1']);
    expect(await historyMeta(db.meta)).toMatchObject({ revision: 1, fileCount: 1, eventCount: events.length });
    expect(await db.baseline.count()).toBe(3);
  });

  it('refuses content already stored, and a writer whose copy is stale, writing nothing', async () => {
    const db = await openDatabase(freshProfile());
    await commitFile(db, commit('f1', [event(1)], 0));
    expect(await commitFile(db, commit('f1', [event(2)], 1))).toEqual({ status: 'duplicate', of: 'f1.log' });
    expect(await commitFile(db, commit('f2', [event(3)], 0))).toEqual({ status: 'stale' });
    expect(await db.events.count()).toBe(1);
    expect((await historyMeta(db.meta)).revision).toBe(1);
  });

  it('leaves the database as it was when any part of the file fails', async () => {
    const db = await openDatabase(freshProfile());
    await commitFile(db, commit('f1', [event(1)], 0));
    const bad = commit('f2', [event(2), event(3)], 1);
    // An invalid key in the last write of the transaction, after the events went in.
    bad.baseline.put.push({ ...bad.baseline.put[0], host: undefined as unknown as string });
    await expect(commitFile(db, bad)).rejects.toThrow();
    expect(await db.events.count()).toBe(1);
    expect(await db.files.count()).toBe(1);
    expect(await historyMeta(db.meta)).toMatchObject({ revision: 1, fileCount: 1, eventCount: 1 });
  });

  it('clears everything but the settings on reset', async () => {
    const db = await openDatabase(freshProfile());
    await commitFile(db, commit('f1', [event(1)], 0));
    await db.triage.put({ id: 'x', status: 'benign', note: '', changedAt: '2026-10-01T00:00:00.000Z' });
    await db.meta.put({ key: 'settings', value: { ...defaultSettings(), rareHosts: 4 } });
    expect(await clearHistory(db)).toBe(2);
    expect(await db.events.count()).toBe(0);
    expect(await db.triage.count()).toBe(0);
    expect((await loadHistory(db)).settings?.rareHosts).toBe(4);
  });
});

describe('baseline rows', () => {
  it('keep per key and host the first and last time and the count, an upload row for uploads', () => {
    const rows = baselineDbRows([event(0), event(3), event(6, { method: 'POST' })], 1024);
    expect(rows).toEqual([
      { client: 'curl', domain: 'example.com', upload: 0, host: '10.0.0.0', firstSeen: event(0).time, lastSeen: event(6).time, count: 3 },
      { client: 'curl', domain: 'example.com', upload: 1, host: '10.0.0.0', firstSeen: event(6).time, lastSeen: event(6).time, count: 1 },
    ]);
  });

  it('drop an upload row when byte counts show it was not one', () => {
    const post = event(0, { method: 'POST' });
    const before = baselineDbRows([post], 1024);
    expect(before.some((r) => r.upload === 1)).toBe(true);
    post.bytesOut = 10;
    const change = baselineChange([post], [], [post], 1024);
    expect(change.put.every((r) => r.upload === 0)).toBe(true);
    expect(change.remove).toEqual([['curl', 'example.com', 1, '10.0.0.0']]);
  });
});

describe('saveAnalysis', () => {
  const record = (id: string, count: number): AlertRecord => ({
    id, variation: 'website_access', name: 'n', severity: 'informational', description: 'd', host: 'h', user: null,
    client: 'curl', domain: 'example.com', first_seen: '2026-09-20T00:00:00.000Z', last_seen: '2026-09-20T00:00:00.000Z', count,
    mitre: { tactic: 'TA0011', technique: 'T1102' },
    explanation: { hosts_with_key_in_window: 0, host_seen_key_in_window: false, window_days: 30, rare_hosts: 3, tested_key: { client: 'curl', domain: 'example.com', upload: false } },
    evidence: [], settings: defaultSettings(),
  });

  it('writes the new and changed alerts, deletes the gone, and leaves the rest', async () => {
    const db = await openDatabase(freshProfile());
    const settings = defaultSettings();
    expect(await saveAnalysis(db, { revision: 0, alerts: [record('a', 1), record('b', 1)], settings, baseline: null })).toBe(true);
    let writes = 0;
    db.alerts.hook('creating', () => void writes++);
    expect(await saveAnalysis(db, { revision: 0, alerts: [record('a', 1), record('c', 1)], settings, baseline: null })).toBe(true);
    expect(writes).toBe(1);
    expect((await db.alerts.toArray()).map((r) => r.id).sort()).toEqual(['a', 'c']);
    expect((await db.alerts.get('a'))?.sig).toBe(alertSignature(record('a', 1)));
    // A save made for an older revision (another tab wrote since) is skipped.
    expect(await saveAnalysis(db, { revision: 7, alerts: [], settings, baseline: null })).toBe(false);
    expect(await db.alerts.count()).toBe(2);
  });
});

describe('storage problems', () => {
  it('find a full disk behind Dexie wrappers and say it plainly', () => {
    const quota = { name: 'AbortError', inner: { name: 'QuotaExceededError', message: 'quota' } };
    expect(storageProblem(quota).kind).toBe('quota');
    expect(storageProblem(quota).message).toMatch(/no more storage/);
    expect(storageProblem({ name: 'BulkError', failures: [{ name: 'QuotaExceededError' }] }).kind).toBe('quota');
    expect(storageProblem({ name: 'MissingAPIError' }).kind).toBe('unavailable');
    expect(storageProblem(new Error('odd')).message).toMatch(/database failed: odd/);
  });
});
