/**
 * The WebAssembly kernel's byte path (src/core/sources/structural.ts, panosBytes.ts) against the
 * fallback, which decodes each part and reads it as text (the path every PAN-OS part took before
 * the kernel): whole parts of PAN-OS logs, syslog lines and CSV exports, must give the same result,
 * counts, skipped lines and their examples, events and TRAFFIC rows alike. The parts hold what the
 * kernel must get right at its block edges: long quoted fields, multi-byte UTF-8 straddling the
 * 16- and 64-byte blocks, invalid UTF-8, CRLF, blank lines, stray quotes and junk.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { SegmentParser, type SegmentJob, type SegmentResult } from '../../src/core/ingest/segment';
import { defaultSettings } from '../../src/core/settings/settings';
import type { ReaderContext } from '../../src/core/sources/format';
import { scanJs, setKernelUsed, structuralScanner } from '../../src/core/sources/structural';
import {
  COL,
  concat,
  exportHeader,
  goodPiece,
  joinRow,
  junkArb,
  otherLine,
  syslogLine,
  urlFields,
  urlLineArb,
  utf8,
} from '../helpers/fuzz-lines';

const settings = defaultSettings();

afterEach(() => setKernelUsed(true));

function parse(job: SegmentJob, kernel: boolean): SegmentResult {
  setKernelUsed(kernel);
  try {
    // A new parser: each takes the kernel, or not, when its first PAN-OS part comes.
    return new SegmentParser(settings).parse(job);
  } finally {
    setKernelUsed(true);
  }
}

/** The context a CSV export's header gives the parts after it. */
function exportContext(): ReaderContext {
  const first = new SegmentParser(settings).parse({
    file: 'f',
    source: 's',
    bytes: utf8(`${exportHeader()}\n`),
    first: true,
    context: null,
    keepPending: false,
  });
  const context = first.context?.context;
  if (context?.format !== 'panos-csv') throw new Error(`the header gave no CSV context: ${JSON.stringify(first.context)}`);
  return { ...context, firstRowPending: false };
}

const NL = utf8('\n');
const CRLF = utf8('\r\n');

/** Multi-byte characters (2, 3 and 4 bytes) and invalid UTF-8 (a lone continuation byte, cut sequences, 0xff). */
const oddBytes = fc.constantFrom(
  utf8('é'),
  utf8('€'),
  utf8('\u{1f600}'),
  utf8('\ufffd'),
  new Uint8Array([0x80]),
  new Uint8Array([0xc3]),
  new Uint8Array([0xe2, 0x82]),
  new Uint8Array([0xf0, 0x9f, 0x98]),
  new Uint8Array([0xff]),
);

/** A URL row whose User-Agent, URL or user is a long quoted field: commas, doubled quotes, 40 to 400 characters. */
const longQuotedRow = fc
  .tuple(
    urlLineArb,
    fc.constantFrom(COL.userAgent, COL.url, COL.user, 70),
    fc.array(fc.constantFrom('a', 'Z', ' ', ',', '"', ';', '(', ')', '/', '0'), { minLength: 40, maxLength: 400 }),
  )
  .map(([l, col, chars]) => {
    const fields = urlFields({ ...l, width: Math.max(l.width, 80) });
    fields[col] = `curl/8.4.0 ${chars.join('')}`;
    return utf8(joinRow(fields, new Set([COL.url, col])));
  });

/**
 * A URL row whose times the byte path reads from bytes (util/time.ts TimeParser.bytes): padded,
 * quoted, with fractions, a generate time empty (the receive time is read then), or not a time.
 */
const oddTimeRow = fc
  .tuple(
    urlLineArb,
    fc.constantFrom(
      ' 2026/09/01 10:11:12',
      '2026/09/01 10:11:12\t',
      '2026/09/01 10:11:12.250',
      '2026/09/01 10:11:12.',
      '2026-09-01T10:11:12',
      '',
      '""',
      '2026/09/01 25:11:12',
      '2026/09/0110:11:12',
    ),
    fc.boolean(),
    fc.constantFrom(COL.generateTime, COL.receiveTime),
  )
  .map(([l, t, quoted, col]) => {
    const fields = urlFields({ ...l, width: Math.max(l.width, 80) });
    fields[col] = t;
    return utf8(joinRow(fields, new Set(quoted ? [COL.url, col] : [COL.url])));
  });

