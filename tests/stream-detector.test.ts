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
import { UNSTITCHED } from './helpers/unstitched';
import { detectRuns } from '../src/core/pipeline/pipeline';
import { StreamDetector } from '../src/core/detect/stream';
import { detect } from './oracle/detector';
import { expectExercised } from './helpers/exercised';
import { ClientClassifier } from '../src/core/classify/client';
import { DomainKeys } from '../src/core/classify/domain';
import type { WebEvent } from '../src/core/events/event';
import { sortColumns, type CompactEvent } from '../src/core/events/columns';
import { EventSink } from '../src/core/ingest/eventSink';
import { runSource } from '../src/core/runs/merge';
import { MemoryRunStore, writeEventsRun } from '../src/core/runs/runStore';
import { toRecord } from '../src/core/alerts/record';
import { defaultSettings, type Settings } from '../src/core/settings/settings';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 2, 1);
const HOSTS = ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4'];
/** Mostly two non-browser clients (so keys repeat), and one of each other rule of docs/detection.md "Clients". */
const USER_AGENTS = [
  'curl/8.4.0',
  'curl/7.1',
  'Wget/1.21.3 (linux-gnu)',
  'Wget/1.21.3 (linux-gnu)',
  'python-requests/2.31.0',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Slack/4.33.73 Chrome/114.0 Electron/25.0 Safari/537.36',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/114.0 Electron/25.0 Safari/537.36',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/120.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT; Windows NT 10.0; en-US) WindowsPowerShell/5.1.19041.3031',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  '',
  '-',
];
/** The client keys suppression entries name. */
const CLIENTS = ['curl', 'wget'];
/** URLs with their hostname and path as docs/detection.md "URL parts" gives them (the oracle takes these, the product parses the URL). */
const URLS: readonly [url: string, hostname: string, path: string][] = [
  ['pastebin.com/raw/x', 'pastebin.com', '/raw/x'],
  ['www.pastebin.com/', 'www.pastebin.com', '/'],
  ['x.gist.github.com/a', 'x.gist.github.com', '/a'],
  ['www.example.com/', 'www.example.com', '/'],
  ['www.example.com/api/v1', 'www.example.com', '/api/v1'],
  ['www.example.com/V2/items', 'www.example.com', '/V2/items'],
  ['api.example.com/', 'api.example.com', '/'],
  ['api-eu.example.com/', 'api-eu.example.com', '/'],
  ['apis.example.com/', 'apis.example.com', '/'],
  ['www.example.co.uk/', 'www.example.co.uk', '/'],
  ['user.github.io/', 'user.github.io', '/'],
];
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'HEAD', ''];
const CONTENT_TYPES = ['', 'text/html', 'TEXT/HTML; charset=utf-8', 'application/xhtml+xml', 'application/json'];
const USERS = ['', 'corp\\alice', 'corp\\bob'];

const eventArb = fc.record({
  /** Few distinct times: many ties, many events exactly a window or a dedup period apart. */
  day: fc.integer({ min: 0, max: 6 }),
  hour: fc.constantFrom(0, 0, 1, 23),
  host: fc.nat(HOSTS.length - 1),
  /** Mostly curl and wget, so keys repeat and deduplicate; the other clients now and then. */
  client: fc.oneof(
    { arbitrary: fc.nat(3), weight: 4 },
    { arbitrary: fc.integer({ min: 4, max: USER_AGENTS.length - 1 }), weight: 1 },
  ),
  /** Mostly pages that alert (pastebin, example.com, example.co.uk); the exclusions now and then. */
  url: fc.oneof({ arbitrary: fc.constantFrom(0, 1, 3, 9), weight: 3 }, { arbitrary: fc.nat(URLS.length - 1), weight: 1 }),
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

function webEvent(g: Gen): WebEvent {
  const [url, hostname, path] = URLS[g.url];
  return {
    time: T0 + g.day * DAY + g.hour * HOUR,
    host: HOSTS[g.host],
    user: USERS[g.user],
    userAgent: USER_AGENTS[g.client],
    image: '',
    url,
    hostname,
    path,
    method: METHODS[g.method],
    contentType: CONTENT_TYPES[g.contentType],
    bytesOut: g.bytesOut,
    bytesIn: null,
    action: 'allow',
    source: { file: 'url.log', line: g.line },
    session: '',
  };
}

/**
 * The events as the map stores them: each row through the product's event
 * sink (src/core/ingest/eventSink.ts), which classifies the client, keys the
 * domain and works out the flags, keeping the non-browser ones.
 */
function compactRun(events: readonly WebEvent[], settings: Settings): EventSink {
  const sink = new EventSink(new ClientClassifier(settings), new DomainKeys(settings.textShareSites), 'url.log', 'k', false);
  for (const e of events)
    sink.url(
      { ...e, sourceAddress: '', sourcePort: null, destinationAddress: '', destinationPort: null },
      e.source.line,
      '',
      0,
      0,
    );
  return sink;
}

describe('streaming detector', () => {
  it('equals the batch detector over random streams, settings and splits into runs', async () => {
    // What the streams exercised, so the property cannot pass by never meeting the hard cases.
    const seen = {
      alerts: 0,
      deduplicated: 0,
      rareButShared: 0,
      uploads: 0,
      suppressed: 0,
      shortHistory: 0,
      textShare: 0,
      otherClients: 0,
    };
    await fc.assert(
      fc.asyncProperty(
        fc.array(eventArb, { minLength: 20, maxLength: 200 }),
        settingsArb,
        fc.array(fc.nat(4), { minLength: 1, maxLength: 120 }),
        async (gen, s, runOf) => {
          const settings: Settings = { ...defaultSettings(), ...s };
          const events = gen.map(webEvent);
          const dataStart = Math.min(...events.map((e) => e.time)) - (runOf[0] % 3) * DAY;
          const batch = detect(events, dataStart, settings);
          const want = batch.alerts.map((a) => toRecord(a, settings));

          // Split into up to five runs, each sorted on its own, then merged.
          const store = new MemoryRunStore();
          const runs = [];
          for (let r = 0; r < 5; r++) {
            const mine = events.filter((_, i) => runOf[i % runOf.length] === r);
            const sink = compactRun(mine, settings);
            if (sink.events.count > 0) runs.push(await writeEventsRun(store, sortColumns(sink.events.build())));
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
          seen.textShare += want.filter((a) => a.variation.startsWith('text_share')).length;
          seen.otherClients += want.filter((a) => !CLIENTS.includes(a.client)).length;
        },
      ),
      { seed: 0x5eed_2026, numRuns: 400 },
    );
    expectExercised('stream detector', seen, {
      deduplicated: [101, 'alerts that took more events'],
      rareButShared: [101, 'alerts on keys other hosts had'],
      uploads: [101, 'upload alerts'],
      suppressed: [101, 'alerts left out by a suppression'],
      shortHistory: [101, 'alerts with less history than the window'],
      textShare: [101, 'text-share alerts'],
      otherClients: [101, 'alerts on clients told by rules 2, 3 and 5 other than curl and wget'],
    });
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
          ...UNSTITCHED,
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
      ...UNSTITCHED,
    });
    d.push(e(T0 + DAY));
    expect(() => d.push(e(T0))).toThrow(/time order/);
  });
});
