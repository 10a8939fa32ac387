import { describe, expect, it } from 'vitest';
import { errorMessage } from '../../src/core/util/errorMessage';

describe('errorMessage', () => {
  it("gives an Error's message without its name", () => {
    expect(errorMessage(new TypeError('bad input'))).toBe('bad input');
  });

  it('gives anything else thrown as text', () => {
    expect(errorMessage('disk full')).toBe('disk full');
    expect(errorMessage(42)).toBe('42');
    expect(errorMessage(undefined)).toBe('undefined');
    expect(errorMessage({ code: 7 })).toBe('[object Object]');
  });
});
