/**
 * The streaming detector against the batch detector, its oracle: random
 * streams of non-browser events, under random settings, written as several
 * sorted runs and merged back (detectRuns of core/pipeline, as the CLI and the tab run it),
 * must give exactly the batch detector's alerts, evidence included. The
 * streams crowd events into few times and few keys, so ties, windows,
 * deduplication and rarity are all at their edges.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectRuns } from '../src/core/pipeline/pipeline';
import { StreamDetector } from '../src/core/detect/stream';
import { detect } from './oracle/detector';
import { DomainKeys } from '../src/core/classify/domain';
import type { Candidate } from '../src/core/events/event';
import { ColumnsBuilder, sortColumns, type CompactEvent } from '../src/core/events/columns';
import { pushCandidate } from '../src/core/classify/fromCandidate';
import { runSource } from '../src/core/runs/merge';
import { MemoryRunStore, writeEventsRun } from '../src/core/runs/runStore';
import { toRecord } from '../src/core/alerts/record';
import { defaultSettings, type Settings } from '../src/core/settings/settings';
import { urlParts } from '../src/core/util/url';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 2, 1);
const HOSTS = ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4'];
const CLIENTS = ['curl', 'wget'];
const URLS = [
  'pastebin.com/raw/x',
  'www.pastebin.com/',
  'www.example.com/',
  'www.example.com/api/v1',
  'api.example.com/',
  'www.example.co.uk/',
];
const METHODS = ['GET', 'POST', 'PUT', 'HEAD', ''];
const CONTENT_TYPES = ['', 'text/html', 'application/json'];
const USERS = ['', 'corp\\alice', 'corp\\bob'];

const eventArb = fc.record({
  /** Few distinct times: many ties, many events exactly a window or a dedup period apart. */
  day: fc.integer({ min: 0, max: 6 }),
  hour: fc.constantFrom(0, 0, 1, 23),
  host: fc.nat(HOSTS.length - 1),
  client: fc.nat(CLIENTS.length - 1),
  url: fc.nat(URLS.length - 1),
  method: fc.nat(METHODS.length - 1),
  contentType: fc.nat(CONTENT_TYPES.length - 1),
  user: fc.nat(USERS.length - 1),
  bytesOut: fc.option(fc.constantFrom(10, 1023, 1024, 50_000), { nil: null }),
  line: fc.integer({ min: 1, max: 1_000_000 }),
});

const settingsArb = fc.record({
  trainingDays: fc.integer({ min: 0, max: 4 }),
  activationDays: fc.integer({ min: 0, max: 4 }),
  dedupHours: fc.constantFrom(0, 1, 24, 48),
  rareHosts: fc.integer({ min: 1, max: 4 }),
  uploadMinBytes: fc.constantFrom(0, 1024, 2048),
  /** Suppressions of keys the streams use, on every host or on one. */
  suppress: fc
    .array(
      fc.record({
        client: fc.nat(CLIENTS.length - 1),
        domain: fc.constantFrom('pastebin.com', 'example.com', 'example.co.uk'),
        host: fc.option(fc.nat(HOSTS.length - 1), { nil: undefined }),
      }),
      { maxLength: 3 },
    )
    .map((list) =>
      list.map((x) =>
        x.host === undefined
          ? { client: CLIENTS[x.client], domain: x.domain }
          : { client: CLIENTS[x.client], domain: x.domain, host: HOSTS[x.host] },
      ),
    ),
});

type Gen = typeof eventArb extends fc.Arbitrary<infer T> ? T : never;

function candidate(g: Gen, domains: DomainKeys): Candidate {
  const url = URLS[g.url];
  const parts = urlParts(url);
  return {
    time: T0 + g.day * DAY + g.hour * HOUR,
    host: HOSTS[g.host],
    user: USERS[g.user],
    userAgent: `${CLIENTS[g.client]}/1.0`,
    image: '',
    url,
    hostname: parts.hostname,
    path: parts.path,
    method: METHODS[g.method],
    contentType: CONTENT_TYPES[g.contentType],
    bytesOut: g.bytesOut,
    bytesIn: null,
    action: 'allow',
    source: { file: 'url.log', line: g.line },
    session: '',
    client: CLIENTS[g.client],
    domain: domains.key(parts.hostname),
  };
}

/** The events as the map would store them: compact, with flags worked out from the URL, method and content type. */
function compactRun(events: readonly Candidate[], domains: DomainKeys): ColumnsBuilder {
  const b = new ColumnsBuilder();
  for (const e of events) {
    pushCandidate(b, e, domains, 'k');
  }
  return b;
}

