/**
 * The CSV fast path against PapaParse itself, through the entry point and the
 * configuration the PAN-OS reader gave it before the fast path (`new Papa.Parser(config).parse(line, 0, false)`):
 * a fixed table of the readings that matter, then fuzzed lines (fixed seeds) and
 * PAN-OS rows from the generator and from ../shared/samples/panos, read in place.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { samplesFolder } from '../helpers/samples';
import { generate } from '../../src/core/generate/index';
import { csvField, readCsvFields, scanCsvFields, scanCsvFieldsMore, scanCsvFieldsUpTo } from '../../src/core/sources/csvFields';
import { ByteLine } from '../../src/core/sources/panosBytes';
import { linePosition, scanJs, SLOW, structuralScanner } from '../../src/core/sources/structural';

const parser = new Papa.Parser({ delimiter: ',', newline: '\n', quoteChar: '"' });

interface Reading {
  rows: string[][];
  errors: string[];
}

function papa(line: string): Reading {
  const result = parser.parse(line, 0, false) as Papa.ParseResult<string[]>;
  return { rows: result.data, errors: result.errors.map((e) => e.code) };
}

/** Non-empty lines read. */
interface Tally {
  lines: number;
  /** PapaParse read one row without errors. */
  clean: number;
  /** The fast path gave a count. */
  fast: number;
  /** The WebAssembly kernel located the fields (the line is ASCII and its quotes pair up at field edges). */
  kernel: number;
}

const tally = (): Tally => ({ lines: 0, clean: 0, fast: 0, kernel: 0 });

const kernel = structuralScanner();
const encoder = new TextEncoder();
const jsOut = { commas: new Uint32Array(64), table: new Uint32Array(64) };

/**
 * The line as the byte path reads it: placed on its own line between `before` and `after` (so quotes
 * left open around it show), indexed by the kernel, which must agree with its definition (scanJs) on
 * the whole text; then, unless the kernel marked the line slow (read decoded, as by readCsvFields),
 * its fields located from the index. Null for a slow line.
 */
function kernelReading(line: string, upTo: number, before: string, after: string): { count: number; fields: string[] } | null {
  if (kernel === null) throw new Error('the WebAssembly kernel does not run here');
  const head = encoder.encode(`${before}\n`);
  const bytes = encoder.encode(`${before}\n${line}\n${after}`);
  const index = kernel.index(bytes);
  if (index === null) throw new Error(`no index for ${JSON.stringify(line)}`);
  const table = [...index.table.subarray(0, 2 * index.lines)];
  const commas = [...index.commas.subarray(0, index.commaCount)];
  const js = scanJs(bytes, jsOut);
  const same =
    js.lines === index.lines &&
    js.tailSlow === index.tailSlow &&
    js.commaCount === index.commaCount &&
    table.every((v, i) => v === js.table[i]) &&
    commas.every((v, i) => v === js.commas[i]);
  if (!same) {
    expect([index.lines, table, commas, index.tailSlow], `kernel index of ${JSON.stringify(bytes)}`).toEqual([
      js.lines,
      [...js.table.subarray(0, 2 * js.lines)],
      [...js.commas.subarray(0, js.commaCount)],
      js.tailSlow,
    ]);
  }
  const i = table.findIndex((v, k) => k % 2 === 0 && linePosition(v) >= head.length);
  const entry = table[i];
  if (linePosition(entry) !== head.length + encoder.encode(line).length) expect(linePosition(entry)).toBe(head.length);
  if ((entry & SLOW) !== 0) return null;
  const row = new ByteLine().set(bytes, index.commas, head.length, linePosition(entry), table[i - 1], table[i + 1]);
  const count = row.scan(upTo);
  const fields: string[] = [];
  for (let f = 0; f < Math.min(count, upTo); f++) fields.push(row.field(f));
  return { count, fields };
}

const percent = (part: number, whole: number): string => `${((100 * part) / Math.max(whole, 1)).toFixed(2)}%`;

