/**
 * Real Zeek and Suricata lines (../shared/samples/sensors/, kept outside the
 * repository for their licences; see SOURCES.md there), read in place: the
 * rows each reader makes of them, and their counts through the CLI's core path.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../src/core/settings/settings';
import { readLines } from '../../src/core/sources/lines';
import { createReader } from '../../src/core/sources/reader';
import type { RowSink, UrlRow } from '../../src/core/sources/rowSink';
import { emptyCounts } from '../../src/core/sources/counts';
import { makeTimeParser } from '../../src/core/util/time';
import { runCore, type CoreRun } from '../helpers/run-core';
import { samplesFolder } from '../helpers/samples';

const SAMPLES = samplesFolder('sensors');
const BRO21 = 'zeek-tsv-zeek-1.log';
const ZEEK32 = 'zeek-tsv-zeek-3.log';
const EVE = 'suricata-eve-suricatalog-1.json';
const EVE_2016 = 'suricata-eve-suricata-verify-1.json';

interface Seen {
  rows: (UrlRow & { line: number })[];
  other: string[];
  headers: number;
  skipped: string[];
}

/** Every row a reader hands on, copied. */
function readRows(name: string): Seen & { format: string | null } {
  const seen: Seen = { rows: [], other: [], headers: 0, skipped: [] };
  const sink: RowSink = {
    url: (row, line) => seen.rows.push({ ...row, line }),
    traffic: () => undefined,
    other: (type) => seen.other.push(type),
    header: () => seen.headers++,
    skip: (reason, line) => seen.skipped.push(`${reason}:${line}`),
  };
  const reader = createReader(null, makeTimeParser('UTC'));
  readLines(readFileSync(join(SAMPLES, name), 'utf8'), 1, reader, sink, { ...emptyCounts() });
  return { ...seen, format: reader.format };
}

async function read(...names: string[]): Promise<CoreRun> {
  const files = names.map((n) => ({ name: join(SAMPLES, n), bytes: new Uint8Array(readFileSync(join(SAMPLES, n))) }));
  return runCore(files, defaultSettings());
}

const iso = (ms: number | null): string => new Date(ms ?? NaN).toISOString();

describe('sensor sample lines (../shared/samples/sensors)', () => {
  it('Bro 2.1 TSV: columns by #fields, mime_type as the content type, IPv6 clients', () => {
    const s = readRows(BRO21);
    expect(s.format).toBe('zeek-tsv');
    expect(s.headers).toBe(9);
    expect(s.skipped).toEqual([]);
    expect(s.rows).toHaveLength(4);
    expect(s.rows[0]).toMatchObject({
      line: 9,
      time: Date.UTC(2008, 4, 16, 15, 50, 57, 917),
      host: '192.168.2.16',
      user: '',
      url: 'download913.avast.com/cgi-bin/iavs4stats.cgi',
      method: 'POST',
      userAgent: 'Syncer/4.80 (av_pro-1169;f)',
      contentType: 'text/plain',
      bytesOut: 589,
      bytesIn: 0,
      action: '',
      session: '',
    });
    expect(s.rows[2]).toMatchObject({
      host: '2001:0:4137:9e50:8000:f12a:b9c8:2815',
      url: 'ipv6.google.com/search?hl=en&q=Wireshark+!&btnG=Google+Search',
      method: 'GET',
      contentType: 'text/html',
      bytesOut: 0,
      bytesIn: 25119,
    });
  });

  it('Zeek 3.2 TSV: the same requests in the newer layout, resp_mime_types unset on the POST', () => {
    const old = readRows(BRO21);
    const s = readRows(ZEEK32);
    expect(s.format).toBe('zeek-tsv');
    expect(s.rows).toHaveLength(4);
    // user_agent moved from column 12 to 13 and the content type from mime_type to resp_mime_types: found by name.
    expect(s.rows.map((r) => [r.time, r.host, r.url, r.method, r.userAgent, r.bytesOut, r.bytesIn])).toEqual(
      old.rows.map((r) => [r.time, r.host, r.url, r.method, r.userAgent, r.bytesOut, r.bytesIn]),
    );
    // The POST's only type is the request body's (orig_mime_types); the response has none.
    expect(s.rows.map((r) => r.contentType)).toEqual(['', 'text/html', 'text/html', 'text/html']);
  });

  it('Suricata eve: four http records, the other event types counted by type', () => {
    const s = readRows(EVE);
    expect(s.format).toBe('suricata-eve');
    expect(s.skipped).toEqual([]);
    expect(s.rows.map((r) => r.line)).toEqual([1, 5, 15, 17]);
    expect(s.rows[0]).toMatchObject({
      // 09:40:29.080710 at -0500.
      time: Date.UTC(2022, 1, 8, 14, 40, 29, 80),
      host: '10.2.8.102',
      url: '91.240.118.172/hh/hh.html',
      method: 'GET',
      contentType: 'text/html',
      bytesOut: null,
      bytesIn: 1814,
      user: '',
      action: '',
    });
    expect(s.rows[1].userAgent).toBe('');
    expect(s.rows[2]).toMatchObject({
      url: 'ctldl.windowsupdate.com/msdownload/update/v3/static/trustedr/en/authrootstl.cab?ee5adcc436e2c8bf',
      userAgent: 'Microsoft-CryptoAPI/10.0',
      contentType: 'application/vnd.ms-cab-compressed',
    });
    // No content type logged for it.
    expect(s.rows[3]).toMatchObject({ url: 'ttisecurity.com/cgi/7RFeiqkgymCs/', contentType: '', userAgent: '' });
    const byType: Record<string, number> = {};
    for (const t of s.other) byType[t] = (byType[t] ?? 0) + 1;
    // fileinfo records carry an http object too: they are not requests.
    expect(byType).toEqual({
      'Suricata/dns': 6,
      'Suricata/tls': 3,
      'Suricata/fileinfo': 2,
      'Suricata/flow': 2,
      'Suricata/alert': 1,
      'Suricata/stats': 1,
    });
  });

  it('counts through the core: clients told apart, no alerts before activation', async () => {
    const run = await read(BRO21, ZEEK32, EVE);
    const c = run.counts;
    expect(run.files.map((f) => [f.name, f.format, f.error])).toEqual([
      [BRO21, 'zeek-tsv', null],
      [ZEEK32, 'zeek-tsv', null],
      [EVE, 'suricata-eve', null],
    ]);
    // Syncer (non-browser) and 3 Firefox per Zeek file; MSIE, CryptoAPI and two without a User-Agent in the eve file.
    expect([c.lines, c.headers, c.browser, c.nonBrowser, c.unknown]).toEqual([13 + 13 + 19, 18, 7, 3, 2]);
    expect(c.skipped).toEqual({});
    expect(iso(c.minTime)).toBe('2008-05-16T15:50:57.917Z');
    expect(iso(c.maxTime)).toBe('2022-02-08T16:44:47.431Z');
    expect(run.records).toEqual([]);
  });

  it('a 2016 eve file with only a fileinfo record (slashes escaped as \\/) is read, with no events', async () => {
    const run = await read(EVE_2016);
    expect(run.files[0]).toMatchObject({ format: 'suricata-eve', error: null });
    expect(run.counts.other).toEqual({ 'Suricata/fileinfo': 1 });
    expect(run.counts.browser + run.counts.nonBrowser + run.counts.unknown).toBe(0);
  });
});
