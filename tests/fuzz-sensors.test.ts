/**
 * Seeded fuzzing of the sensor readers (Zeek TSV, Zeek JSON, Suricata eve) as
 * the CLI drives them (tests/helpers/run-core.ts): good requests mixed with
 * junk of the format, random line ends, a byte order mark, gzip, chunk sizes
 * and parts of random sizes. Fixed seed, so a failure replays; fast-check
 * prints the shrunk counterexample.
 */
import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { summaryText } from '../src/cli/summary';
import type { FileReport } from '../src/core/ingest/report';
import type { AlertRecord } from '../src/core/alerts/record';
import { defaultSettings } from '../src/core/settings/settings';
import { SKIP_REASONS, totalEvents, totalSkipped } from '../src/core/sources/counts';
import { runCore, type CoreRun } from './helpers/run-core';
import {
  DAY_MS,
  goodLine,
  junkArb,
  neutralArb,
  reqArb,
  SENSOR_FORMATS,
  styleArb,
  T0,
  ZEEK_FIELDS,
  zeekHeader,
  zeekTsvRow,
  type Line,
  type Req,
  type SensorFormat,
} from './helpers/sensor-lines';

const SEED = 0x5e45_2026;
const params = (numRuns: number): fc.Parameters<unknown> => ({ seed: SEED, numRuns });
const settings = defaultSettings();
const enc = new TextEncoder();

/** The data start: a browser request 15 days before the good lines' window ends, so they can alert. */
const ANCHOR: Req = {
  time: T0,
  src: '10.9.9.9',
  hostHeader: 'www.example.org',
  server: '203.0.113.9',
  uri: '/',
  method: 'GET',
  userAgent: 'Mozilla/5.0 (X11) Firefox/120.0',
  contentType: 'text/html',
  bodyOut: 0,
  bodyIn: 1,
  offset: 0,
};
/** One request sure to alert, so every good set has alerts to compare. */
const SURE: Req = {
  ...ANCHOR,
  time: T0 + 16 * DAY_MS,
  src: '10.0.0.9',
  hostHeader: 'pastebin.com',
  uri: '/raw/sure',
  userAgent: 'curl/8.4.0',
};

interface Built {
  bytes: Uint8Array;
  /** 1-based line of each line in the file. */
  lineOf: number[];
}

function build(lines: readonly Line[], ends: readonly string[], bom: boolean, finalEnd: boolean): Built {
  let text = bom ? '\uFEFF' : '';
  const lineOf: number[] = [];
  lines.forEach((l, i) => {
    lineOf.push(i + 1);
    text += l.text;
    if (i < lines.length - 1 || finalEnd || l.text === '') text += ends[i % ends.length];
  });
  return { bytes: enc.encode(text), lineOf };
}

async function detect(
  name: string,
  bytes: Uint8Array,
  sizes: { chunk: number; segment: { first: number; rest: number } | undefined },
): Promise<CoreRun> {
  const run = await runCore([{ name, bytes }], settings, { chunkSize: sizes.chunk, segmentBytes: sizes.segment });
  JSON.stringify(run.records);
  summaryText(run.files, run.counts, run.detection);
  return run;
}

/** Every line lands in exactly one count; every skip has a known reason and an example within the file. */
function checkAccounting(report: FileReport, lines: number): void {
  const c = report.counts;
  const other = Object.values(c.other).reduce((s, n) => s + n, 0);
  expect(c.lines, 'lines = events + other + headers + blank + skipped').toBe(
    totalEvents(c) + other + c.headers + c.blank + totalSkipped(c),
  );
  expect(c.lines).toBe(lines);
  for (const reason of Object.keys(c.skipped)) expect(Object.keys(SKIP_REASONS)).toContain(reason);
  for (const ex of c.examples) {
    expect(ex.line).toBeGreaterThanOrEqual(1);
    expect(ex.line).toBeLessThanOrEqual(c.lines);
  }
}

function moved(records: AlertRecord[], lineMap: Map<number, number>): AlertRecord[] {
  return records.map((r) => ({
    ...r,
    evidence: r.evidence.map((e) => ({ ...e, source: { ...e.source, line: lineMap.get(e.source.line) ?? -1 } })),
  }));
}

const sizesArb = fc.record({
  chunk: fc.oneof(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 8, max: 70_000 })),
  segment: fc.option(fc.record({ first: fc.integer({ min: 1, max: 400 }), rest: fc.integer({ min: 1, max: 2000 }) }), {
    nil: undefined,
  }),
});

