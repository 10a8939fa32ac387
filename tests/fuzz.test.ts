/**
 * Bad input at scale, on purpose: seeded fuzzing of the ingest path exactly as
 * the CLI drives it (the map over chunks of random sizes, cut into parts of
 * random sizes and parsed by two worker threads, then the merge into the
 * detector). Fixed seed, so a failure replays; fast-check prints the shrunk
 * counterexample and the seed.
 */
import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePool } from '../src/cli/pool';
import { summaryText } from '../src/cli/summary';
import { EMPTY_FILE, isEmptyReport, ONLY_BLANK, type FileReport } from '../src/core/ingest/report';
import type { AlertRecord } from '../src/core/alerts/record';
import { MAX_LINE_CHARS } from '../src/core/sources/lines';
import { defaultSettings } from '../src/core/settings/settings';
import { SKIP_REASONS, totalEvents, totalSkipped, type SkipReason } from '../src/core/sources/counts';
import {
  anchorLines,
  BOM,
  COL,
  concat,
  DAY_MS,
  exportHeader,
  goodLine,
  goodPiece,
  junkArb,
  otherLine,
  ROW_WIDTH,
  T0,
  urlFields,
  urlLineArb,
  utf8,
  joinRow,
  syslogLine,
  type OtherType,
  type Piece,
  type UrlLine,
} from './helpers/fuzz-lines';
import { runCore } from './helpers/run-core';

const SEED = 0x0ffb_2026;
/** No single file may take longer than this to read and analyse (a hang fails the case, it does not stall the suite). */
const CASE_MS = 5000;
/** The same for the files of tens of MB. */
const BIG_CASE_MS = 30_000;
let cases = 0;
let files = 0;
/** Two parse threads for every file, started once. */
const pool = parsePool(defaultSettings(), 2);

afterAll(() => {
  pool.close();
  console.log(`fuzz: ${cases} cases run, ${files} files ingested (seed ${SEED})`);
});

const params = (numRuns: number): fc.Parameters<unknown> => ({ seed: SEED, numRuns });

/** Chunk sizes, cycled: single bytes (cutting UTF-8 sequences and CRLFs) up to 64 KiB. */
const sizesArb = fc.array(
  fc.oneof(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 65_536 })),
  { minLength: 1, maxLength: 12 },
);

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

interface Run {
  report: FileReport;
  records: AlertRecord[];
}

/**
 * The CLI's `detect` over one file, down to the JSON lines and the summary.
 * The chunk sizes also set how the file is cut into parts (a first part of
 * 64 to 4,159 bytes, then parts of up to 64 KiB), so the parts' borders fall
 * everywhere, and the parts go to two threads.
 */
async function detect(name: string, bytes: Uint8Array, sizes: readonly number[], limitMs = CASE_MS): Promise<Run> {
  files++;
  const started = performance.now();
  const segmentBytes = { first: 64 + (sizes[0] % 4096), rest: 64 + (sizes[sizes.length - 1] % 65_536) };
  const got = await withTimeout(
    runCore([{ name, bytes }], defaultSettings(), { chunkSizes: sizes, pool, segmentBytes }),
    limitMs,
    name,
  );
  JSON.stringify(got.records);
  summaryText(got.files, got.counts, got.detection);
  expect(performance.now() - started, `${name} read in time`).toBeLessThan(limitMs);
  return { report: got.files[0], records: got.records };
}

/** Chunking must not matter: the same report (but the time taken) and the same alerts. */
function expectSameRun(a: Run, b: Run): void {
  expect({ ...a.report, elapsedMs: 0 }).toEqual({ ...b.report, elapsedMs: 0 });
  expect(a.records).toEqual(b.records);
}

function stripBom(bytes: Uint8Array): Uint8Array {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
}

/** Physical lines: line feeds, plus a last line without one. */
function physicalLines(bytes: Uint8Array): Uint8Array[] {
  const body = stripBom(bytes);
  const lines: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    if (body[i] === 0x0a) {
      lines.push(body.subarray(start, i));
      start = i + 1;
    }
  }
  if (start < body.length) lines.push(body.subarray(start));
  return lines;
}

