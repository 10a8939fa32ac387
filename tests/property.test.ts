/**
 * docs/detection.md "Uncommon": "the order of files and lines cannot change an
 * answer". For random small logs, any split into files, in any order, in
 * either PAN-OS form, fed in any chunk sizes, must give the alerts of the
 * single time-ordered file.
 */
import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { isEmptyReport } from '../src/core/ingest/report';
import type { AlertRecord } from '../src/core/alerts/record';
import { defaultSettings } from '../src/core/settings/settings';
import {
  DEFAULT_SERIAL,
  URL_EXPORT_HEADER,
  panosTime,
  panosToMs,
  syslogHeader,
  trafficLine,
  urlLine,
} from './helpers/panos-lines';
import { expectExercised } from './helpers/exercised';
import { runCore, type InputFile } from './helpers/run-core';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const START = panosToMs('2026/03/01 00:00:00');

const HOSTS = ['10.0.0.1', '10.0.0.2', '10.0.0.10', '192.168.1.5', '172.16.0.9'];
const USERS = ['', 'corp\\alice', 'corp\\bob'];
const USER_AGENTS = [
  'curl/8.4.0',
  'curl/7.68.0',
  'python-requests/2.31.0',
  'Wget/1.21.3',
  'Mozilla/5.0 (Windows NT; Windows NT 10.0; en-US) WindowsPowerShell/5.1.19041.3031',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Slack/4.36.140 Chrome/120.0 Electron/28.2.1 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0',
  '',
  '-',
];
const URLS = [
  'pastebin.com/raw/abc',
  'www.pastebin.com/api/api_post.php',
  'paste.ee/p/xyz',
  'gist.github.com/alice/1',
  'www.example.com/',
  'www.example.com/api/v1/items',
  'api.example.com/',
  'files.example.org/upload',
  'webhook.site/0d2c',
  'https://user@www.example.co.uk:8443/login?next=/',
];
const METHODS = ['get', 'get', 'post', 'put', 'head', ''];
const CONTENT_TYPES = ['', 'text/html; charset=utf-8', 'application/json'];
const ACTIONS = ['alert', 'block-url'];

interface GenEvent {
  day: number;
  /** Few slots a day, so many events share a time and many are exactly 24 h apart. */
  slot: number;
  host: number;
  user: number;
  ua: number;
  url: number;
  method: number;
  contentType: number;
  action: number;
  /** Bytes sent, from a TRAFFIC row joined by session id; null: no TRAFFIC row. */
  bytesSent: number | null;
  /** The same request this many more times, an hour apart (a deduplication chain when it alerts). */
  again: number;
}

const eventArb: fc.Arbitrary<GenEvent> = fc.record({
  /** Day 0 starts the data; most events come after the 14 days of activation, so most runs have alerts to compare. */
  day: fc.oneof({ arbitrary: fc.constant(0), weight: 1 }, { arbitrary: fc.integer({ min: 14, max: 24 }), weight: 4 }),
  slot: fc.integer({ min: 0, max: 2 }),
  /** Weighted to one host, curl and two sites, so keys repeat within a day and alerts take several events. */
  host: fc.oneof({ arbitrary: fc.constant(0), weight: 2 }, { arbitrary: fc.nat(HOSTS.length - 1), weight: 1 }),
  user: fc.integer({ min: 0, max: USERS.length - 1 }),
  ua: fc.oneof({ arbitrary: fc.constantFrom(0, 1), weight: 2 }, { arbitrary: fc.nat(USER_AGENTS.length - 1), weight: 1 }),
  url: fc.oneof({ arbitrary: fc.constantFrom(0, 4), weight: 2 }, { arbitrary: fc.nat(URLS.length - 1), weight: 1 }),
  method: fc.integer({ min: 0, max: METHODS.length - 1 }),
  contentType: fc.integer({ min: 0, max: CONTENT_TYPES.length - 1 }),
  action: fc.integer({ min: 0, max: ACTIONS.length - 1 }),
  bytesSent: fc.option(fc.constantFrom(100, 1023, 1024, 5000), { nil: null }),
  again: fc.oneof({ arbitrary: fc.constant(0), weight: 3 }, { arbitrary: fc.integer({ min: 1, max: 2 }), weight: 1 }),
});

interface Line {
  /** Time order for the reference file. */
  time: number;
  traffic: boolean;
  /** Row without syslog header. */
  text: string;
}

function lines(events: readonly GenEvent[]): Line[] {
  const out: Line[] = [];
  events.forEach((e, i) => {
    for (let k = 0; k <= e.again; k++) request(e, START + e.day * DAY_MS + (e.slot + k) * HOUR_MS, String(1000 + 10 * i + k));
  });
  return out;

  function request(e: GenEvent, ms: number, session: string): void {
    const time = panosTime(ms);
    out.push({
      time: ms,
      traffic: false,
      text: urlLine({
        time,
        src: HOSTS[e.host],
        user: USERS[e.user],
        session,
        action: ACTIONS[e.action],
        url: URLS[e.url],
        contentType: CONTENT_TYPES[e.contentType],
        userAgent: USER_AGENTS[e.ua],
        method: METHODS[e.method],
      }),
    });
    if (e.bytesSent !== null) {
      out.push({
        time: ms + 1000,
        traffic: true,
        text: trafficLine({
          time: panosTime(ms + 1000),
          src: HOSTS[e.host],
          session,
          bytesSent: e.bytesSent,
          bytesReceived: 300,
          serial: DEFAULT_SERIAL,
        }),
      });
    }
  }
}

interface FileLayout {
  csv: boolean;
  /** 0 none, 1 BSD header, 2 BSD header with PRI. */
  header: number;
  gzip: boolean;
  chunkSize: number;
}

