/**
 * The state file: a history saved after some files and loaded again before
 * the rest gives the alerts of one batch, a file already in it adds nothing,
 * and a file from a newer Offbrowse or a corrupt one is refused with a message.
 */
import { describe, expect, it } from 'vitest';
import { analyse } from '../../src/core/analyse';
import { generate } from '../../src/core/generate/index';
import { Ingest } from '../../src/core/ingest';
import { toRecord } from '../../src/core/record';
import { defaultSettings } from '../../src/core/settings';
import { fromState, StateError, toState, type Triage } from '../../src/core/state';

const dataset = generate({ days: 24, hosts: 40, seed: 3 });
const encoder = new TextEncoder();
async function* bytes(file: (typeof dataset.files)[number]): AsyncIterable<Uint8Array> {
  for (const text of file.chunks()) yield encoder.encode(text);
}

function records(ingest: Ingest): unknown[] {
  const settings = ingest.settings;
  return analyse(ingest.result, settings).alerts.map((a) => {
    const r = toRecord(a, settings);
    return { ...r, evidence: r.evidence.map((e) => ({ ...e, source: undefined })) };
  });
}

describe('state file', () => {
  it('saved and loaded between two halves, in reverse order, equals one batch', async () => {
    const settings = defaultSettings();
    const batch = new Ingest(settings);
    for (const f of dataset.files) await batch.addFile(f.name, bytes(f), { fingerprint: true });
    const expected = records(batch);
    expect(expected.length).toBeGreaterThan(0);

    const later = dataset.files.slice(12);
    const earlier = dataset.files.slice(0, 12);
    const first = new Ingest(settings);
    for (const f of later) await first.addFile(f.name, bytes(f), { fingerprint: true });
    const triage: Record<string, Triage> = { x: { status: 'benign', note: 'ok', changedAt: '2026-11-01T00:00:00.000Z' } };
    const saved = JSON.parse(JSON.stringify(toState(first.result, settings, analyse(first.result, settings).alerts, triage)));

    const loaded = fromState(saved);
    expect(loaded.triage).toEqual(triage);
    const second = new Ingest(loaded.settings, loaded.collected);
    for (const f of earlier) await second.addFile(f.name, bytes(f), { fingerprint: true });
    const again = await second.addFile('renamed.log', bytes(later[0]), { fingerprint: true });
    expect(again.duplicateOf).toBe(later[0].name);
    expect(records(second)).toEqual(expected);
  }, 60_000);

  it('refuses a newer version, another format and corrupt events', () => {
    expect(() => fromState({ format: 'offbrowse-state', version: 99 })).toThrow(/newer than this Offbrowse/);
    expect(() => fromState({ format: 'something-else', version: 1 })).toThrow(StateError);
    expect(() => fromState([])).toThrow(/not an Offbrowse state file/);
    const settings = defaultSettings();
    const good = JSON.parse(JSON.stringify(toState(new Ingest(settings).result, settings, [], {})));
    expect(() => fromState(good)).not.toThrow();
    expect(() => fromState({ ...good, events: [{ time: 'x' }] })).toThrow(/event 1/);
    expect(() => fromState({ ...good, triage: { a: { status: 'done', note: '', changedAt: '' } } })).toThrow(/triage/);
  });
});
