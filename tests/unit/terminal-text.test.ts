import { describe, expect, it } from 'vitest';
import { terminalText } from '../../src/core/util/strings';

describe('terminalText', () => {
  it('escapes every C0 control, DEL and every C1 control', () => {
    for (let c = 0; c <= 0x1f; c++) expect(terminalText(String.fromCharCode(c))).toBe(`\\x${c.toString(16).padStart(2, '0')}`);
    expect(terminalText('\x7f')).toBe('\\x7f');
    for (let c = 0x80; c <= 0x9f; c++) expect(terminalText(String.fromCharCode(c))).toBe(`\\x${c.toString(16)}`);
  });

  it('escapes the bidi marks, embeddings, overrides and isolates', () => {
    const bidi = [0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069];
    for (const c of bidi) expect(terminalText(String.fromCharCode(c))).toBe(`\\u${c.toString(16).padStart(4, '0')}`);
  });

  it('turns a hostile User-Agent into one visible line', () => {
    expect(terminalText('evil\x1b[31mred\x1b]0;title\x07/1.0\tx\ny \u202egnp.exe')).toBe(
      'evil\\x1b[31mred\\x1b]0;title\\x07/1.0\\x09x\\x0ay \\u202egnp.exe',
    );
  });

  it('leaves printable text alone, non-ASCII included', () => {
    for (const s of ['', 'curl/8.4.0', 'corp\\ulla.v', 'münchen.example → ok', 'ü\u00a0\u00ff', '日本語', '😀'])
      expect(terminalText(s)).toBe(s);
  });
});