interface Layout {
  /** File index for each line (mod the file count). */
  fileOf: number[];
  /** Sort keys that shuffle the lines inside each file. */
  shuffle: number[];
  files: FileLayout[];
  /** Permutation seeds for the order files are given in. */
  feedOrder: number[];
}

function layoutArb(lineCount: number): fc.Arbitrary<Layout> {
  return fc.integer({ min: 1, max: 4 }).chain((fileCount) =>
    fc.record({
      fileOf: fc.array(fc.integer({ min: 0, max: fileCount - 1 }), { minLength: lineCount, maxLength: lineCount }),
      shuffle: fc.array(fc.integer(), { minLength: lineCount, maxLength: lineCount }),
      files: fc.array(
        fc.record({
          csv: fc.boolean(),
          header: fc.integer({ min: 0, max: 2 }),
          gzip: fc.boolean(),
          chunkSize: fc.oneof(fc.integer({ min: 1, max: 16 }), fc.integer({ min: 17, max: 5000 })),
        }),
        { minLength: fileCount, maxLength: fileCount },
      ),
      feedOrder: fc.array(fc.integer(), { minLength: fileCount, maxLength: fileCount }),
    }),
  );
}

function render(rows: readonly Line[], f: FileLayout): string {
  // URL log exports hold only URL rows; TRAFFIC rows come as syslog.
  if (f.csv && !rows.some((r) => r.traffic)) return [URL_EXPORT_HEADER, ...rows.map((r) => r.text)].map((l) => l + '\n').join('');
  return rows
    .map((r) => {
      const time = r.text.split(',')[1];
      const prefix = f.header === 0 ? '' : syslogHeader(time, 'PA-VM', f.header === 2 ? '<14>' : '');
      return prefix + r.text + '\n';
    })
    .join('');
}

const encoder = new TextEncoder();

/** Records compared without evidence positions, which depend on the split. */
function withoutSource(records: AlertRecord[]): unknown[] {
  return records.map((r) => ({ ...r, evidence: r.evidence.map(({ source: _source, ...rest }) => rest) }));
}

describe('order and chunking do not change alerts', () => {
  it('any split, file order, form and chunk size gives the time-ordered answer', async () => {
    const settings = defaultSettings();
    // What the runs exercised, so the property cannot pass by comparing nothing with nothing.
    const seen = { runs: 0, withAlerts: 0, deduplicated: 0, severalFiles: 0, gzipParts: 0, csvParts: 0, joined: 0 };
    // Half the runs have no TRAFFIC rows at all, so files of them can be URL log CSV exports.
    const scenario = fc
      .tuple(fc.array(eventArb, { minLength: 8, maxLength: 60 }), fc.boolean())
      .map(([events, traffic]) => (traffic ? events : events.map((e) => ({ ...e, bytesSent: null }))))
      .chain((events) => fc.tuple(fc.constant(events), layoutArb(lines(events).length)));

    await fc.assert(
      fc.asyncProperty(scenario, async ([events, layout]) => {
        const all = lines(events);
        const ordered = [...all].sort((a, b) => a.time - b.time);
        const reference = await runCore(
          [{ name: 'all.log', bytes: encoder.encode(ordered.map((l) => l.text + '\n').join('')) }],
          settings,
        );

        const files = layout.files.map((f, i) => {
          const rows = all
            .map((l, j) => ({ l, j }))
            .filter(({ j }) => layout.fileOf[j] === i)
            .sort((a, b) => layout.shuffle[a.j] - layout.shuffle[b.j] || a.j - b.j)
            .map(({ l }) => l);
          const text = encoder.encode(render(rows, f));
          // A gzip stream needs its 2-byte magic in the first chunk (the gzip-input case shows why).
          const input: InputFile = f.gzip
            ? { name: `part-${i}.log.gz`, bytes: new Uint8Array(gzipSync(text)), chunkSize: Math.max(2, f.chunkSize) }
            : { name: `part-${i}.log`, bytes: text, chunkSize: f.chunkSize };
          return { input, key: layout.feedOrder[i] };
        });
        files.sort((a, b) => a.key - b.key);
        const variant = await runCore(
          files.map((f) => f.input),
          settings,
        );
        const got = variant.records;

        expect(withoutSource(got)).toEqual(withoutSource(reference.records));
        const c = variant.counts;
        const r = reference.counts;
        expect([c.browser, c.nonBrowser, c.unknown, c.other]).toEqual([r.browser, r.nonBrowser, r.unknown, r.other]);
        // A part given no rows is an empty file: named as such, nothing else.
        expect(variant.files.every((f) => f.error === null || (isEmptyReport(f) && f.counts.lines === 0))).toBe(true);
        const read = variant.files.filter((f) => f.error === null);
        seen.runs++;
        if (reference.records.length > 0) seen.withAlerts++;
        if (reference.records.some((a) => a.count > 1)) seen.deduplicated++;
        if (read.length > 1) seen.severalFiles++;
        if (read.some((f) => f.gzip)) seen.gzipParts++;
        if (read.some((f) => f.format === 'panos-csv')) seen.csvParts++;
        if ((reference.joined ?? 0) > 0) seen.joined++;
      }),
      { numRuns: 80 },
    );
    expectExercised('order and chunking', seen, {
      withAlerts: [60, 'runs whose answer had alerts'],
      deduplicated: [20, 'runs with an alert that took several events'],
      severalFiles: [40, 'runs split over several files read'],
      gzipParts: [30, 'runs with a gzip part'],
      csvParts: [15, 'runs with a CSV export part'],
      joined: [25, 'runs where TRAFFIC bytes were joined'],
    });
  }, 60_000);
});