const FORMAT_ID: Readonly<Record<SensorFormat, string>> = {
  'zeek-tsv': 'zeek-tsv',
  'zeek-json': 'zeek-json',
  'suricata-eve': 'suricata-eve',
};

describe('sensor readers fuzz', () => {
  it('good requests mixed with junk give the alerts of the good requests alone', async () => {
    let withAlerts = 0;
    // The hard parts met: gzip input, and files with real junk among the good lines.
    let gzipped = 0;
    let junked = 0;
    const mix = fc.constantFrom(...SENSOR_FORMATS).chain((format) =>
      fc.record({
        format: fc.constant(format),
        good: fc.array(fc.tuple(reqArb, styleArb), { maxLength: 25 }),
        junk: fc.array(fc.tuple(junkArb(format), fc.nat()), { maxLength: 25 }),
        before: fc.array(neutralArb, { maxLength: 3 }),
        ends: fc.array(fc.constantFrom('\n', '\r\n'), { minLength: 1, maxLength: 4 }),
        bom: fc.boolean(),
        finalEnd: fc.boolean(),
        gzip: fc.oneof({ weight: 5, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
        sizes: sizesArb,
      }),
    );
    await fc.assert(
      fc.asyncProperty(mix, async ({ format, good, junk, before, ends, bom, finalEnd, gzip, sizes }) => {
        const style = { escapeUtf8: false, iso: false, micro: 0 };
        const reqs: [Req, typeof style][] = [[ANCHOR, style], ...good, [SURE, style]];
        const goods = reqs.map(([r, s]) => goodLine(format, r, s));
        const head = format === 'zeek-tsv' ? zeekHeader() : [];
        // Zeek TSV is held to the same requests as Zeek JSON, which has no escapes and no columns to find.
        const refFormat = format === 'zeek-tsv' ? 'zeek-json' : format;
        const reference = build(
          reqs.map(([r, s]) => goodLine(refFormat, r, s)),
          ['\n'],
          false,
          true,
        );
        const ref = await detect('http.log', reference.bytes, { chunk: reference.bytes.length, segment: undefined });
        expect(ref.files[0].error).toBeNull();
        expect(totalEvents(ref.counts)).toBe(goods.length);
        if (ref.records.length > 0) withAlerts++;
        if (gzip) gzipped++;
        if (junk.length > 0) junked++;

        // Junk goes after a good line; before the first only text no reader takes (a JSON record there could name another format).
        const slots: Line[][] = goods.map(() => []);
        for (const [line, at] of junk) slots[at % goods.length].push(line);
        const lines: Line[] = format === 'zeek-tsv' ? [...head, ...before] : [...before];
        const goodAt: number[] = [];
        goods.forEach((g, i) => {
          goodAt.push(lines.length);
          lines.push(g, ...slots[i]);
        });
        const mixed = build(lines, ends, bom, finalEnd);
        const bytes = gzip ? new Uint8Array(gzipSync(mixed.bytes)) : mixed.bytes;
        const run = await detect('http.log', bytes, sizes);
        const whole = await detect('http.log', bytes, { chunk: bytes.length, segment: undefined });
        expect({ ...run.files[0], elapsedMs: 0 }).toEqual({ ...whole.files[0], elapsedMs: 0 });
        expect(run.records).toEqual(whole.records);

        const report = run.files[0];
        expect(report.error).toBeNull();
        expect(report.format).toBe(FORMAT_ID[format]);
        checkAccounting(report, mixed.lineOf.length);
        const c = run.counts;
        expect(totalEvents(c), 'events are the good lines').toBe(goods.length);
        const r = ref.counts;
        expect([c.browser, c.nonBrowser, c.unknown, c.minTime, c.maxTime]).toEqual([
          r.browser,
          r.nonBrowser,
          r.unknown,
          r.minTime,
          r.maxTime,
        ]);
        const want = { other: {} as Record<string, number>, skipped: {} as Record<string, number>, headers: 0 };
        for (const l of lines) {
          if (l.expect.kind === 'other') want.other[l.expect.type] = (want.other[l.expect.type] ?? 0) + 1;
          if (l.expect.kind === 'skip') want.skipped[l.expect.reason] = (want.skipped[l.expect.reason] ?? 0) + 1;
          if (l.expect.kind === 'header') want.headers++;
        }
        expect(c.other).toEqual(want.other);
        expect(c.headers).toBe(want.headers);
        for (const [reason, n] of Object.entries(want.skipped))
          expect(c.skipped[reason as keyof typeof c.skipped] ?? 0, reason).toBeGreaterThanOrEqual(n);

        const lineMap = new Map<number, number>();
        goodAt.forEach((at, i) => lineMap.set(i + 1, mixed.lineOf[at]));
        expect(run.records).toEqual(moved(ref.records, lineMap));
      }),
      params(120),
    );
    expect(withAlerts).toBe(120);
    expect(gzipped, 'gzipped files').toBeGreaterThan(120 * 0.08);
    expect(junked, 'files with junk among the good lines').toBeGreaterThan(120 * 0.6);
  }, 120_000);

  it('Zeek TSV rows are read by the names of their own header block, however the columns move', async () => {
    // Each block a permutation of the fields, some with columns a site added.
    const blockArb = fc.record({
      fields: fc.shuffledSubarray([...ZEEK_FIELDS], { minLength: ZEEK_FIELDS.length }),
      added: fc.subarray(['client_header_names', 'server_header_names', 'x_forwarded_for', 'cookie_vars'], { maxLength: 3 }),
      rows: fc.array(fc.tuple(reqArb, styleArb), { minLength: 1, maxLength: 10 }),
      close: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(blockArb, { minLength: 1, maxLength: 4 }), sizesArb, async (blocks, sizes) => {
        const style = { escapeUtf8: false, iso: false, micro: 0 };
        const flat: [Req, typeof style][] = [[ANCHOR, style], ...blocks.flatMap((b) => b.rows), [SURE, style]];
        const reference = build([...zeekHeader(), ...flat.map(([r, s]) => goodLine('zeek-tsv', r, s))], ['\n'], false, true);
        const ref = await detect('http.log', reference.bytes, { chunk: reference.bytes.length, segment: undefined });

        const lines: Line[] = [...zeekHeader(), goodLine('zeek-tsv', ANCHOR, style)];
        const lineMap = new Map<number, number>([[9, 9]]);
        let n = 1;
        let fields: string[] = [...ZEEK_FIELDS];
        for (const b of blocks) {
          fields = [...b.fields, ...b.added];
          lines.push(...zeekHeader(fields));
          for (const [r, s] of b.rows) {
            lines.push({ text: zeekTsvRow(r, s.escapeUtf8, s.micro, fields), label: 'good', expect: { kind: 'event' } });
            lineMap.set(9 + n++, lines.length);
          }
          if (b.close) lines.push({ text: '#close\t2026-01-21-00-00-00', label: '#close', expect: { kind: 'header' } });
        }
        // In the last block, by its names.
        lines.push({ text: zeekTsvRow(SURE, false, 0, fields), label: 'good', expect: { kind: 'event' } });
        lineMap.set(9 + n, lines.length);
        const mixed = build(lines, ['\n'], false, true);
        const run = await detect('http.log', mixed.bytes, sizes);
        expect(run.files[0].error).toBeNull();
        checkAccounting(run.files[0], lines.length);
        expect(run.counts.skipped).toEqual({});
        expect([run.counts.browser, run.counts.nonBrowser, run.counts.unknown]).toEqual([
          ref.counts.browser,
          ref.counts.nonBrowser,
          ref.counts.unknown,
        ]);
        expect(run.records).toEqual(moved(ref.records, lineMap));
      }),
      params(60),
    );
  }, 120_000);

  it('JSON lines of neither sensor are not a recognised format, and the message names both', async () => {
    const keys = fc.constantFrom('name', 'time', 'value', 'tsx', 'eventtype', 'host', 'uri', 'id', 'level', 'msg');
    const obj = fc.dictionary(keys, fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.boolean()), { maxKeys: 5 });
    await fc.assert(
      fc.asyncProperty(fc.array(obj, { minLength: 1, maxLength: 40 }), sizesArb, async (objs, sizes) => {
        const lines = objs.map((o): Line => ({ text: JSON.stringify(o), label: 'json', expect: { kind: 'any' } }));
        const { bytes } = build(lines, ['\n'], false, true);
        const run = await detect('app.json', bytes, sizes);
        expect(run.files[0].error).toMatch(/not a recognised log format/);
        expect(run.files[0].error).toMatch(/Zeek/);
        expect(run.files[0].error).toMatch(/Suricata/);
        expect(run.records).toEqual([]);
      }),
      params(40),
    );
  }, 60_000);
});