/** Port and byte-count cells as the byte path reads plain digits on the bytes (CsvCells.digits), and everything else as text. */
const oddNumber = fc.constantFrom(
  '80',
  '080',
  '000080',
  '65535',
  '65536',
  '99999',
  ' 443',
  '',
  '1e3',
  '-1',
  '0x10',
  '123456789012345',
  '1234567890123456',
  '99999999999999999999',
);

/** A non-browser's URL row (read whole) with odd ports, and a TRAFFIC row with odd byte counts, either quoted or not. */
const oddNumberRow = fc.tuple(urlLineArb, oddNumber, oddNumber, fc.boolean(), fc.boolean()).map(([l, a, b, traffic, quoted]) => {
  const fields = traffic
    ? otherLine('TRAFFIC', l.time, l.session).split(',')
    : urlFields({ ...l, userAgent: 'curl/8.4.0', width: Math.max(l.width, 80) });
  const [x, y] = traffic ? [32, 33] : [24, 25];
  fields[x] = a;
  fields[y] = b;
  return utf8(joinRow(fields, new Set(quoted ? [COL.url, x] : [COL.url])));
});

/** A line with odd bytes put in anywhere: inside fields, quotes and the line's first bytes alike. */
const withOddBytes = (line: fc.Arbitrary<Uint8Array>): fc.Arbitrary<Uint8Array> =>
  fc.tuple(line, fc.array(fc.tuple(fc.nat(), oddBytes), { minLength: 1, maxLength: 4 })).map(([bytes, inserts]) => {
    let out = bytes;
    for (const [at, odd] of inserts) {
      const i = at % (out.length + 1);
      out = concat([out.subarray(0, i), odd, out.subarray(i)]);
    }
    return out;
  });

const syslogRow = fc.tuple(urlLineArb, fc.boolean()).map(([l, bad]) => goodPiece(l, 'syslog', bad).bytes);
const exportRow = fc.tuple(urlLineArb, fc.boolean()).map(([l, bad]) => goodPiece(l, 'export', bad).bytes);

const blankish = fc.constantFrom('', ' ', '\t', '\r', ' \r', '\u00a0', '\ufeff', '\u3000 ').map(utf8);
const strayQuotes = fc.constantFrom('a,"b', '"a"b,c', 'a,b"c,d', '"a" ,b', '"a"\r,b', '""""', '"', ',"').map(utf8);

function lineArb(row: fc.Arbitrary<Uint8Array>, junk: fc.Arbitrary<Uint8Array>): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    { weight: 5, arbitrary: row },
    { weight: 3, arbitrary: longQuotedRow },
    { weight: 2, arbitrary: oddTimeRow },
    { weight: 2, arbitrary: oddNumberRow },
    { weight: 3, arbitrary: withOddBytes(fc.oneof(row, longQuotedRow)) },
    { weight: 2, arbitrary: junk },
    { weight: 1, arbitrary: blankish },
    { weight: 1, arbitrary: strayQuotes },
  );
}

/** Lines joined by LF or CRLF, after a first line of 0 to 130 bytes, so that every later byte falls at every offset in a block. */
function partArb(row: fc.Arbitrary<Uint8Array>, junk: fc.Arbitrary<Uint8Array>): fc.Arbitrary<Uint8Array> {
  return fc
    .tuple(
      fc.integer({ min: 0, max: 130 }),
      fc.array(fc.tuple(lineArb(row, junk), fc.boolean()), { minLength: 1, maxLength: 30 }),
      fc.boolean(),
    )
    .map(([pad, lines, endsWithNl]) => {
      const parts: Uint8Array[] = [utf8('x'.repeat(pad)), NL];
      for (const [line, crlf] of lines) parts.push(line, crlf ? CRLF : NL);
      if (!endsWithNl) parts.pop();
      return concat(parts);
    });
}

const params = { seed: 20261207, verbose: 1 } as const;