/**
 * Reads `line` placed between `before` and `after` in a larger text (so a search
 * that leaks past the line's bounds shows) and holds the fast path to PapaParse:
 * a count means PapaParse's one clean row, with the same length and values; -1
 * means PapaParse reported an error. Returns the count.
 */
function compare(line: string, upTo: number, before = '', after = '', counts?: Tally): number {
  const text = before + line + after;
  const start = before.length;
  const end = start + line.length;
  const out: string[] = [];
  const count = readCsvFields(text, start, end, upTo, out);
  // The capped scan agrees with the exact one: the count up to upTo + 1, and -1 on the same lines.
  const capped = scanCsvFieldsUpTo(text, start, end, upTo, new Int32Array(2 * upTo));
  if (capped !== (count < 0 ? -1 : Math.min(count, upTo + 1))) {
    expect(capped, `capped scan of ${JSON.stringify(line)} (upTo ${upTo})`).toBe(count < 0 ? -1 : Math.min(count, upTo + 1));
  }
  // Located in two steps (half the fields, then the rest, as a browser's row stops at the User-Agent): the same fields and count.
  const half = upTo >> 1;
  if (half >= 1 && capped >= 0) {
    const once = new Int32Array(2 * upTo);
    scanCsvFieldsUpTo(text, start, end, upTo, once);
    const twice = new Int32Array(2 * upTo);
    const first = scanCsvFieldsUpTo(text, start, end, half, twice);
    const both = first === half + 1 ? scanCsvFieldsMore(text, start, end, half, upTo, twice) : first;
    const located = 2 * Math.min(capped, upTo);
    if (both !== capped || twice.subarray(0, located).some((v, i) => v !== once[i])) {
      expect([both, [...twice.subarray(0, located)]], `two-step scan of ${JSON.stringify(line)} (upTo ${upTo})`).toEqual([
        capped,
        [...once.subarray(0, located)],
      ]);
    }
  }
  const ref = papa(line);
  if (line === '') {
    expect(ref).toEqual({ rows: [], errors: [] });
    expect(count).toBe(0);
    return count;
  }
  const clean = ref.errors.length === 0 && ref.rows.length === 1;
  const byKernel = kernelReading(line, upTo, before, after);
  if (counts) {
    counts.lines++;
    if (clean) counts.clean++;
    if (count >= 0) counts.fast++;
    if (byKernel !== null) counts.kernel++;
  }
  if (byKernel !== null) {
    // Located by the kernel: PapaParse's one clean row, field for field, counted up to upTo + 1 as scanCsvFieldsUpTo.
    if (!clean) expect(byKernel, `kernel read a line PapaParse does not: ${JSON.stringify(line)}`).toBe('deferred');
    const want = { count: Math.min(ref.rows[0].length, upTo + 1), fields: ref.rows[0].slice(0, upTo) };
    if (byKernel.count !== want.count || byKernel.fields.some((f, i) => f !== want.fields[i]))
      expect(byKernel, `kernel reading of ${JSON.stringify(line)} (upTo ${upTo})`).toEqual(want);
  }
  if (count === -1) {
    expect(clean, `fast path deferred a line PapaParse reads cleanly: ${JSON.stringify(line)}`).toBe(false);
    return count;
  }
  expect(clean, `fast path read a line PapaParse does not: ${JSON.stringify(line)} ${JSON.stringify(ref)}`).toBe(true);
  const fields = ref.rows[0];
  expect(count, JSON.stringify(line)).toBe(fields.length);
  const bounds = new Int32Array(2 * upTo);
  expect(scanCsvFields(text, start, end, upTo, bounds)).toBe(count);
  // One assertion per line: vitest's per-call cost would dominate on 100-field rows.
  const made = Math.min(count, upTo);
  let differs = out.length === made ? -1 : made;
  for (let i = 0; i < made && differs === -1; i++)
    if (out[i] !== fields[i] || csvField(text, bounds, i) !== fields[i]) differs = i;
  if (differs !== -1)
    expect([differs, out[differs], csvField(text, bounds, differs)], JSON.stringify(line)).toEqual([
      differs,
      fields[differs],
      fields[differs],
    ]);
  return count;
}

