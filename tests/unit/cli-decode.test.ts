import { describe, expect, it } from 'vitest';
import { nodeDecoder } from '../../src/cli/decode';
import { textDecoder } from '../../src/core/ingest/segment';

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('the CLI decoder', () => {
  const node = nodeDecoder();
  const reference = textDecoder();
  const inputs: [string, Uint8Array][] = [
    ['ASCII', utf8('a,b,"c"\r\nd\n')],
    ['multi-byte UTF-8', utf8('Zürich,東京,😀\n')],
    ['a byte order mark', Uint8Array.of(0xef, 0xbb, 0xbf, ...utf8('x,y\n'))],
    ['invalid UTF-8', Uint8Array.of(0x61, 0xff, 0x62, 0xc3)],
    ['a view into a bigger buffer', utf8('__a,b__').subarray(2, 5)],
    ['nothing', new Uint8Array(0)],
  ];
  for (const [name, bytes] of inputs) {
    it(`reads ${name} as TextDecoder does, first part or not`, () => {
      for (const first of [true, false]) expect(node(bytes, first)).toBe(reference(bytes, first));
    });
  }
  it('keeps a byte order mark past the first part, drops it in the first', () => {
    const bytes = Uint8Array.of(0xef, 0xbb, 0xbf, 0x61);
    expect(node(bytes, true)).toBe('a');
    expect(node(bytes, false)).toBe('\uFEFFa');
  });
});
