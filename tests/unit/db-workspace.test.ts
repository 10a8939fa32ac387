/**
 * The worker's history over IndexedDB (fake-indexeddb): files added across
 * several "visits" (a new Workspace on the same database each time) give the
 * alerts of one batch; a file already added, under any name, adds nothing;
 * triage outlives re-analysis and visits; the state file goes out and comes
 * back whole; a bad state file changes nothing.
 */
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { generate } from '../../src/core/generate/index';
import { LocalPool } from '../../src/core/ingest/parsePool';
import { defaultSettings } from '../../src/core/settings/settings';
import { putMeta } from '../../src/db/meta';
import { openDatabase, type OpenOptions } from '../../src/db/open';
import { DbStore } from '../../src/worker/dbStore';
import { Workspace } from '../../src/worker/workspace';
import { freshProfile } from '../helpers/fake-db';
import { done as ok, refusal } from '../helpers/outcomes';
import { runCore } from '../helpers/run-core';

const dataset = generate({ days: 24, hosts: 40, seed: 3 });
const files = dataset.files.map((f) => new File([[...f.chunks()].join('')], f.name));
const noProgress = (): void => undefined;

/** What `offbrowse detect --json` gives for the files in one batch. */
async function batchRecords(inputs: File[]): Promise<unknown[]> {
  const files = await Promise.all(inputs.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
  return (await runCore(files, defaultSettings())).records;
}

/** One visit: a new worker over the same database, as after a reload. */
async function visit(profile: OpenOptions): Promise<Workspace> {
  const ws = new Workspace(
    () => DbStore.open(profile),
    (s) => new LocalPool(s),
  );
  await ws.open();
  return ws;
}

async function exported(ws: Workspace): Promise<Record<string, unknown>[]> {
  const { analysis } = await ws.open();
  const out = await ws.exportJsonLines(
    analysis.generation,
    analysis.alerts.map((a) => a.index),
  );
  expect(out, 'the current generation exports').not.toBeNull();
  return (await out!.blob.text())
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

function withoutTriage(records: Record<string, unknown>[]): unknown[] {
  return records.map(({ triage: _triage, ...r }) => r);
}

describe('the stored history', () => {
  it('gives the alerts of one batch when files come over three visits, later days first', async () => {
    const expected = await batchRecords(files);
    expect(expected.length).toBeGreaterThan(0);
    const profile = freshProfile();

    ok(await (await visit(profile)).addFiles(files.slice(16), noProgress));
    ok(await (await visit(profile)).addFiles(files.slice(8, 16), noProgress));
    const third = await visit(profile);
    ok(await third.addFiles(files.slice(0, 8), noProgress));
    expect(withoutTriage(await exported(third))).toEqual(expected);

    const fourth = await visit(profile);
    const opened = await fourth.open();
    expect(opened.storage.mode).toBe('indexeddb');
    expect(opened.analysis.files).toHaveLength(files.length);
    expect(opened.analysis.coverage.files).toBe(files.length);
    expect(withoutTriage(await exported(fourth))).toEqual(expected);
  }, 120_000);

  it('recognises a file already added, under another name, and adds nothing', async () => {
    const profile = freshProfile();
    const first = await visit(profile);
    ok(await first.addFiles(files.slice(0, 20), noProgress));
    const before = await exported(first);
    const second = await visit(profile);
    const copy = new File([await files[3].arrayBuffer()], 'renamed-copy.log');
    const outcome = ok(await second.addFiles([copy], noProgress));
    expect(outcome.files?.duplicates).toEqual([{ name: 'renamed-copy.log', of: files[3].name }]);
    expect(outcome.analysis.coverage.files).toBe(20);
    expect(await exported(second)).toEqual(before);
    expect((await (await visit(profile)).open()).analysis.coverage).toEqual(outcome.analysis.coverage);
  }, 60_000);

  it('keeps triage across visits and across re-analysis with other settings', async () => {
    const profile = freshProfile();
    const first = await visit(profile);
    const { analysis } = ok(await first.addFiles(files, noProgress));
    const [a, b] = analysis.alerts;
    await first.setTriage(a.id, 'investigating', 'ticket 42');
    await first.setTriage(b.id, 'benign', '');

    const second = await visit(profile);
    const opened = await second.open();
    expect(opened.analysis.triage[a.id]).toMatchObject({ status: 'investigating', note: 'ticket 42' });
    // Fewer hosts make a key common (rareHosts 2): some alerts go, the ones that remain keep their triage.
    const later = ok(await second.reanalyse({ ...defaultSettings(), rareHosts: 2 })).analysis;
    expect(later.alerts.some((x) => x.id === a.id)).toBe(true);
    expect(later.triage[a.id]?.status).toBe('investigating');
    // The page exports what it shows: here, only the alerts with status investigating.
    const shown = later.alerts.filter((x) => later.triage[x.id]?.status === 'investigating').map((x) => x.index);
    const onlyInvestigating = await second.exportJsonLines(later.generation, shown);
    expect(onlyInvestigating).not.toBeNull();
    const lines = (await onlyInvestigating!.blob.text()).split('\n').filter((l) => l !== '');
    expect(lines.map((l) => (JSON.parse(l) as { id: string }).id)).toEqual([a.id]);
    expect(JSON.parse(lines[0]).triage).toMatchObject({ status: 'investigating', note: 'ticket 42' });

    const third = await visit(profile);
    expect((await third.open()).analysis.settings.rareHosts).toBe(2);
  }, 60_000);

  it('exports the state and imports it into an empty profile, whole', async () => {
    const a = await visit(freshProfile());
    const { analysis } = ok(await a.addFiles(files, noProgress));
    await a.setTriage(analysis.alerts[0].id, 'malicious', 'confirmed');
    const state = await a.exportState();
    expect(state.fileName).toMatch(/^offbrowse-state-\d{4}-\d\d-\d\d\.jsonl\.gz$/);

    const profileB = freshProfile();
    const b = await visit(profileB);
    ok(await b.importState(new File([state.blob], state.fileName)));
    const again = await visit(profileB);
    expect(await exported(again)).toEqual(await exported(a));
    // The same lines but the time of saving (and the file keys, which name the history they were added to).
    const lines = async (blob: Blob): Promise<unknown[]> =>
      gunzipSync(new Uint8Array(await blob.arrayBuffer()))
        .toString('utf8')
        .trim()
        .split('\n')
        .map((l) => {
          const v = JSON.parse(l) as Record<string, unknown>;
          return v.format === undefined ? v : { ...v, savedAt: '' };
        });
    expect(await lines((await again.exportState()).blob)).toEqual(await lines(state.blob));
  }, 60_000);

  it('refuses a corrupt or newer state file and keeps what is stored', async () => {
    const profile = freshProfile();
    const ws = await visit(profile);
    ok(await ws.addFiles(files.slice(0, 16), noProgress));
    const before = await exported(ws);
    for (const [name, text, why] of [
      ['newer.json', JSON.stringify({ format: 'offbrowse-state', version: 99 }), /newer than this Offbrowse/],
      ['broken.json', '{"format": "offbrowse-st', /not valid JSON/],
      ['other.json', JSON.stringify({ hello: 1 }), /not an Offbrowse state file/],
    ] as const) {
      const refused = refusal(await ws.importState(new File([text], name)));
      expect(refused).toMatchObject({
        kind: 'state-not-imported',
        file: name,
        cause: 'file',
        reason: expect.stringMatching(why),
      });
    }
    expect(await exported(await visit(profile))).toEqual(before);
  }, 60_000);

  it('two tabs adding files to the same baseline count each file once', async () => {
    const profile = freshProfile();
    const tabA = await visit(profile);
    const tabB = await visit(profile);
    ok(await tabA.addFiles(files.slice(0, 12), noProgress));
    // B's copy is stale: its commit notices, and it reads the stored history again.
    ok(await tabB.addFiles(files.slice(12), noProgress));
    const again = ok(await tabB.addFiles([files[0]], noProgress));
    expect(again.files?.duplicates).toEqual([{ name: files[0].name, of: files[0].name }]);
    expect(withoutTriage(await exported(tabB))).toEqual(await batchRecords(files));
    expect(withoutTriage(await exported(await visit(profile)))).toEqual(await batchRecords(files));
  }, 60_000);

  it('removes one file: the alerts, counts and coverage are those of the files left, and their triage stays', async () => {
    const profile = freshProfile();
    const ws = await visit(profile);
    const { analysis } = ok(await ws.addFiles(files, noProgress));
    // Triage every alert, then take out a day in the middle and the first day (the data start moves).
    for (const a of analysis.alerts) await ws.setTriage(a.id, 'investigating', `note ${a.id}`);
    const gone = [files[0].name, files[12].name];
    const keys = analysis.fileKeys.filter((_, i) => gone.includes(analysis.files[i].name));
    expect(keys).toHaveLength(2);
    const after = ok(await ws.removeFiles(keys)).analysis;
    const left = files.filter((f) => !gone.includes(f.name));
    expect(withoutTriage(await exported(ws))).toEqual(await batchRecords(left));
    const alone = await runCore(
      await Promise.all(left.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) }))),
      defaultSettings(),
    );
    expect(after.counts).toMatchObject({ ...alone.counts, examples: expect.anything() });
    expect(after.dataStart).toBe(alone.counts.minTime);
    expect(after.filesAdded).toBe(files.length - 2);
    for (const a of after.alerts) {
      if (analysis.alerts.some((b) => b.id === a.id))
        expect(after.triage[a.id]).toMatchObject({ status: 'investigating', note: `note ${a.id}` });
    }
    // Stored so: the next visit sees the same.
    const next = await (await visit(profile)).open();
    expect(next.analysis.filesAdded).toBe(files.length - 2);
    expect(next.analysis.coverage).toEqual(after.coverage);
    expect(next.analysis.alerts.map((a) => a.id)).toEqual(after.alerts.map((a) => a.id));
  }, 120_000);

  it('says so when saved settings fall outside the ranges of this version, and uses the defaults', async () => {
    const profile = freshProfile();
    const db = await openDatabase(profile);
    await putMeta(db.meta, 'settings', { ...defaultSettings(), trainingDays: 0 });
    db.close();
    const ws = new Workspace(
      () => DbStore.open(profile),
      (s) => new LocalPool(s),
    );
    const opened = await ws.open();
    expect(opened.analysis.settings.trainingDays).toBe(30);
    expect(opened.notices).toEqual([
      { kind: 'settings-not-used', reason: expect.stringMatching(/setting "trainingDays" must be from 0\.5 to 365 days/) },
    ]);
  });

  it('resets to nothing, and stays reset', async () => {
    const profile = freshProfile();
    const ws = await visit(profile);
    const { analysis } = ok(await ws.addFiles(files.slice(0, 5), noProgress));
    await ws.setTriage(analysis.alerts[0]?.id ?? 'x', 'benign', '');
    ok(await ws.reset());
    const opened = await (await visit(profile)).open();
    expect(opened.analysis.files).toEqual([]);
    expect(opened.analysis.triage).toEqual({});
    expect(opened.analysis.coverage.events).toBe(0);
  }, 60_000);
});