describe('readCsvFields reads a line as PapaParse does', () => {
  // Each row: the line, PapaParse's fields for it (null: PapaParse reports an error, the fast path gives -1).
  const readings: [string, string[] | null, string][] = [
    ['a,b,c', ['a', 'b', 'c'], 'no quote: split at commas'],
    [',', ['', ''], 'empty fields'],
    ['a,', ['a', ''], 'a trailing comma ends in an empty field'],
    ['  a , b ', ['  a ', ' b '], 'spaces around unquoted values are kept'],
    ['ab"c', ['ab"c'], 'a quote inside an unquoted field is data'],
    ['a,b"c,d', ['a', 'b"c', 'd'], 'a quote inside an unquoted field is data'],
    ['x"', ['x"'], 'a quote ending an unquoted field is data'],
    [' "a,b"', [' "a', 'b"'], 'a field is quoted only when " is its first character: the comma splits'],
    ['"a,b",c', ['a,b', 'c'], 'a comma inside quotes is data'],
    ['"a""b"', ['a"b'], 'a doubled quote is one quote'],
    ['""', [''], 'an empty quoted field'],
    ['""""', ['"'], 'a quoted field holding one quote'],
    ['"",""', ['', ''], 'two empty quoted fields'],
    ['"a",', ['a', ''], 'a quoted field, then an empty one'],
    ['"a" ,b', ['a', 'b'], 'spaces between the closing quote and the comma are dropped'],
    ['"a"\t,b', ['a', 'b'], 'so are tabs'],
    ['"a"\r,b', ['a', 'b'], 'and a lone CR'],
    ['"a"\u00a0\u3000,b', ['a', 'b'], 'and all that String.prototype.trim() removes'],
    ['"a"\u180e,b', null, 'U+180E is not white space to trim(): an error'],
    ['"a"b', null, 'a closing quote followed by other characters'],
    ['"a"b,c', null, 'the same before a comma'],
    ['"a" x,b', null, 'spaces, then other characters'],
    ['"a" ', null, 'spaces after the closing quote at the line end (only a comma excuses them)'],
    ['"a"x"', null, 'a later quote does not repair the field'],
    ['"a', null, 'a quote never closed'],
    ['"a""', null, 'a doubled quote is not a closing quote'],
    ['"a"",b', null, 'nor is it before a comma'],
    ['a,"', null, 'a lone quote opening the last field'],
    ['\r', ['\r'], 'a lone CR is data (the caller removed only the one before the line end)'],
    ['"a\rb"', ['a\rb'], 'also inside quotes'],
    ['"\u{1f600}\ufffd,é"', ['\u{1f600}\ufffd,é'], 'astral characters and U+FFFD are data'],
  ];
  for (const [line, fields, why] of readings) {
    it(`${JSON.stringify(line)}: ${why}`, () => {
      const ref = papa(line);
      if (fields === null) {
        expect(ref.errors.length).toBeGreaterThan(0);
        expect(compare(line, 8)).toBe(-1);
        expect(compare(line, 0)).toBe(-1);
      } else {
        expect(ref).toEqual({ rows: [fields], errors: [] });
        expect(compare(line, 8)).toBe(fields.length);
        expect(compare(line, 1)).toBe(fields.length);
        expect(compare(line, 0)).toBe(fields.length);
      }
    });
  }

  it('the empty line is no row to PapaParse and 0 fields here', () => {
    expect(papa('')).toEqual({ rows: [], errors: [] });
    expect(readCsvFields('a\n\nb', 2, 2, 4, [])).toBe(0);
  });

  it('a quoted field left open at the line end is -1; PapaParse, given the one line, reports it too', () => {
    const line = 'a,"b,c';
    expect(papa(line).errors).toEqual(['MissingQuotes']);
    expect(compare(line, 4)).toBe(-1);
    // Across a line end PapaParse would read one field holding a newline; the
    // caller passes lines one by one, so this reading cannot occur here.
    expect(papa(`${line}\nd"`).rows).toEqual([['a', 'b,c\nd']]);
    expect(readCsvFields(`${line}\nd"`, 0, line.length, 4, [])).toBe(-1);
  });

  it('values past upTo are not made, but their fields are counted', () => {
    const out = ['keep', 'keep', 'keep'];
    expect(readCsvFields('a,"b,c",d,"e""f",g', 0, 18, 2, out)).toBe(5);
    expect(out).toEqual(['a', 'b,c', 'keep']);
    expect(readCsvFields('a,"b,c",d,"e""f"x,g', 0, 19, 2, out)).toBe(-1);
  });

  it('reads a line inside a larger text without looking past its bounds', () => {
    const text = '"x,y\na,b\n"';
    expect(compare('a,b', 4, '"x,y\n', '\n"')).toBe(2);
    expect(readCsvFields(text, 5, 8, 4, [])).toBe(2);
    expect(readCsvFields('"a"\n"', 0, 3, 4, [])).toBe(1);
    expect(readCsvFields('"a"", b"', 0, 3, 4, [])).toBe(1);
  });

  it('refuses bounds too short for upTo', () => {
    expect(() => scanCsvFields('a,b', 0, 3, 4, new Int32Array(7))).toThrow(RangeError);
  });
});