describe('streaming detector', () => {
  it('equals the batch detector over random streams, settings and splits into runs', async () => {
    // What the streams exercised, so the property cannot pass by never meeting the hard cases.
    const seen = { alerts: 0, deduplicated: 0, rareButShared: 0, uploads: 0, suppressed: 0, shortHistory: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.array(eventArb, { minLength: 20, maxLength: 200 }),
        settingsArb,
        fc.array(fc.nat(4), { minLength: 1, maxLength: 120 }),
        async (gen, s, runOf) => {
          const settings: Settings = { ...defaultSettings(), ...s };
          const domains = new DomainKeys(settings.textShareSites);
          const events = gen.map((g) => candidate(g, domains));
          const dataStart = Math.min(...events.map((e) => e.time)) - (runOf[0] % 3) * DAY;
          const batch = detect(events, dataStart, settings);
          const want = batch.alerts.map((a) => toRecord(a, settings));

          // Split into up to five runs, each sorted on its own, then merged.
          const store = new MemoryRunStore();
          const runs = [];
          for (let r = 0; r < 5; r++) {
            const mine = events.filter((_, i) => runOf[i % runOf.length] === r);
            if (mine.length > 0) runs.push(await writeEventsRun(store, sortColumns(compactRun(mine, domains).build())));
          }
          const got = await detectRuns(
            runs.map((r) => runSource(store, r)),
            settings,
            { dataStart },
          );
          expect(got.detection.alerts.map((a) => toRecord(a, settings))).toEqual(want);
          expect(got.detection.suppressed).toEqual(batch.suppressed);
          // What was left out is exactly what the same detection without the list shows for those keys.
          const all = detect(events, dataStart, { ...settings, suppress: [] }).alerts;
          expect(all.length).toBe(want.length + batch.suppressed.reduce((n, h) => n + h.alerts, 0));
          seen.suppressed += all.length - want.length;
          seen.shortHistory += want.filter((a) => a.explanation.history_covers_window === false).length;
          seen.alerts += want.length;
          seen.deduplicated += want.filter((a) => a.count > 1).length;
          seen.rareButShared += want.filter((a) => a.explanation.hosts_with_key_in_window > 0).length;
          seen.uploads += want.filter((a) => a.explanation.tested_key.upload).length;
        },
      ),
      { seed: 0x5eed_2026, numRuns: 400 },
    );
    console.log(`stream detector: ${JSON.stringify(seen)}`);
    expect(seen.deduplicated, 'alerts that took more events').toBeGreaterThan(100);
    expect(seen.rareButShared, 'alerts on keys other hosts had').toBeGreaterThan(100);
    expect(seen.uploads, 'upload alerts').toBeGreaterThan(100);
    expect(seen.suppressed, 'alerts left out by a suppression').toBeGreaterThan(100);
    expect(seen.shortHistory, 'alerts with less history than the window').toBeGreaterThan(100);
  }, 120_000);

  it('keeps only the keys inside the window, however long the stream', () => {
    const settings: Settings = { ...defaultSettings(), trainingDays: 2 };
    const detector = new StreamDetector(settings, T0);
    let most = 0;
    // 200 days, a new domain each day: the keys held stay at the window's worth.
    for (let d = 0; d < 200; d++) {
      for (let h = 0; h < 24; h++) {
        const e: CompactEvent = {
          time: T0 + d * DAY + h * HOUR,
          host: HOSTS[h % HOSTS.length],
          user: '',
          client: 'curl',
          domain: `d${d}.example`,
          userAgent: 'curl/1',
          method: 'GET',
          contentType: '',
          action: 'allow',
          file: 'f',
          source: 'k',
          line: 1,
          flags: 4,
          bytesOut: null,
          bytesIn: null,
          url: `d${d}.example/`,
          session: '',
        };
        detector.push(e);
        most = Math.max(most, detector.keysHeld);
      }
    }
    detector.finish();
    expect(most).toBeLessThanOrEqual(4);
  });

  it('refuses events out of time order', () => {
    const d = new StreamDetector(defaultSettings(), T0);
    const e = (time: number): CompactEvent => ({
      time,
      host: 'h',
      user: '',
      client: 'c',
      domain: 'd',
      userAgent: 'c',
      method: 'GET',
      contentType: '',
      action: '',
      file: 'f',
      source: 'k',
      line: 1,
      flags: 4,
      bytesOut: null,
      bytesIn: null,
      url: 'd/',
      session: '',
    });
    d.push(e(T0 + DAY));
    expect(() => d.push(e(T0))).toThrow(/time order/);
  });
});
