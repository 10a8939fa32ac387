import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { thousands } from '../../src/cli/summary';

describe('thousands', () => {
  it("writes a number as toLocaleString('en-US') does", () => {
    const edges = [
      0,
      -0,
      1,
      -1,
      12,
      123,
      999,
      1000,
      -1000,
      12345,
      999_999,
      1_000_000,
      2 ** 53 - 1,
      -(2 ** 53 - 1),
      2 ** 53,
      1e21,
      0.5,
      1234.5678,
      NaN,
      Infinity,
    ];
    for (const x of edges) expect(thousands(x), String(x)).toBe(x.toLocaleString('en-US'));
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: -1e15, max: 1e15 }), fc.double()),
        (x) => thousands(x) === x.toLocaleString('en-US'),
      ),
    );
  });
});
