/** The small readings the sensor readers share: times from digits, the URL from Host and URI, Zeek's escapes. */
import { describe, expect, it } from 'vitest';
import { epochNumberMs, epochSecondsMs, isoMs } from '../../src/core/sources/sensorTime';
import { sensorUrl } from '../../src/core/sources/sensorUrl';
import { unescapeZeek } from '../../src/core/sources/zeekBlock';
import { makeTimeParser } from '../../src/core/util/time';
import { urlParts } from '../../src/core/util/url';

const utc = makeTimeParser('UTC');
const berlin = makeTimeParser('Europe/Berlin');

describe('sensor times', () => {
  it.each([
    ['1210953057.917183', 1210953057917],
    ['1773655200.001', 1773655200001],
    ['1773655200.000999', 1773655200000],
    ['1773655200', 1773655200000],
    ['1773655200.9', 1773655200900],
    ['0.5', 500],
  ])('epoch seconds %s is %d ms, cut (not rounded) to the millisecond', (text, ms) => {
    expect(epochSecondsMs(text)).toBe(ms);
  });

  it.each(['', '-', '-1.5', '1e9', '12abc', '1.2.3', '99999999999999'])('%j is no epoch time', (text) => {
    expect(epochSecondsMs(text)).toBeNaN();
  });

  it('a JSON number of seconds keeps its millisecond digits', () => {
    // As doubles, 1089005230.1 * 1000 is just under 1089005230100: the product would lose a millisecond.
    expect(Math.floor(1089005230.1 * 1000)).toBe(1089005230099);
    expect(epochNumberMs(1089005230.1)).toBe(1089005230100);
    expect(epochNumberMs(1788220800.001)).toBe(1788220800001);
    expect(epochNumberMs(-1)).toBeNaN();
    expect(epochNumberMs(Number.NaN)).toBeNaN();
  });

  it.each([
    ['2022-02-08T09:40:29.080710-0500', Date.UTC(2022, 1, 8, 14, 40, 29, 80)],
    ['2016-06-08T20:01:52.875791+0000', Date.UTC(2016, 5, 8, 20, 1, 52, 875)],
    ['2026-03-16T16:30:00.000000+05:30', Date.UTC(2026, 2, 16, 11, 0, 0)],
    ['2026-03-16T16:30:00+0530', Date.UTC(2026, 2, 16, 11, 0, 0)],
    ['2026-03-16T12:00:00Z', Date.UTC(2026, 2, 16, 12, 0, 0)],
    ['2026-03-16T12:00:00.123456Z', Date.UTC(2026, 2, 16, 12, 0, 0, 123)],
    ['2026-03-16T12:00:00-02', Date.UTC(2026, 2, 16, 14, 0, 0)],
  ])('ISO %s', (text, ms) => {
    expect(isoMs(text, utc)).toBe(ms);
  });

  it('an ISO time without a zone is read in the settings zone', () => {
    expect(isoMs('2026-07-01T12:00:00.250', utc)).toBe(Date.UTC(2026, 6, 1, 12, 0, 0, 250));
    expect(isoMs('2026-07-01T12:00:00.250', berlin)).toBe(Date.UTC(2026, 6, 1, 10, 0, 0, 250));
  });

  it.each([
    '2026-02-30T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-01-01T24:00:00Z',
    '2026-01-01T00:60:00Z',
    '2026-01-01',
    '2026-01-01T00:00:00+2400',
    '1969-12-31T23:59:59Z',
    'yesterday',
    '2026-01-01T00:00:00.Z',
  ])('%j is no time', (text) => {
    expect(isoMs(text, utc)).toBeNaN();
  });
});

describe('the URL of a sensor row', () => {
  it.each([
    ['example.com', '/path?q=1', '203.0.113.1', 'example.com/path?q=1', 'example.com', '/path'],
    ['Example.COM:8080', '/x', '203.0.113.1', 'Example.COM:8080/x', 'example.com', '/x'],
    ['', '/payload.bin', '203.0.113.7', '203.0.113.7/payload.bin', '203.0.113.7', '/payload.bin'],
    ['', '/x', '2001:db8::1', '[2001:db8::1]/x', '2001:db8::1', '/x'],
    ['[2001:db8::2]:8443', '/y', '', '[2001:db8::2]:8443/y', '2001:db8::2', '/y'],
    ['proxy.corp', 'http://pastebin.com/raw/a', '10.0.0.1', 'http://pastebin.com/raw/a', 'pastebin.com', '/raw/a'],
    ['www.tunnel.com', 'www.tunnel.com:443', '198.51.100.1', 'www.tunnel.com', 'www.tunnel.com', '/'],
    ['', 'www.tunnel.com:443', '198.51.100.1', 'www.tunnel.com:443', 'www.tunnel.com', '/'],
    ['example.com', '', '', 'example.com', 'example.com', '/'],
    ['example.com', '*', '', 'example.com', 'example.com', '/'],
    ['example.com', 'index.html', '', 'example.com/index.html', 'example.com', '/index.html'],
    ['example.com', '?q=1', '', 'example.com/?q=1', 'example.com', '/'],
  ])('Host %j, URI %j, server %j: %j', (host, uri, server, url, hostname, path) => {
    const got = sensorUrl(host, uri, server);
    expect(got).toBe(url);
    expect(urlParts(got)).toEqual({ hostname, path });
  });

  it('has no URL without any host', () => {
    expect(sensorUrl('', '/x', '')).toBe('');
  });
});

describe("Zeek's escapes", () => {
  it.each([
    ['plain', 'plain'],
    ['a\\x09b', 'a\tb'],
    ['\\x2d', '-'],
    ['\\x28empty)', '(empty)'],
    ['\\x23 not a header', '# not a header'],
    ['text/html\\x2ccharset', 'text/html,charset'],
    ['caf\\xc3\\xa9', 'café'],
    ['\\xe6\\x97\\xa5\\xe6\\x9c\\xac', '日本'],
    ['bad \\xff byte', 'bad \uFFFD byte'],
    ['C:\\Windows\\x5c', 'C:\\Windows\\'],
    ['no \\xZZ escape', 'no \\xZZ escape'],
    ['cut \\x4', 'cut \\x4'],
  ])('%j reads as %j', (raw, text) => {
    expect(unescapeZeek(raw)).toBe(text);
  });
});
