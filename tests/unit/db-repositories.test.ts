/**
 * The database's repositories (src/db) on fake-indexeddb: runs written as
 * pending and read back block by block; a batch committed whole or not at
 * all, content already stored refused; replacing and clearing; alerts saved
 * by change; storage problems in words.
 */
import { describe, expect, it } from 'vitest';
import { BLOCK_EVENTS } from '../../src/core/runs/block';
import { ColumnsBuilder, HOST, SOURCE, sortColumns, type CompactEvent } from '../../src/core/events/columns';
import { runSource, mergeSources } from '../../src/core/runs/merge';
import { writeEventsRun, type RunRef } from '../../src/core/runs/runStore';
import type { AlertRecord } from '../../src/core/alerts/record';
import { defaultSettings } from '../../src/core/settings/settings';
import type { ManifestEntry } from '../../src/core/state/state';
import { emptyCounts } from '../../src/core/sources/counts';
import { alertSignature, saveAnalysis } from '../../src/db/alerts';
import { commitBatch } from '../../src/db/commitBatch';
import { loadHistory } from '../../src/db/loadHistory';
import { historyMeta } from '../../src/db/meta';
import { openDatabase } from '../../src/db/open';
import { storageProblem } from '../../src/db/problems';
import { clearHistory, replaceHistory } from '../../src/db/replaceHistory';
import { DbRunStore, runId } from '../../src/db/runs';
import type { OffbrowseDb } from '../../src/db/schema';
import { freshProfile } from '../helpers/fake-db';

const T0 = Date.UTC(2026, 8, 20);

/** A sorted run of `n` events of file `key`, written pending to the database. */
async function run(db: OffbrowseDb, key: string, n: number, owner = 'test'): Promise<RunRef> {
  const b = new ColumnsBuilder();
  for (let i = 0; i < n; i++) {
    const j = b.push(T0 + i * 1000, 4, null, null, i + 1, `example.com/${i}`, '');
    b.setText(j, HOST, b.code(`10.0.0.${i % 3}`));
    b.setText(j, SOURCE, b.code(key));
  }
  return writeEventsRun(new DbRunStore(db, owner), sortColumns(b.build()));
}

function entry(key: string, fingerprint: string | null, events: number): ManifestEntry {
  const counts = { ...emptyCounts(), lines: events, nonBrowser: events, minTime: T0, maxTime: T0 + events * 1000 };
  return {
    key,
    demo: false,
    addedAt: 1,
    report: {
      name: `${key}.log`,
      bytes: 100,
      gzip: false,
      format: 'panos-syslog',
      error: null,
      counts,
      elapsedMs: 1,
      fingerprint,
      duplicateOf: null,
    },
  };
}

async function events(db: OffbrowseDb, runs: RunRef[]): Promise<CompactEvent[]> {
  const store = new DbRunStore(db, 'read');
  const out: CompactEvent[] = [];
  await mergeSources(
    runs.map((r) => runSource(store, r)),
    { event: (e) => out.push(e) },
  );
  return out;
}