describe('the byte path with the WebAssembly kernel reads PAN-OS parts as the text path does', { timeout: 120_000 }, () => {
  it('the kernel runs here (Node 20 has WebAssembly SIMD): the tests below would compare the fallback with itself otherwise', () => {
    expect(structuralScanner()).not.toBeNull();
  });

  it('syslog lines', () => {
    const junk = junkArb('syslog').map((p) => p.bytes);
    fc.assert(
      // keepPending: browser rows read whole for stitching, or only counted (no endpoint data).
      fc.property(partArb(syslogRow, junk), fc.boolean(), (bytes, keepPending) => {
        const job = (): SegmentJob => ({
          file: 'f',
          source: 's',
          bytes,
          first: false,
          context: { format: 'panos-syslog' },
          keepPending,
        });
        expect(parse(job(), true)).toEqual(parse(job(), false));
      }),
      { ...params, numRuns: 400 },
    );
  });

  it('CSV export rows under a header', () => {
    const context = exportContext();
    const junk = junkArb('export').map((p) => p.bytes);
    fc.assert(
      fc.property(partArb(exportRow, junk), fc.boolean(), (bytes, keepPending) => {
        const job = (): SegmentJob => ({ file: 'f', source: 's', bytes, first: false, context, keepPending });
        expect(parse(job(), true)).toEqual(parse(job(), false));
      }),
      { ...params, numRuns: 300 },
    );
  });

  it("a file's first part: its byte order mark is dropped, as the decoder drops it", () => {
    const line = syslogLine(urlFields({ ...fc.sample(urlLineArb, { seed: 1, numRuns: 1 })[0], userAgent: 'curl/8.4.0' }));
    const bytes = concat([new Uint8Array([0xef, 0xbb, 0xbf]), utf8(`${line}\n${line}\n`)]);
    const job = (first: boolean): SegmentJob => ({
      file: 'f',
      source: 's',
      bytes,
      first,
      context: { format: 'panos-syslog' },
      keepPending: false,
    });
    for (const first of [true, false]) expect(parse(job(first), true)).toEqual(parse(job(first), false));
    expect(parse(job(true), true).counts.nonBrowser).toBe(2);
  });
});

describe('the kernel gives the index its definition (scanJs) gives, on any bytes', () => {
  it('bytes of quotes, commas, line ends, CRs and odd bytes, of every length around the block sizes', () => {
    const scanner = structuralScanner();
    if (scanner === null) throw new Error('the WebAssembly kernel does not run here');
    const out = { commas: new Uint32Array(16), table: new Uint32Array(16) };
    const byte = fc.constantFrom(34, 34, 44, 44, 10, 13, 32, 97, 0, 0x80, 0xc3, 0xa9, 0xff);
    fc.assert(
      fc.property(fc.array(byte, { maxLength: 300 }), (arr) => {
        const bytes = new Uint8Array(arr);
        const a = scanner.index(bytes);
        if (a === null) throw new Error('no index for 300 bytes');
        const kernel = [a.lines, [...a.table.subarray(0, 2 * a.lines)], [...a.commas.subarray(0, a.commaCount)], a.tailSlow];
        const j = scanJs(bytes, out);
        expect(kernel).toEqual([
          j.lines,
          [...j.table.subarray(0, 2 * j.lines)],
          [...j.commas.subarray(0, j.commaCount)],
          j.tailSlow,
        ]);
      }),
      { ...params, numRuns: 5000 },
    );
  });

  it('a part with more commas than PAN-OS rows have is given no index (and is read as text), so the module stays small', () => {
    const scanner = structuralScanner();
    if (scanner === null) throw new Error('the WebAssembly kernel does not run here');
    const commas = utf8(`${','.repeat(50_000)}\n`.repeat(3));
    expect(scanner.index(commas)).toBeNull();
    const job = (): SegmentJob => ({
      file: 'f',
      source: 's',
      bytes: commas,
      first: false,
      context: { format: 'panos-syslog' },
      keepPending: false,
    });
    expect(parse(job(), true)).toEqual(parse(job(), false));
    // The same scanner indexes the next part as ever.
    const index = scanner.index(utf8('a,"b,c",d\n'));
    expect([index?.lines, index?.commaCount, [...(index?.commas ?? [])]]).toEqual([1, 2, [1, 7]]);
  });
});
