/**
 * Schema versions: a database written by version 1 (created here with raw
 * Dexie and only the version 1 schema, as an earlier Offbrowse left it) is
 * opened by the app's db module, upgraded to the current version, and its
 * data is intact.
 */
import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { emptyCounts } from '../../src/core/sources/counts';
import type { CompactEvent } from '../../src/core/events/columns';
import { mergeSources, runSource } from '../../src/core/runs/merge';
import { loadHistory } from '../../src/db/loadHistory';
import { DbRunStore } from '../../src/db/runs';
import { openDatabase } from '../../src/db/open';
import { SCHEMA_V1, SCHEMA_VERSION } from '../../src/db/schema';
import { freshProfile } from '../helpers/fake-db';

const event = {
  time: Date.UTC(2026, 8, 20, 12),
  host: '10.0.0.5',
  user: 'corp\\ann',
  userAgent: 'curl/8.4.0',
  image: '',
  url: 'pastebin.com/raw/x',
  hostname: 'pastebin.com',
  path: '/raw/x',
  method: 'GET',
  contentType: '',
  bytesOut: null,
  bytesIn: null,
  action: 'allow',
  source: { file: 'day.log', line: 7 },
  session: '',
  client: 'curl',
  domain: 'pastebin.com',
};

describe('schema upgrade', () => {
  it('opens a version 1 database and finds its data intact, in the current form', async () => {
    const profile = freshProfile();
    const v1 = new Dexie('offbrowse', profile.dexie);
    v1.version(1).stores({ ...SCHEMA_V1 });
    const counts = {
      ...emptyCounts(),
      lines: 9,
      nonBrowser: 2,
      minTime: event.time,
      maxTime: event.time + 1000,
      perDay: { 20716: [0, 2, 0] },
    };
    const report = {
      name: 'day.log',
      bytes: 900,
      gzip: false,
      format: 'panos-syslog',
      error: null,
      counts,
      elapsedMs: 3,
      fingerprint: 'sha256-blocks:aa',
      duplicateOf: null,
    };
    await v1.table('events').add({ file: 'sha256-blocks:aa', events: [event, { ...event, time: event.time + 1000 }] });
    await v1.table('files').add({
      fingerprint: 'sha256-blocks:aa',
      name: 'day.log',
      bytes: 900,
      firstEvent: event.time,
      lastEvent: event.time + 1000,
      rows: 9,
      addedAt: 1,
      demo: false,
      report,
    });
    await v1.table('baseline').add({
      client: 'curl',
      domain: 'pastebin.com',
      upload: 0,
      host: '10.0.0.5',
      firstSeen: event.time,
      lastSeen: event.time + 1000,
      count: 2,
    });
    await v1.table('triage').bulkAdd([
      { id: 'a', status: 'benign', note: 'backup job', changedAt: '2026-10-01T00:00:00.000Z' },
      { id: 'b', status: 'malicious', note: '', changedAt: '2026-10-02T00:00:00.000Z' },
    ]);
    await v1.table('meta').bulkPut([
      { key: 'history', value: { counts, demoLoaded: false, revision: 4 } },
      { key: 'settings', value: { rareHosts: 5 } },
    ]);
    v1.close();

    const db = await openDatabase(profile);
    expect(db.verno).toBe(SCHEMA_VERSION);
    const stored = await loadHistory(db);
    // Version 3: the events moved into one sorted run of compact blocks, keyed to their file by its fingerprint.
    const got: CompactEvent[] = [];
    await mergeSources(
      stored.runs.map((r) => runSource(new DbRunStore(db, 'read'), r)),
      { event: (e) => got.push(e) },
    );
    expect(got.map((e) => [e.time, e.host, e.client, e.domain, e.url, e.file, e.line, e.source, e.flags])).toEqual([
      [event.time, '10.0.0.5', 'curl', 'pastebin.com', 'pastebin.com/raw/x', 'day.log', 7, 'sha256-blocks:aa', 1 | 4],
      [event.time + 1000, '10.0.0.5', 'curl', 'pastebin.com', 'pastebin.com/raw/x', 'day.log', 7, 'sha256-blocks:aa', 1 | 4],
    ]);
    expect(stored.files).toEqual([{ key: 'sha256-blocks:aa', report, demo: false, addedAt: 1 }]);
    expect(stored.counts).toEqual(counts);
    // Version 4: the old tables are gone; the alerts are made again.
    expect(db.tables.map((t) => t.name).sort()).toEqual(['alerts', 'blocks', 'files', 'meta', 'runs', 'triage']);
    expect(stored.alertsRevision).toBeNull();
    expect(stored.revision).toBe(4);
    expect(stored.settings?.rareHosts).toBe(5);
    expect(stored.triage).toEqual({
      a: { status: 'benign', note: 'backup job', changedAt: '2026-10-01T00:00:00.000Z' },
      b: { status: 'malicious', note: '', changedAt: '2026-10-02T00:00:00.000Z' },
    });
    // Version 2: file and event totals in the history row, and triage indexed by status and time.
    const history = (await db.meta.get('history'))?.value as { fileCount: number; eventCount: number };
    expect(history.fileCount).toBe(1);
    expect(history.eventCount).toBe(2);
    expect(await db.triage.where('status').equals('malicious').primaryKeys()).toEqual(['b']);
    expect(await db.triage.orderBy('changedAt').reverse().primaryKeys()).toEqual(['b', 'a']);
    db.close();
  });

  it('refuses a database from a newer Offbrowse with a plain message', async () => {
    const profile = freshProfile();
    const newer = new Dexie('offbrowse', profile.dexie);
    newer.version(SCHEMA_VERSION + 1).stores({ ...SCHEMA_V1, extra: 'id' });
    await newer.open();
    newer.close();
    await expect(openDatabase(profile)).rejects.toThrow(/newer version of Offbrowse/);
  });
});
