/**
 * The byte reading of log times (util/time.ts TimeParser.bytes), which the PAN-OS byte path uses so
 * that a row's time is read without making a string, against the text reading every other path uses:
 * the same epoch ms (or NaN) for any text of time-like shape, padded with white space as a cell may
 * be, in UTC and in a zone with daylight saving, read in any order (the hour memo is shared).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeTimeParser } from '../../src/core/util/time';

const enc = new TextEncoder();

const digits = (n: number): fc.Arbitrary<string> =>
  fc.array(fc.constantFrom('0', '1', '2', '3', '5', '9'), { minLength: n, maxLength: n }).map((d) => d.join(''));
/** Mostly real times (any second of 1969-2100), with their pieces sometimes replaced by odd ones. */
const timeText = fc
  .tuple(
    fc.integer({ min: -86_400_000, max: 4_102_444_800_000 }),
    fc.constantFrom('/', '-', '.', ''),
    fc.constantFrom(' ', 'T', '_'),
    fc.constantFrom(':', ';'),
    fc.option(fc.constantFrom('.5', '.123', '.123456789', '.1234567890', '.', '.x', 'Z', ' '), { freq: 3 }),
    fc.option(fc.tuple(fc.integer({ min: 0, max: 18 }), digits(2)), { freq: 4 }),
  )
  .map(([ms, dateSep, mid, colon, tail, swap]) => {
    const iso = new Date(ms).toISOString();
    let s = `${iso.slice(0, 4)}${dateSep}${iso.slice(5, 7)}${dateSep}${iso.slice(8, 10)}${mid}${iso.slice(11, 13)}${colon}${iso.slice(14, 16)}:${iso.slice(17, 19)}${tail ?? ''}`;
    if (swap !== null) s = s.slice(0, swap[0]) + swap[1] + s.slice(swap[0] + 2);
    return s;
  });
const padding = fc.array(fc.constantFrom(' ', '\t', '\r', '\v', '\f'), { maxLength: 3 }).map((p) => p.join(''));

describe('TimeParser.bytes reads a time as the text path does', () => {
  for (const zone of ['UTC', 'Europe/Berlin', 'America/New_York']) {
    it(`in ${zone}, padded and in any order`, () => {
      const text = makeTimeParser(zone);
      const bytes = makeTimeParser(zone);
      fc.assert(
        fc.property(fc.array(fc.tuple(padding, timeText, padding), { minLength: 1, maxLength: 20 }), (cells) => {
          for (const [before, time, after] of cells) {
            const cell = enc.encode(`x,${before}${time}${after},y`);
            const want = text(`${before}${time}${after}`.trim());
            expect(bytes.bytes(cell, 2, cell.length - 2)).toBe(want);
            // The two readings share one parser's hour memo, as a part's rows do.
            expect(text.bytes(cell, 2, cell.length - 2)).toBe(want);
          }
        }),
        { seed: 20261208, numRuns: 600 },
      );
    });
  }

  it('a real time is read, and empty or blank is NaN', () => {
    const parse = makeTimeParser('UTC');
    const cell = enc.encode(' 2026/09/01 10:11:12 ');
    expect(parse.bytes(cell, 0, cell.length)).toBe(Date.UTC(2026, 8, 1, 10, 11, 12));
    expect(parse.bytes(cell, 3, 3)).toBeNaN();
    expect(parse.bytes(enc.encode('   '), 0, 3)).toBeNaN();
  });
});
