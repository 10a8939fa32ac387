/**
 * Random PAN-OS event streams for comparing engines: few hosts, clients and
 * sites, few distinct times (many ties, many events exactly a day apart),
 * text that sorts differently by bytes than by any linguistic collation, and
 * TRAFFIC rows that give some uploads their byte counts.
 */
import fc from 'fast-check';
import { DEFAULT_SERIAL, panosTime, panosToMs, trafficLine, urlLine } from './panos-lines';
import type { InputFile } from './run-core';

const DAY_MS = 86_400_000;
const START = panosToMs('2026/03/01 00:00:00');

const HOSTS = ['10.0.0.1', '10.0.0.2', '10.0.0.10', 'WS-b', 'ws-a', 'Ws-É'];
const USERS = ['', 'corp\\alice', 'Corp\\Bob', 'corp\\Émile'];
const USER_AGENTS = [
  'curl/8.4.0',
  'Curl/8.4.0',
  'python-requests/2.31.0',
  'Wget/1.21.3',
  'Mozilla/5.0 (Windows NT; Windows NT 10.0; en-US) WindowsPowerShell/5.1.19041.3031',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  '',
];
const URLS = [
  'pastebin.com/raw/abc',
  'pastebin.com/raw/ABC',
  'pastebin.com/raw/_x',
  'paste.ee/p/xyz',
  'www.example.com/',
  'www.example.com/Page',
  'www.example.com/page',
  'www.example.com/api/v1/items',
  'api.example.com/',
  'files.example.org/upload',
  'café.example.net/ü',
  'webhook.site/0d2c',
];
const METHODS = ['get', 'post', 'put', 'head', ''];
const CONTENT_TYPES = ['', 'text/html; charset=utf-8', 'application/json', 'TEXT/HTML'];
const ACTIONS = ['alert', 'block-url', 'Alert'];

export interface StreamEvent {
  day: number;
  /** Hours into the day: few, so many events share a time or are exactly 24 h apart. */
  hour: number;
  host: number;
  user: number;
  ua: number;
  url: number;
  method: number;
  contentType: number;
  action: number;
  /** Bytes sent from a joined TRAFFIC row; null: none. */
  bytesSent: number | null;
  /** Which of two files the line goes to. */
  file: number;
}

export const streamArb: fc.Arbitrary<StreamEvent[]> = fc.array(
  fc.record({
    day: fc.integer({ min: 0, max: 24 }),
    hour: fc.constantFrom(0, 1, 12, 23),
    host: fc.integer({ min: 0, max: HOSTS.length - 1 }),
    user: fc.integer({ min: 0, max: USERS.length - 1 }),
    ua: fc.integer({ min: 0, max: USER_AGENTS.length - 1 }),
    url: fc.integer({ min: 0, max: URLS.length - 1 }),
    method: fc.integer({ min: 0, max: METHODS.length - 1 }),
    contentType: fc.integer({ min: 0, max: CONTENT_TYPES.length - 1 }),
    action: fc.integer({ min: 0, max: ACTIONS.length - 1 }),
    bytesSent: fc.option(fc.constantFrom(0, 100, 1023, 1024, 5000), { nil: null }),
    file: fc.integer({ min: 0, max: 1 }),
  }),
  { minLength: 1, maxLength: 80 },
);

/** Detection settings, fractional ones included (the SQL rounds them to whole milliseconds). */
export const settingsArb = fc.record({
  trainingDays: fc.constantFrom(0, 1, 2, 3.5, 7, 30),
  activationDays: fc.constantFrom(0, 0.5, 1, 3, 14),
  dedupHours: fc.constantFrom(0, 0.5, 1, 11, 24, 48),
  rareHosts: fc.constantFrom(1, 2, 3, 5),
  uploadMinBytes: fc.constantFrom(0, 100.5, 1024),
});

/** The events as two PAN-OS syslog files (lines in the order drawn, not time order). */
export function streamFiles(events: readonly StreamEvent[]): InputFile[] {
  const texts = ['', ''];
  events.forEach((e, i) => {
    const ms = START + e.day * DAY_MS + e.hour * 3_600_000;
    const session = String(5000 + i);
    texts[e.file] +=
      urlLine({
        time: panosTime(ms),
        src: HOSTS[e.host],
        user: USERS[e.user],
        session,
        action: ACTIONS[e.action],
        url: URLS[e.url],
        contentType: CONTENT_TYPES[e.contentType],
        userAgent: USER_AGENTS[e.ua],
        method: METHODS[e.method],
      }) + '\n';
    if (e.bytesSent !== null) {
      texts[e.file] +=
        trafficLine({
          time: panosTime(ms),
          src: HOSTS[e.host],
          session,
          bytesSent: e.bytesSent,
          bytesReceived: 300,
          serial: DEFAULT_SERIAL,
        }) + '\n';
    }
  });
  const encoder = new TextEncoder();
  return texts.map((t, i) => ({ name: `stream-${i}.log`, bytes: encoder.encode(t) })).filter((f) => f.bytes.length > 0);
}