// Characters that matter to CSV or to string handling; none is a line feed.
const ODD = [
  '"',
  '""',
  ',',
  ' ',
  '\t',
  '\r',
  '\v',
  'é',
  '€',
  '\u{1f600}',
  '\ufffd',
  '\u00a0',
  '\u3000',
  '\ufeff',
  '\u2028',
  '\u180e',
  '\ud800',
  '\udc00',
];
const PLAIN = [
  'a',
  'b',
  'Z',
  '0',
  '9',
  '.',
  '/',
  ':',
  '-',
  '(',
  ')',
  '\\',
  ' ',
  '\t',
  '\r',
  'é',
  '\u{1f600}',
  '\ufffd',
  '\u00a0',
];

const plainText = (maxLength: number): fc.Arbitrary<string> => fc.string({ unit: fc.constantFrom(...PLAIN), maxLength });
const quotedText = fc.string({ unit: fc.constantFrom(...PLAIN, ',', '""'), maxLength: 16 });
const afterQuote = fc.constantFrom('', '', '', ' ', '  ', '\t', '\r', '\u00a0', '\u3000', '\u180e', 'x', ' x', '"', '"x', '""');

/** One field of every kind the fast path must read or refuse. */
const fieldArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: plainText(12) },
  { weight: 2, arbitrary: fc.constant('') },
  { weight: 3, arbitrary: quotedText.map((s) => `"${s}"`) },
  { weight: 2, arbitrary: fc.tuple(quotedText, afterQuote).map(([s, tail]) => `"${s}"${tail}`) },
  { weight: 1, arbitrary: fc.tuple(plainText(6), plainText(6)).map(([a, b]) => `${a}"${b}`) },
  { weight: 1, arbitrary: quotedText.map((s) => ` "${s}"`) },
  { weight: 1, arbitrary: quotedText.map((s) => `"${s}`) },
);

/** Fields PapaParse reads without error, so that long lines are also compared value by value. */
const cleanFieldArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: plainText(12) },
  { weight: 2, arbitrary: fc.constant('') },
  { weight: 3, arbitrary: quotedText.map((s) => `"${s}"`) },
  { weight: 1, arbitrary: fc.tuple(quotedText, fc.constantFrom(' ', '\t', '\r', '\u00a0 ')).map(([s, tail]) => `"${s}"${tail}`) },
  { weight: 1, arbitrary: fc.tuple(plainText(6), plainText(6)).map(([a, b]) => `${a}"${b}`) },
  { weight: 1, arbitrary: quotedText.map((s) => ` "${s}"`) },
);

const fieldCount = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 12 }) },
  { weight: 3, arbitrary: fc.integer({ min: 13, max: 120 }) },
  { weight: 1, arbitrary: fc.integer({ min: 121, max: 200 }) },
);

