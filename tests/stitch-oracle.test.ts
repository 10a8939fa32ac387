/**
 * The product's stitching (src/core/runs/stitchJoin.ts, in the pipeline's
 * merge) against the oracle's (tests/oracle/stitch.ts, everything in memory),
 * then each through its detector: random URL events with their four values,
 * and random process starts, connections and lookups on few hosts, ports and
 * addresses, so events meet connections within and past the window, several
 * connections share four values, lookups name connections or stand alone,
 * and some addresses are private.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClientClassifier } from '../src/core/classify/client';
import { DomainKeys } from '../src/core/classify/domain';
import { toRecord } from '../src/core/alerts/record';
import { sortColumns } from '../src/core/events/columns';
import type { EndpointRecord } from '../src/core/events/endpoint';
import { EventSink } from '../src/core/ingest/eventSink';
import { detectRuns } from '../src/core/pipeline/pipeline';
import { runSource } from '../src/core/runs/merge';
import { MemoryRunStore, writeEndpointRun, writeEventsRun } from '../src/core/runs/runStore';
import { defaultSettings, type Settings } from '../src/core/settings/settings';
import { detect } from './oracle/detector';
import { expectExercised } from './helpers/exercised';
import { stitch, type OracleUrlEvent } from './oracle/stitch';

const T0 = Date.parse('2026-03-16T10:00:00Z');
const LOCALS = ['10.0.0.1', '10.0.0.2'];
const COMPUTERS = ['WS-1', 'ws-2'];
const REMOTES = ['203.0.113.1', '203.0.113.2', '192.168.5.5'];
const USER_AGENTS = [
  'curl/8.4.0',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
  '',
];
const URLS: [string, string][] = [
  ['www.a-site.com/', 'www.a-site.com'],
  ['pastebin.com/raw/x', 'pastebin.com'],
];
const IMAGES = ['C:\\t\\a.exe', 'C:\\t\\b.exe', 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', ''];
const GUIDS = ['{1}', '{2}', ''];
const NAMES = ['', 'www.c-site.com', 'rentry.co'];
const QUERIES = ['www.d-site.com', 'paste.ee', 'www.a-site.com.'];

const port = fc.constantFrom<number | null>(50000, 50001, null);
const at = fc.integer({ min: 0, max: 900 });
const urlArb = fc.record({
  at,
  host: fc.nat(1),
  sport: port,
  remote: fc.nat(2),
  ua: fc.nat(2),
  url: fc.nat(1),
  user: fc.boolean(),
});
const connArb = fc.record({
  at,
  host: fc.nat(1),
  sport: port,
  remote: fc.nat(2),
  image: fc.nat(3),
  guid: fc.nat(2),
  pid: fc.constantFrom<number | null>(1, 2, null),
  name: fc.nat(2),
});
const lookupArb = fc.record({ at, host: fc.nat(1), guid: fc.nat(1), query: fc.nat(2), answers: fc.subarray([0, 1, 2]) });

function base(i: number, host: number, file: string) {
  return { computer: COMPUTERS[host], user: 'CORP\\u', file, line: i + 1 };
}

describe('stitching agrees with the oracle', () => {
  it('on random URL events and endpoint records', async () => {
    const seen = { stitched: 0, endpointOnly: 0, claims: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.array(urlArb, { maxLength: 25 }),
        fc.array(connArb, { maxLength: 25 }),
        fc.array(lookupArb, { maxLength: 10 }),
        fc.constantFrom(30, 120, 700),
        async (urlGen, connGen, lookupGen, stitchSeconds) => {
          const settings: Settings = { ...defaultSettings(), stitchSeconds };
          // Every time distinct (a millisecond index apart), so no order among equal times is left to chance.
          let n = 0;
          const time = (s: number): number => T0 + s * 1000 + n++;
          const urls: OracleUrlEvent[] = urlGen.map((g, i) => ({
            time: time(g.at),
            host: LOCALS[g.host],
            user: g.user ? 'corp\\web' : '',
            userAgent: USER_AGENTS[g.ua],
            image: '',
            url: URLS[g.url][0],
            hostname: URLS[g.url][1],
            path: '/' + URLS[g.url][0].split('/').slice(1).join('/'),
            method: 'GET',
            contentType: '',
            bytesOut: null,
            bytesIn: null,
            action: 'allow',
            source: { file: 'url.log', line: i + 1 },
            session: '',
            sourceAddress: LOCALS[g.host],
            sourcePort: g.sport,
            destinationAddress: REMOTES[g.remote],
            destinationPort: 443,
          }));
          const records: EndpointRecord[] = [];
          // Process starts an hour before, for both GUIDs and PIDs on each computer.
          for (let h = 0; h < 2; h++)
            for (let k = 0; k < 2; k++)
              records.push({
                kind: 'process',
                time: time(-3600),
                ...base(records.length, h, 'sysmon.xml'),
                guid: GUIDS[k],
                pid: k + 1,
                image: IMAGES[k],
                commandLine: `run ${k}`,
                parentImage: 'C:\\Windows\\explorer.exe',
              });
          for (const g of connGen)
            records.push({
              kind: 'connection',
              time: time(g.at),
              ...base(records.length, g.host, 'sysmon.xml'),
              guid: GUIDS[g.guid],
              pid: g.pid,
              image: IMAGES[g.image],
              protocol: 'tcp',
              localAddress: LOCALS[g.host],
              localPort: g.sport,
              remoteAddress: REMOTES[g.remote],
              remotePort: 443,
              remoteUrl: NAMES[g.name],
              reverseName: 'x.cloudfront.net',
              commandLine: '',
              parentImage: '',
            });
          for (const g of lookupGen)
            records.push({
              kind: 'lookup',
              time: time(g.at),
              ...base(records.length, g.host, 'sysmon.xml'),
              guid: GUIDS[g.guid],
              pid: g.guid + 1,
              image: IMAGES[g.guid],
              query: QUERIES[g.query],
              answers: g.answers.map((a) => REMOTES[a]),
            });
          // The data start: a browser's event long before, so the baseline is active.
          const seed = { ...urls[0], time: T0 - 20 * 86_400_000, userAgent: USER_AGENTS[1], sourcePort: null };
          const allUrls = urls.length === 0 ? [] : [seed, ...urls];

          const sink = new EventSink(
            new ClientClassifier(settings),
            new DomainKeys(settings.textShareSites),
            'url.log',
            'k',
            true,
          );
          for (const e of allUrls) sink.url({ ...e }, e.source.line, '', 0, 0);
          const store = new MemoryRunStore();
          const eventsRun = await writeEventsRun(store, sortColumns(sink.events.build()));
          const sorted = [...records].sort((a, b) => a.time - b.time).map((r) => ({ ...r, source: 'e' }));
          const endpointRun = await writeEndpointRun(store, sorted);
          const dataStart = Math.min(...allUrls.map((e) => e.time), ...records.map((r) => r.time));
          const got = await detectRuns([runSource(store, eventsRun), runSource(store, endpointRun)], settings, { dataStart });
          const want = detect(stitch(allUrls, records, settings), dataStart, settings);
          const json = (alerts: typeof want.alerts) => alerts.map((a) => JSON.stringify(toRecord(a, settings)));
          expect(json(got.detection.alerts)).toEqual(json(want.alerts));
          for (const a of want.alerts)
            for (const e of a.evidence) {
              if (e.process !== null && e.userAgent !== '') seen.stitched++;
              if (e.process !== null && e.userAgent === '' && e.method === '') seen.endpointOnly++;
              if (e.uaClaimsBrowser) seen.claims++;
            }
        },
      ),
      { numRuns: 300 },
    );
    expectExercised('stitching against the oracle', seen, {
      stitched: [20, 'stitched URL events among the alerts'],
      endpointOnly: [20, 'endpoint-only events among the alerts'],
      claims: [5, 'stitched events whose User-Agent claimed a browser'],
    });
  }, 120_000);
});
