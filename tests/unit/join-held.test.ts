/**
 * The tab joins a drop held whole in memory (pipeline.ts joinHeld) instead of
 * writing its events and TRAFFIC rows as runs and reading them back: the
 * joined run must be the same, event for event, as the one the runs give, and
 * only that run may reach the store. Runs the map spilled are read beside it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CompactEvent } from '../../src/core/events/columns';
import { mapFiles, type MapInput } from '../../src/core/ingest/coordinator';
import { LocalPool } from '../../src/core/ingest/parsePool';
import { RunBuilder } from '../../src/core/ingest/runBuilder';
import { detectRuns, joinHeld, joinTrafficRuns } from '../../src/core/pipeline/pipeline';
import { mergeSources, runSource } from '../../src/core/runs/merge';
import { MemoryRunStore, type RunRef } from '../../src/core/runs/runStore';
import { defaultSettings } from '../../src/core/settings/settings';
import { fflateInflate } from '../../src/core/util/gzip';
import { trafficLine, urlLine } from '../helpers/panos-lines';
import { loadCase } from '../helpers/cases';
import type { StoredEndpoint } from '../../src/core/runs/endpointRuns';

const settings = defaultSettings();

/** Tools posting to sites, each with its session's TRAFFIC row a few seconds later; some sessions have none. */
function drop(): MapInput[] {
  return inputs([
    { name: 'url.log', text: urlAndTraffic().url },
    { name: 'traffic.log', text: urlAndTraffic().traffic },
  ]);
}

/** Files as the map reads them. */
function inputs(files: { name: string; text: string }[]): MapInput[] {
  return files.map(({ name, text }, i) => {
    const bytes = new TextEncoder().encode(text);
    return {
      name,
      source: `s${i}`,
      size: bytes.length,
      chunks: async function* () {
        yield bytes;
      },
    };
  });
}

function urlAndTraffic(): { url: string; traffic: string } {
  const url: string[] = [];
  const traffic: string[] = [];
  for (let i = 0; i < 40; i++) {
    const time = `2026/09/${String(1 + (i % 20)).padStart(2, '0')} 12:00:${String(i % 60).padStart(2, '0')}`;
    const session = String(7000 + i);
    url.push(
      urlLine({
        time,
        src: `10.0.0.${1 + (i % 7)}`,
        url: i % 3 === 0 ? 'pastebin.com/api/api_post.php' : `www.site${i % 5}.example/upload`,
        userAgent: i % 4 === 0 ? 'python-requests/2.31.0' : 'curl/8.4.0',
        method: i % 2 === 0 ? 'post' : 'get',
        session,
      }),
    );
    if (i % 5 !== 4) {
      const later = time.replace(/:(\d\d)$/, (_, s: string) => `:${String((Number(s) + 3) % 60).padStart(2, '0')}`);
      traffic.push(trafficLine({ time: later, src: `10.0.0.${1 + (i % 7)}`, session, bytesSent: 100 * i, bytesReceived: 5000 }));
    }
  }
  return { url: url.join('\n') + '\n', traffic: traffic.join('\n') + '\n' };
}

/**
 * The drop mapped into `builder` (by default one that spills nothing); with
 * small limits, in parts of a few lines, so that the builder spills runs as it goes.
 */
async function mapped(store: MemoryRunStore, files = drop(), builder = new RunBuilder(store)): Promise<RunBuilder> {
  // Browser rows kept for stitching when the drop holds endpoint records, as the tab's reading decides (ingest/endpointHead.ts).
  const keepPending = files.some((f) => f.name.endsWith('.xml'));
  const segmentBytes = { first: 2048, rest: 2048 };
  await mapFiles(files, new LocalPool(settings), builder, {
    inflate: fflateInflate,
    fingerprint: false,
    keepPending,
    segmentBytes,
  });
  return builder;
}

async function endpointsOf(store: MemoryRunStore, runs: readonly RunRef[]): Promise<StoredEndpoint[]> {
  const out: StoredEndpoint[] = [];
  await mergeSources(
    runs.map((r) => runSource(store, r)),
    { event: () => undefined, endpoint: (r) => out.push(r) },
  );
  return out;
}

async function eventsOf(store: MemoryRunStore, runs: readonly RunRef[]): Promise<CompactEvent[]> {
  const out: CompactEvent[] = [];
  await mergeSources(
    runs.map((r) => runSource(store, r)),
    { event: (e) => out.push(e) },
  );
  return out;
}