const upToArb = fc.oneof(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 210 }), fc.constant(64));

/** Text around the line, with quotes and commas that a search leaking out of the line would find. */
const padArb = fc.constantFrom('', '"', 'q,"r\n', '"s"t,\n', ',"');

// Half the lines draw only clean fields; a line with a whitespace-suffixed quoted field last is still an error.
const structuredLine = fc
  .tuple(fieldCount, fc.boolean())
  .chain(([n, clean]) => fc.array(clean ? cleanFieldArb : fieldArb, { minLength: n, maxLength: n }))
  .map((f) => f.join(','));

const soupLine = fc.array(fc.constantFrom(...ODD, ',', ',', ',', '"', 'a', 'bc'), { maxLength: 40 }).map((t) => t.join(''));

function sampleLines(): string[] {
  const dir = samplesFolder('panos');
  const files = readdirSync(dir).filter((name) => name.endsWith('.log'));
  return files.flatMap((name) =>
    readFileSync(join(dir, name), 'utf8')
      .split('\n')
      .map((line) => line.replace(/\r$/, ''))
      .filter((line) => line !== ''),
  );
}

/** The first chunk of one generated day in each format: THREAT/url, TRAFFIC and other rows, with a CSV header. */
function generatedLines(): string[] {
  return (['syslog', 'csv'] as const).flatMap((format) => {
    const dataset = generate({ days: 1, hosts: 40, rate: 50, seed: 11, format, start: '2026-09-01' });
    const first = dataset.files[0].chunks()[Symbol.iterator]().next();
    return first.done === true ? [] : first.value.split('\n').filter((line) => line !== '');
  });
}

const realistic = [...generatedLines(), ...sampleLines()];

/** PAN-OS quoting of a value: quoted when it holds a comma or a quote, quotes doubled. */
const panosField = (value: string): string => (/[",]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

const realisticValue = fc.oneof(
  plainText(20),
  fc.constantFrom(
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)',
    'a "quoted" name',
    'x,y',
    '"',
    'ü\u{1f600}\ufffd',
  ),
);

type Edit =
  | { kind: 'field'; at: number; value: string }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'delete' | 'cut'; at: number };

const editArb: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('field' as const), at: fc.nat(), value: fieldArb }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom(...ODD) }),
  fc.record({ kind: fc.constantFrom('delete' as const, 'cut' as const), at: fc.nat() }),
);

/** Edits by position; 'field' replaces the at-th comma-separated piece, blind to quotes, so it can break quoting too. */
function edit(line: string, e: Edit): string {
  const at = e.at % (line.length + 1);
  switch (e.kind) {
    case 'insert':
      return line.slice(0, at) + e.text + line.slice(at);
    case 'delete':
      return line.slice(0, at) + line.slice(at + 1);
    case 'cut':
      return line.slice(0, at);
    case 'field': {
      const pieces = line.split(',');
      pieces[e.at % pieces.length] = e.value;
      return pieces.join(',');
    }
  }
}