const strict = new TextDecoder('utf-8', { fatal: true });
/** A line the decoder turns U+FFFD into: invalid UTF-8 (or an earlier decoder's U+FFFD). */
function heldInvalidUtf8(line: Uint8Array): boolean {
  try {
    return strict.decode(line).includes('\uFFFD');
  } catch {
    return true;
  }
}

const OTHER_KEY = /^[A-Z][A-Z-]{2,31}(\/[a-z][a-z0-9-]{0,31})?$/;

/** Every line read lands in exactly one count, every skip has a known reason. */
function checkAccounting(report: FileReport, plain: Uint8Array): void {
  const c = report.counts;
  const other = Object.values(c.other).reduce((s, n) => s + n, 0);
  expect(c.lines, 'lines = events + other + headers + blank + skipped').toBe(
    totalEvents(c) + other + c.headers + c.blank + totalSkipped(c),
  );
  const lines = physicalLines(plain);
  if (report.error === null) {
    expect(c.lines, 'every physical line read').toBe(lines.length);
    expect(c.invalidUtf8Lines, 'lines with invalid UTF-8').toBe(lines.filter(heldInvalidUtf8).length);
  } else {
    expect(c.lines).toBeLessThanOrEqual(lines.length);
    expect(c.invalidUtf8Lines).toBeLessThanOrEqual(c.lines);
  }
  for (const [reason, n] of Object.entries(c.skipped)) {
    expect(Object.keys(SKIP_REASONS), 'skip reason').toContain(reason);
    expect(n).toBeGreaterThan(0);
  }
  for (const ex of c.examples) {
    expect(c.skipped[ex.reason], `example of ${ex.reason}`).toBeGreaterThan(0);
    expect(ex.line).toBeGreaterThanOrEqual(1);
    expect(ex.line).toBeLessThanOrEqual(c.lines);
  }
  for (const key of Object.keys(c.other)) expect(key, 'other log type name').toMatch(OTHER_KEY);
}

interface Built {
  bytes: Uint8Array;
  /** 1-based line of each piece in the file. */
  lineOf: number[];
}

/** Pieces joined with the given line ends (cycled), optionally a BOM in front and no final line end. */
function build(pieces: readonly Piece[], ends: readonly string[], bom: boolean, finalEnd: boolean): Built {
  // An empty last piece is a line only with a line end.
  if (pieces.length > 0 && pieces[pieces.length - 1].bytes.length === 0) finalEnd = true;
  const parts: Uint8Array[] = bom ? [BOM] : [];
  const lineOf: number[] = [];
  pieces.forEach((p, i) => {
    parts.push(p.bytes);
    lineOf.push(i + 1);
    if (i < pieces.length - 1 || finalEnd) parts.push(utf8(ends[i % ends.length]));
  });
  return { bytes: concat(parts), lineOf };
}

/** The good set's alerts with their evidence's line numbers moved to where the lines sit in another file. */
function movedRecords(records: AlertRecord[], lineMap: Map<number, number>): AlertRecord[] {
  return records.map((r) => ({
    ...r,
    evidence: r.evidence.map((e) => ({ ...e, source: { ...e.source, line: lineMap.get(e.source.line) ?? -1 } })),
  }));
}

const headerPiece: Piece = { bytes: utf8(exportHeader()), label: 'export header', expect: { kind: 'header' } };

const MIX_RUNS = 200;