describe('runs', () => {
  it('are written pending, block by block, and read back in order', async () => {
    const db = await openDatabase(freshProfile());
    const ref = await run(db, 'f1', BLOCK_EVENTS * 2 + 5);
    expect(ref).toMatchObject({ count: BLOCK_EVENTS * 2 + 5, minTime: T0, kind: 'events' });
    expect(await db.blocks.count()).toBe(3);
    expect(await db.runs.get(runId(ref))).toMatchObject({ state: 'pending', owner: 'test', blocks: 3 });
    const got = await events(db, [ref]);
    expect(got.map((e) => e.line)).toEqual(Array.from({ length: BLOCK_EVENTS * 2 + 5 }, (_, i) => i + 1));
    await new DbRunStore(db, 'test').delete(ref);
    expect(await db.blocks.count()).toBe(0);
    expect(await db.runs.count()).toBe(0);
  });

  it('are written many blocks to a transaction, a run longer than one group too, its row telling all its blocks', async () => {
    const db = await openDatabase(freshProfile());
    // 16 blocks go in one transaction (src/db/runs.ts GROUP): 37 blocks is three groups, the last one short.
    const n = BLOCK_EVENTS * 36 + 1;
    const ref = await run(db, 'f1', n);
    expect(await db.blocks.count()).toBe(37);
    expect(await db.runs.get(runId(ref))).toMatchObject({ state: 'pending', blocks: 37, count: n, minTime: T0 });
    expect((await events(db, [ref])).map((e) => e.line)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
  });

  it('leave nothing when aborted, before or after a group was written', async () => {
    const db = await openDatabase(freshProfile());
    const one = await run(db, 'f1', 10);
    const [bytes] = await db.blocks.toArray();
    await new DbRunStore(db, 'test').delete(one);
    for (const blocks of [3, 40]) {
      const w = await new DbRunStore(db, 'test').create('events');
      for (let i = 0; i < blocks; i++) await w.add(new Uint8Array(bytes.bytes));
      await w.abort();
      expect([await db.blocks.count(), await db.runs.count()]).toEqual([0, 0]);
    }
  });
});

describe('commitBatch', () => {
  it('adds a batch whole: its runs join the history with its files and counts', async () => {
    const db = await openDatabase(freshProfile());
    const a = await run(db, 'f1', 10);
    const b = await run(db, 'f2', 5);
    const result = await commitBatch(db, {
      files: [entry('f1', 'fp1', 10), entry('f2', 'fp2', 5)],
      runs: [runId(a), runId(b)],
      counts: emptyCounts(),
      events: 15,
    });
    expect(result).toEqual({ status: 'committed', revision: 1, before: 0 });
    const stored = await loadHistory(db);
    expect(stored.runs.map((r) => r.id)).toEqual([a.id, b.id]);
    expect(stored.files.map((f) => f.key)).toEqual(['f1', 'f2']);
    expect(await historyMeta(db.meta)).toMatchObject({ revision: 1, fileCount: 2, eventCount: 15 });
    expect((await events(db, stored.runs)).length).toBe(15);
  });

  it('refuses content already stored, writing nothing, and says which', async () => {
    const db = await openDatabase(freshProfile());
    const a = await run(db, 'f1', 3);
    await commitBatch(db, { files: [entry('f1', 'fp1', 3)], runs: [runId(a)], counts: emptyCounts(), events: 3 });
    const b = await run(db, 'f9', 2);
    const again = await commitBatch(db, { files: [entry('f9', 'fp1', 2)], runs: [runId(b)], counts: emptyCounts(), events: 2 });
    expect(again).toEqual({ status: 'duplicates', files: [{ key: 'f9', of: 'f1.log' }] });
    expect((await db.runs.get(runId(b)))?.state).toBe('pending');
    expect(await historyMeta(db.meta)).toMatchObject({ revision: 1, fileCount: 1, eventCount: 3 });
  });

  it('leaves the database as it was when any part of the batch fails', async () => {
    const db = await openDatabase(freshProfile());
    const a = await run(db, 'f1', 3);
    // Two files with one key: the unique index refuses the second row, after the runs were marked.
    await expect(
      commitBatch(db, {
        files: [entry('f1', 'x1', 1), entry('f1', 'x2', 2)],
        runs: [runId(a)],
        counts: emptyCounts(),
        events: 3,
      }),
    ).rejects.toThrow();
    expect((await db.runs.get(runId(a)))?.state).toBe('pending');
    expect(await db.files.count()).toBe(0);
    expect((await historyMeta(db.meta)).revision).toBe(0);
  });
});

describe('replaceHistory and clearHistory', () => {
  it('replace every run and file in one go, keeping or replacing the triage', async () => {
    const db = await openDatabase(freshProfile());
    const old = await run(db, 'f1', 3);
    await commitBatch(db, { files: [entry('f1', 'fp1', 3)], runs: [runId(old)], counts: emptyCounts(), events: 3 });
    await db.triage.put({ id: 'x', status: 'benign', note: '', changedAt: '2026-10-01T00:00:00.000Z' });
    const fresh = await run(db, 'g1', 4);
    const settings = { ...defaultSettings(), rareHosts: 4 };
    const revision = await replaceHistory(db, {
      files: [entry('g1', 'gp1', 4)],
      runs: [runId(fresh)],
      counts: emptyCounts(),
      events: 4,
      demoLoaded: false,
      settings,
      triage: null,
    });
    expect(revision).toBe(2);
    const stored = await loadHistory(db);
    expect(stored.runs.map((r) => r.id)).toEqual([fresh.id]);
    expect(stored.files.map((f) => f.key)).toEqual(['g1']);
    expect(stored.settings?.rareHosts).toBe(4);
    expect(Object.keys(stored.triage)).toEqual(['x']);
    expect(await db.blocks.count()).toBe(1);

    expect(await clearHistory(db)).toBe(3);
    expect(await db.runs.count()).toBe(0);
    expect(await db.blocks.count()).toBe(0);
    expect(await db.triage.count()).toBe(0);
    expect((await loadHistory(db)).settings?.rareHosts).toBe(4);
  });
});

describe('saveAnalysis', () => {
  const record = (id: string, count: number): AlertRecord => ({
    id,
    variation: 'website_access',
    name: 'n',
    severity: 'informational',
    description: 'd',
    host: 'h',
    user: null,
    client: 'curl',
    domain: 'example.com',
    first_seen: '2026-09-20T00:00:00.000Z',
    last_seen: '2026-09-20T00:00:00.000Z',
    count,
    mitre: { tactic: 'TA0011', technique: 'T1102' },
    explanation: {
      hosts_with_key_in_window: 0,
      host_seen_key_in_window: false,
      window_days: 30,
      rare_hosts: 3,
      tested_key: { client: 'curl', domain: 'example.com', upload: false },
      history_start: null,
      history_days: null,
      history_covers_window: null,
    },
    evidence: [],
    settings: defaultSettings(),
  });

  it('writes the new and changed alerts, deletes the gone, and leaves the rest', async () => {
    const db = await openDatabase(freshProfile());
    const settings = defaultSettings();
    const coverage = {
      files: 0,
      events: 0,
      days: 0,
      firstEvent: null,
      lastEvent: null,
      hosts: 0,
      clients: 0,
      domains: 0,
      keys: 0,
    };
    expect(await saveAnalysis(db, { revision: 0, alerts: [record('a', 1), record('b', 1)], settings, coverage })).toBe(true);
    let writes = 0;
    db.alerts.hook('creating', () => void writes++);
    expect(await saveAnalysis(db, { revision: 0, alerts: [record('a', 1), record('c', 1)], settings, coverage })).toBe(true);
    expect(writes).toBe(1);
    expect((await db.alerts.toArray()).map((r) => r.id).sort()).toEqual(['a', 'c']);
    expect((await db.alerts.get('a'))?.sig).toBe(alertSignature(record('a', 1)));
    // A save made for an older revision (another tab wrote since) is skipped.
    expect(await saveAnalysis(db, { revision: 7, alerts: [], settings, coverage })).toBe(false);
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