// A generous limit: the runs take a few seconds, longer on a machine shared with other work.
describe('readCsvFields against PapaParse on fuzzed lines', { timeout: 60_000 }, () => {
  const params = { seed: 20260901, verbose: 1 } as const;

  it('has realistic rows to work on', () => {
    expect(realistic.length).toBeGreaterThan(500);
    expect(realistic.some((line) => line.includes('"'))).toBe(true);
  });

  it('reads every realistic PAN-OS row (generated and real), and realistic values PAN-OS quotes', () => {
    const counts = tally();
    for (const line of realistic) for (const upTo of [0, 8, 64, 200]) compare(line, upTo, 'x,"\n', '\n"', counts);
    fc.assert(
      fc.property(
        fc.constantFrom(...realistic),
        fc.array(fc.tuple(fc.nat(), realisticValue), { minLength: 1, maxLength: 4 }),
        upToArb,
        (line, values, upTo) => {
          // Replaces whole fields (the line read by PapaParse, so a quoted field is one field) with PAN-OS quoting.
          const fields = papa(line).rows[0];
          for (const [at, value] of values) fields[at % fields.length] = value;
          compare(fields.map(panosField).join(','), upTo, '', '', counts);
        },
      ),
      { ...params, numRuns: 4000 },
    );
    console.info(
      `realistic rows: ${counts.lines} lines, fast path ${percent(counts.fast, counts.lines)}, kernel ${percent(counts.kernel, counts.lines)}`,
    );
    expect(counts.fast / counts.lines).toBeGreaterThanOrEqual(0.99);
    expect(counts.fast).toBe(counts.clean);
  });

  it('PAN-OS rows with random edits', () => {
    const counts = tally();
    fc.assert(
      fc.property(
        fc.constantFrom(...realistic),
        fc.array(editArb, { minLength: 1, maxLength: 3 }),
        upToArb,
        padArb,
        padArb,
        (line, edits, upTo, before, after) => {
          compare(edits.reduce(edit, line), upTo, before, after, counts);
        },
      ),
      { ...params, numRuns: 12000 },
    );
    console.info(
      `edited PAN-OS rows: ${counts.lines} lines, PapaParse clean ${percent(counts.clean, counts.lines)}, fast path ${percent(counts.fast, counts.lines)} (${percent(counts.fast, counts.clean)} of the clean), kernel ${percent(counts.kernel, counts.lines)}`,
    );
    expect(counts.fast).toBe(counts.clean);
  });

  it('lines of 1 to 200 fields of every kind', () => {
    const counts = tally();
    fc.assert(
      fc.property(structuredLine, upToArb, padArb, padArb, (line, upTo, before, after) => {
        compare(line, upTo, before, after, counts);
      }),
      { ...params, numRuns: 12000 },
    );
    console.info(
      `structured lines: ${counts.lines} lines, PapaParse clean ${percent(counts.clean, counts.lines)}, fast path ${percent(counts.fast, counts.lines)} (${percent(counts.fast, counts.clean)} of the clean), kernel ${percent(counts.kernel, counts.lines)}`,
    );
    expect(counts.fast).toBe(counts.clean);
  });

  it('character soup of quotes, commas and odd characters', () => {
    const counts = tally();
    fc.assert(
      fc.property(soupLine, upToArb, padArb, padArb, (line, upTo, before, after) => {
        compare(line, upTo, before, after, counts);
      }),
      { ...params, numRuns: 20000 },
    );
    console.info(
      `character soup: ${counts.lines} lines, PapaParse clean ${percent(counts.clean, counts.lines)}, fast path ${percent(counts.fast, counts.lines)} (${percent(counts.fast, counts.clean)} of the clean), kernel ${percent(counts.kernel, counts.lines)}`,
    );
    expect(counts.fast).toBe(counts.clean);
  });

  // The shapes above, in ASCII only: a line with any other byte is decoded and read by readCsvFields,
  // so only ASCII lines hold the kernel's own reading to PapaParse's.
  const ascii = (line: string): string => line.replace(/[\u0080-\u{10ffff}]/gu, 'x');

  const kernelShapes: [string, fc.Arbitrary<string>, number, number][] = [
    ['lines of 1 to 200 fields of every kind', structuredLine, 12000, 1 / 20],
    ['character soup of quotes and commas', soupLine, 20000, 1 / 5],
  ];
  for (const [shape, lines, numRuns, least] of kernelShapes) {
    it(`the kernel: ${shape}, in ASCII`, () => {
      const counts = tally();
      fc.assert(
        fc.property(lines.map(ascii), upToArb, padArb, padArb, (line, upTo, before, after) => {
          compare(line, upTo, before, after, counts);
        }),
        { ...params, numRuns },
      );
      console.info(
        `${shape}, ASCII: ${counts.lines} lines, PapaParse clean ${percent(counts.clean, counts.lines)}, kernel ${percent(counts.kernel, counts.lines)}`,
      );
      expect(counts.fast).toBe(counts.clean);
      // Enough lines that the kernel located itself, rather than deferring them all.
      expect(counts.kernel).toBeGreaterThan(counts.lines * least);
    });
  }
});