describe('ingest fuzz', () => {
  it('good PAN-OS URL lines mixed with junk give the alerts of the good lines alone', async () => {
    let withAlerts = 0;
    // The hard parts met: gzip input, and files with real junk among the good lines.
    let gzipped = 0;
    let junked = 0;
    const mix = fc.constantFrom<'syslog' | 'export'>('syslog', 'export').chain((format) =>
      fc.record({
        format: fc.constant(format),
        good: fc.array(fc.tuple(urlLineArb, fc.boolean(), fc.boolean()), { maxLength: 30 }),
        junk: fc.array(fc.tuple(junkArb(format), fc.nat()), { maxLength: 30 }),
        ends: fc.array(fc.constantFrom('\n', '\r\n'), { minLength: 1, maxLength: 5 }),
        bom: fc.boolean(),
        finalEnd: fc.boolean(),
        gzip: fc.oneof({ weight: 5, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
        sizes: sizesArb,
      }),
    );
    await fc.assert(
      fc.asyncProperty(mix, async ({ format, good, junk, ends, bom, finalEnd, gzip, sizes }) => {
        cases++;
        const [first, last] = anchorLines();
        const goods = [
          goodPiece(first, format, false),
          ...good.map(([l, bad]) => goodPiece(l, format, bad)),
          goodPiece(last, format, false),
        ];
        // Column 0 is not read, so a BOM there (files joined with cat) changes nothing.
        const bomBefore = [false, ...good.map(([, , b]) => b), false];
        const head = format === 'export' ? [headerPiece] : [];
        const reference = build([...head, ...goods], ['\n'], false, true);
        const ref = await detect('url.log', reference.bytes, [reference.bytes.length]);
        expect(ref.report.error).toBeNull();
        expect(totalEvents(ref.report.counts)).toBe(goods.length);
        if (ref.records.length > 0) withAlerts++;
        if (gzip) gzipped++;
        if (junk.length > 0) junked++;

        // Junk goes between good lines; in a syslog file an export header before the first row would make it an export.
        const slots: Piece[][] = goods.map(() => []);
        const before: Piece[] = [];
        for (const [piece, at] of junk) {
          const slot = at % (goods.length + 1);
          if (slot === 0 && !(format === 'syslog' && piece.label === 'export header')) before.push(piece);
          else slots[Math.max(0, slot - 1)].push(piece);
        }
        const pieces: Piece[] = [...head, ...before];
        const goodIndex: number[] = [];
        goods.forEach((g, i) => {
          goodIndex.push(pieces.length);
          pieces.push(bomBefore[i] ? { ...g, bytes: concat([BOM, g.bytes]) } : g, ...slots[i]);
        });
        const mixed = build(pieces, ends, bom, finalEnd);
        const bytes = gzip ? new Uint8Array(gzipSync(mixed.bytes)) : mixed.bytes;
        const run = await detect('url.log', bytes, sizes);
        expectSameRun(run, await detect('url.log', bytes, [bytes.length]));

        const c = run.report.counts;
        expect(run.report.error).toBeNull();
        expect(run.report.gzip).toBe(gzip);
        checkAccounting(run.report, mixed.bytes);
        expect(totalEvents(c), 'events are the good lines').toBe(goods.length);
        const r = ref.report.counts;
        expect([c.browser, c.nonBrowser, c.unknown, c.minTime, c.maxTime]).toEqual([
          r.browser,
          r.nonBrowser,
          r.unknown,
          r.minTime,
          r.maxTime,
        ]);

        const want = { blank: 0, headers: 0, other: {} as Record<string, number>, skipped: {} as Record<string, number> };
        for (const p of pieces) {
          const e = p.expect;
          if (e.kind === 'blank') want.blank++;
          else if (e.kind === 'header') want.headers++;
          else if (e.kind === 'other') want.other[e.type] = (want.other[e.type] ?? 0) + 1;
          else if (e.kind === 'skip') want.skipped[e.reason] = (want.skipped[e.reason] ?? 0) + 1;
        }
        expect(c.blank).toBeGreaterThanOrEqual(want.blank);
        expect(c.headers).toBeGreaterThanOrEqual(want.headers);
        for (const [t, n] of Object.entries(want.other)) expect(c.other[t], `other ${t}`).toBeGreaterThanOrEqual(n);
        for (const [s, n] of Object.entries(want.skipped))
          expect(c.skipped[s as SkipReason], `skipped ${s}`).toBeGreaterThanOrEqual(n);

        const lineMap = new Map<number, number>();
        goodIndex.forEach((at, i) => lineMap.set(head.length + i + 1, mixed.lineOf[at]));
        expect(run.records).toEqual(movedRecords(ref.records, lineMap));
      }),
      params(MIX_RUNS),
    );
    expect(withAlerts, 'the good sets raise alerts').toBeGreaterThan(MIX_RUNS * 0.9);
    expect(gzipped, 'gzipped files').toBeGreaterThan(MIX_RUNS * 0.08);
    expect(junked, 'files with junk among the good lines').toBeGreaterThan(MIX_RUNS * 0.6);
  }, 60_000);

  it('a file that is not a log at all gets an error, whatever its chunks', async () => {
    const notLog = fc.oneof(
      fc
        .array(
          junkArb('syslog').filter((p) => !/^(other|export header|truncated|bad time)/.test(p.label)),
          { minLength: 1, maxLength: 40 },
        )
        .map((ps) => build(ps, ['\n'], false, true).bytes),
      fc.uint8Array({ minLength: 1, maxLength: 20_000 }),
      fc
        .tuple(fc.integer({ min: 1, max: 5000 }), fc.uint8Array({ maxLength: 5000 }))
        .map(([n, b]) => concat([new Uint8Array(n), b])),
      fc
        .tuple(fc.uint8Array({ minLength: 1, maxLength: 3000 }), fc.nat())
        .map(([b, n]) => {
          const z = gzipSync(b);
          return new Uint8Array(z.subarray(0, n % z.length));
        })
        .filter((z) => z.length >= 2),
    );
    await fc.assert(
      fc.asyncProperty(notLog, sizesArb, async (bytes, sizes) => {
        const text = new TextDecoder().decode(bytes);
        fc.pre(text.split('\n').some((l) => l.replace(/\r$/, '').trim() !== ''));
        cases++;
        const run = await detect('notes.bin', bytes, sizes);
        expectSameRun(run, await detect('notes.bin', bytes, [bytes.length]));
        expect(run.report.error, 'not a log').not.toBeNull();
        expect(run.records).toEqual([]);
        if (!run.report.gzip) checkAccounting(run.report, bytes);
        if (!run.report.gzip && text.slice(0, 4096).includes('\u0000')) expect(run.report.error).toMatch(/binary/);
      }),
      params(150),
    );
  }, 60_000);

  it('empty and blank files are named as empty, and an export header with no rows is read without an error', async () => {
    const quiet = fc.record({
      kind: fc.constantFrom('empty', 'blank', 'header'),
      blankLines: fc.array(fc.constantFrom('', ' ', '\t'), { maxLength: 5 }),
      ends: fc.array(fc.constantFrom('\n', '\r\n'), { minLength: 1, maxLength: 3 }),
      bom: fc.boolean(),
      finalEnd: fc.boolean(),
      sizes: sizesArb,
    });
    await fc.assert(
      fc.asyncProperty(quiet, async ({ kind, blankLines, ends, bom, finalEnd, sizes }) => {
        cases++;
        const blanks = blankLines.map((s): Piece => ({ bytes: utf8(s), label: 'blank', expect: { kind: 'blank' } }));
        const pieces = kind === 'empty' ? [] : kind === 'blank' ? blanks : [headerPiece, ...blanks];
        const { bytes } = build(pieces, ends, bom, finalEnd);
        const run = await detect('empty.csv', bytes, sizes);
        if (kind === 'header') expect(run.report.error).toBeNull();
        else if (bytes.length === 0) expect(run.report.error).toBe(EMPTY_FILE);
        else expect(run.report.error).toBe(ONLY_BLANK);
        if (kind !== 'header') expect(isEmptyReport(run.report)).toBe(true);
        checkAccounting(run.report, bytes);
        expect(run.report.counts.headers).toBe(kind === 'header' ? 1 : 0);
        expect(run.report.format).toBe(kind === 'header' ? 'panos-csv' : null);
        expect(totalEvents(run.report.counts) + totalSkipped(run.report.counts)).toBe(0);
      }),
      params(60),
    );
  });

  it('out-of-range times are skipped for their time, a far but real one is an event', async () => {
    const TIMES: Record<string, 'bad-time' | 'event'> = {
      '2026/13/01 10:00:00': 'bad-time',
      '0000/01/01 00:00:00': 'bad-time',
      '2026/02/30 12:00:00': 'bad-time',
      '9999/12/31 23:59:59': 'event',
      '1970/01/01 00:00:00': 'event',
    };
    const lines = fc.array(fc.tuple(urlLineArb, fc.constantFrom(...Object.keys(TIMES)), fc.boolean()), {
      minLength: 1,
      maxLength: 20,
    });
    await fc.assert(
      fc.asyncProperty(lines, fc.constantFrom<'syslog' | 'export'>('syslog', 'export'), sizesArb, async (ls, format, sizes) => {
        cases++;
        const pieces = ls.map(([l, t, both]): Piece => {
          // An export's rows have its header's width; syslog rows any.
          const f = urlFields(format === 'export' ? { ...l, width: ROW_WIDTH } : l);
          f[COL.generateTime] = t;
          if (both) f[COL.receiveTime] = t;
          const line = format === 'syslog' ? syslogLine(f, l.syslogHeader) : joinRow(f);
          return { bytes: utf8(line), label: t, expect: { kind: 'any' } };
        });
        const head = format === 'export' ? [headerPiece] : [];
        const { bytes } = build([...head, ...pieces], ['\n'], false, true);
        const run = await detect('times.log', bytes, sizes);
        checkAccounting(run.report, bytes);
        const events = ls.filter(([, t]) => TIMES[t] === 'event').length;
        expect(run.report.error).toBeNull();
        expect(totalEvents(run.report.counts)).toBe(events);
        expect(run.report.counts.skipped['bad-time'] ?? 0).toBe(ls.length - events);
      }),
      params(60),
    );
  });

  it('other log types alone are passed over by type', async () => {
    const others = fc.array(
      fc.tuple(fc.constantFrom<OtherType>('TRAFFIC', 'SYSTEM', 'THREAT/vulnerability', 'CONFIG'), fc.nat(21 * DAY_MS), fc.nat()),
      { minLength: 1, maxLength: 40 },
    );
    await fc.assert(
      fc.asyncProperty(others, fc.constantFrom('\n', '\r\n'), sizesArb, async (os, end, sizes) => {
        cases++;
        const pieces = os.map(([t, at, s]): Piece => ({
          bytes: utf8(otherLine(t, T0 + at, s, '<14>Jan  1 00:00:00 PA-3220')),
          label: t,
          expect: { kind: 'other', type: t },
        }));
        const { bytes } = build(pieces, [end], false, true);
        const run = await detect('other.log', bytes, sizes);
        expect(run.report.error).toBeNull();
        checkAccounting(run.report, bytes);
        const want: Record<string, number> = {};
        for (const [t] of os) want[t] = (want[t] ?? 0) + 1;
        expect(run.report.counts.other).toEqual(want);
      }),
      params(40),
    );
  });

  it('lines truncated anywhere are each accounted for', async () => {
    // Anywhere in the line, or next to a cell boundary (just before, at or after the comma that ends cell `column`).
    const where = fc.oneof(
      fc.record({ anywhere: fc.noBias(fc.nat()) }),
      fc.record({
        column: fc.oneof(
          fc.constantFrom(COL.receiveTime, COL.serial, COL.type, COL.subtype, COL.generateTime, COL.url),
          fc.nat({ max: 99 }),
        ),
        d: fc.integer({ min: -1, max: 1 }),
      }),
    );
    const cutAt = (line: string, w: { anywhere: number } | { column: number; d: number }): number => {
      if ('anywhere' in w) return w.anywhere % (line.length + 1);
      let at = -1;
      for (let k = 0; k <= w.column && at < line.length; k++) {
        const next = line.indexOf(',', at + 1);
        at = next === -1 ? line.length : next;
      }
      return Math.max(0, Math.min(line.length, at + w.d));
    };
    const cut = fc.array(fc.tuple(urlLineArb, where), { minLength: 5, maxLength: 30 });
    await fc.assert(
      fc.asyncProperty(cut, fc.constantFrom<'syslog' | 'export'>('syslog', 'export'), sizesArb, async (ls, format, sizes) => {
        cases++;
        const pieces = ls.map(([l, at]): Piece => {
          const line = goodLine(l, format);
          return { bytes: utf8(line.slice(0, cutAt(line, at))), label: 'truncated', expect: { kind: 'any' } };
        });
        const head = format === 'export' ? [headerPiece] : [];
        const { bytes } = build([...head, ...pieces], ['\n'], false, false);
        const run = await detect('cut.log', bytes, sizes);
        checkAccounting(run.report, bytes);
        expect(totalEvents(run.report.counts)).toBeLessThanOrEqual(ls.length);
      }),
      params(80),
    );
  });

  it('a 10 MB line among good lines changes nothing else', async () => {
    const long = fc.record({
      fill: fc.constantFrom('x', 'abc,', '"q",', 'é', '\u0000'),
      at: fc.nat(),
      format: fc.constantFrom<'syslog' | 'export'>('syslog', 'export'),
      sizes: fc.array(fc.integer({ min: 4096, max: 2 << 20 }), { minLength: 1, maxLength: 4 }),
    });
    await fc.assert(
      fc.asyncProperty(long, async ({ fill, at, format, sizes }) => {
        cases++;
        const goods = [anchorLines()[0], ...fixedGood(), anchorLines()[1]].map((l) => goodPiece(l, format, false));
        const head = format === 'export' ? [headerPiece] : [];
        const reference = build([...head, ...goods], ['\n'], false, true);
        const ref = await detect('big.log', reference.bytes, [reference.bytes.length], BIG_CASE_MS);
        const text = fill.repeat(Math.ceil(10_000_000 / fill.length));
        const slot = 1 + (at % goods.length);
        const big: Piece = { bytes: utf8(text), label: '10 MB', expect: { kind: 'any' } };
        const pieces = [...head, ...goods.slice(0, slot), big, ...goods.slice(slot)];
        const mixed = build(pieces, ['\n'], false, true);
        const run = await detect('big.log', mixed.bytes, sizes, BIG_CASE_MS);
        expect(run.report.error).toBeNull();
        checkAccounting(run.report, mixed.bytes);
        const lineMap = new Map<number, number>();
        goods.forEach((_, i) => lineMap.set(head.length + i + 1, head.length + i + 1 + (i >= slot ? 1 : 0)));
        expect(totalEvents(run.report.counts)).toBe(goods.length);
        expect(run.records).toEqual(movedRecords(ref.records, lineMap));
      }),
      params(3),
    );
  }, 120_000);
});

/** A fixed good set that alerts. */
function fixedGood(): UrlLine[] {
  const base = { user: 'corp\\dave', contentType: 'text/html', action: 'alert', width: 100, syslogHeader: '', method: 'get' };
  return [
    { ...base, time: T0 + 16 * DAY_MS, src: '10.3.3.3', url: 'rentry.co/x', userAgent: 'python-requests/2.31.0', session: 10 },
    { ...base, time: T0 + 17 * DAY_MS, src: '10.3.3.4', url: 'www.example.com/', userAgent: 'Wget/1.21.3', session: 11 },
  ];
}

describe('a line over MAX_LINE_CHARS', () => {
  it('is skipped as too long however the file is chunked, and its neighbours are read', async () => {
    const goods = [anchorLines()[0], ...fixedGood(), anchorLines()[1]].map((l) => goodLine(l, 'syslog'));
    const exact = 'x'.repeat(MAX_LINE_CHARS);
    const over = 'y'.repeat(MAX_LINE_CHARS + 1);
    const text = [goods[0], goods[1], exact, goods[2], over, goods[3]].join('\r\n') + '\r\n';
    const bytes = utf8(text);
    expect(text.slice(goods[0].length + goods[1].length + 4).startsWith('xx')).toBe(true);
    const reference = utf8(goods.join('\n') + '\n');
    const ref = await detect('long.log', reference, [reference.length]);
    const lineMap = new Map([
      [1, 1],
      [2, 2],
      [3, 4],
      [4, 6],
    ]);
    // The CLI's 1 MiB; a cut between the CR and LF of the line of exactly the limit (the longer line then
    // lies inside one chunk); a cut that leaves the longer line's start just under the limit.
    const exactAt = goods[0].length + goods[1].length + 4;
    const overAt = exactAt + MAX_LINE_CHARS + goods[2].length + 4;
    const cuts = [[1 << 20], [exactAt + MAX_LINE_CHARS + 1], [overAt + MAX_LINE_CHARS]];
    for (const sizes of cuts) {
      cases++;
      const run = await detect('long.log', bytes, sizes, BIG_CASE_MS);
      const c = run.report.counts;
      expect(run.report.error).toBeNull();
      checkAccounting(run.report, bytes);
      expect(c.skipped, `chunks of ${sizes[0]}`).toEqual({ 'not-panos': 1, 'line-too-long': 1 });
      expect(c.examples.find((e) => e.reason === 'line-too-long')?.line).toBe(5);
      expect(totalEvents(c)).toBe(4);
      expect(run.records).toEqual(movedRecords(ref.records, lineMap));
    }
  }, 120_000);
});