describe('a drop held whole is joined in memory', () => {
  it('gives the same joined events and counts as its runs written and read back, and writes only the joined run', async () => {
    const viaRuns = new MemoryRunStore();
    const written = await mapped(viaRuns);
    await written.finish();
    expect(viaRuns.size).toBe(2);
    const before = await joinTrafficRuns(viaRuns, written, settings);

    const inMemory = new MemoryRunStore();
    const builder = await mapped(inMemory);
    const held = builder.takeHeld();
    expect(held).not.toBeNull();
    expect(inMemory.size).toBe(0);
    const after = await joinHeld(inMemory, builder, held!, settings);
    expect(inMemory.size).toBe(1);
    // Nothing left for the builder to write or delete.
    await builder.finish();
    expect([builder.runs, builder.trafficRuns, inMemory.size]).toEqual([[], [], 1]);

    expect(after.join).toEqual(before.join);
    expect(after.join?.joined).toBe(32);
    expect(after.join?.unmatched).toBeGreaterThan(0);
    const got = await eventsOf(inMemory, after.runs);
    expect(got).toHaveLength(40);
    expect(got).toEqual(await eventsOf(viaRuns, before.runs));
    expect(got.filter((e) => e.bytesOut !== null)).toHaveLength(32);
  });

  it('with endpoint records: the same joined events, browser rows kept for stitching, the records written as their run, the same alerts', async () => {
    const c = loadCase('stitch-spoofed-browser-ua');
    const { url, traffic } = urlAndTraffic();
    const files = () =>
      inputs([
        { name: 'url.log', text: url },
        { name: 'spoofed.log', text: readFileSync(join(c.dir, 'input.log'), 'utf8') },
        { name: 'traffic.log', text: traffic },
        { name: 'sysmon.xml', text: readFileSync(join(c.dir, 'input-endpoint.xml'), 'utf8') },
      ]);
    const viaRuns = new MemoryRunStore();
    const written = await mapped(viaRuns, files());
    await written.finish();
    const before = await joinTrafficRuns(viaRuns, written, settings);

    const inMemory = new MemoryRunStore();
    const builder = await mapped(inMemory, files());
    const held = builder.takeHeld();
    expect(held?.endpoints.length).toBeGreaterThan(0);
    const after = await joinHeld(inMemory, builder, held!, settings);
    expect(after.runs.map((r) => r.kind)).toEqual(['events', 'endpoint']);
    expect(inMemory.size).toBe(2);
    expect(after.join).toEqual(before.join);
    const events = await eventsOf(inMemory, after.runs);
    // The drop's 40 events and the case's 4 rows, its browser rows among them, kept for stitching.
    expect(events).toHaveLength(44);
    expect(events).toEqual(await eventsOf(viaRuns, before.runs));
    expect(await endpointsOf(inMemory, after.runs)).toEqual(await endpointsOf(viaRuns, before.runs));

    const alerts = async (store: MemoryRunStore, runs: readonly RunRef[]) =>
      (
        await detectRuns(
          runs.map((r) => runSource(store, r)),
          settings,
          { dataStart: events[0].time },
        )
      ).detection.alerts.map((a) => `${a.variation} ${a.host} ${a.client} ${a.domain}`);
    const got = await alerts(inMemory, after.runs);
    expect(got).toEqual(await alerts(viaRuns, before.runs));
    expect(got.some((a) => a.includes('svchost32.exe'))).toBe(true);
  });

  it('reads the runs the map wrote already beside what it still holds, deleting them, when they stay within the fan-in', async () => {
    const viaRuns = new MemoryRunStore();
    const written = await mapped(viaRuns, drop(), new RunBuilder(viaRuns, 8, 8));
    await written.finish();
    const before = await joinTrafficRuns(viaRuns, written, settings);

    const store = new MemoryRunStore();
    const spilled = await mapped(store, drop(), new RunBuilder(store, 8, 8));
    const runsWritten = spilled.runs.length + spilled.trafficRuns.length;
    expect(runsWritten).toBeGreaterThan(2);
    expect(store.size).toBe(runsWritten);
    const held = spilled.takeHeld();
    expect(held).not.toBeNull();
    const after = await joinHeld(store, spilled, held!, settings);
    // The runs written were read and deleted; only the joined run is left.
    expect(store.size).toBe(1);
    expect(after.join).toEqual(before.join);
    expect(await eventsOf(store, after.runs)).toEqual(await eventsOf(viaRuns, before.runs));
  });

  it('is not taken past the fan-in, nor without TRAFFIC rows', async () => {
    const store = new MemoryRunStore();
    const many = await mapped(store, drop(), new RunBuilder(store, 4, 4, 3));
    expect(many.runs.length + many.trafficRuns.length).toBeGreaterThan(3);
    expect(many.takeHeld()).toBeNull();

    const urlOnly = new RunBuilder(new MemoryRunStore());
    await mapFiles(drop().slice(0, 1), new LocalPool(settings), urlOnly, { inflate: fflateInflate, fingerprint: false });
    expect(urlOnly.takeHeld()).toBeNull();
  });
});
