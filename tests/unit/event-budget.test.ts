/**
 * A file past the tab's memory budget (src/worker/eventBudget.ts) must stop
 * being read part-way, not after the whole file has been kept, and the error
 * must get out of Ingest.addFile as itself, not as a file that "could not be read".
 */
import { describe, expect, it } from 'vitest';
import { Ingest } from '../../src/core/ingest';
import { defaultSettings, resolveSettings } from '../../src/core/settings';
import { EventBudgetExceeded, FileEventBudget, validEventBudget } from '../../src/worker/eventBudget';
import { urlLine } from '../helpers/panos-lines';

/** One kept (non-browser) event a line, a line a chunk; counts the chunks read. */
function source(lines: number): { chunks: AsyncIterable<Uint8Array>; read: () => number } {
  let read = 0;
  const encoder = new TextEncoder();
  async function* chunks(): AsyncIterable<Uint8Array> {
    for (let i = 0; i < lines; i++) {
      read++;
      const t = new Date(Date.UTC(2026, 8, 1) + i * 1000).toISOString();
      const time = `${t.slice(0, 10).replace(/-/g, '/')} ${t.slice(11, 19)}`;
      yield encoder.encode(urlLine({ time, src: '10.0.0.1', url: `api.example.net/${i}`, userAgent: 'curl/8.4.0' }) + '\n');
    }
  }
  return { chunks: chunks(), read: () => read };
}

describe('event budget', () => {
  it('stops reading the file part-way and throws its own error', async () => {
    const ingest = new Ingest(resolveSettings(defaultSettings()));
    const budget = new FileEventBudget('big.log', 40, 100);
    const input = source(1000);
    const reading = ingest.addFile('big.log', input.chunks, { progressEveryMs: 0, onProgress: (p) => budget.check(p.kept) });
    await expect(reading).rejects.toBeInstanceOf(EventBudgetExceeded);
    // 40 kept before, so the 61st event of this file passes 100.
    expect(input.read()).toBeLessThan(70);
    expect(ingest.result.candidates).toHaveLength(0);
  });

  it('names the file, the budget and the command to use instead', () => {
    const e = new EventBudgetExceeded('fw 01.log', 2_000_000);
    expect(e.message).toContain('Reading fw 01.log would keep more non-browser events');
    expect(e.message).toContain('at most 2,000,000');
    expect(e.message).toContain("offbrowse detect 'fw 01.log'");
  });

  it('allows up to the budget exactly', () => {
    const budget = new FileEventBudget('a.log', 0, 10);
    expect(() => budget.check(10)).not.toThrow();
    expect(() => budget.check(11)).toThrow(EventBudgetExceeded);
  });

  it('takes only positive whole numbers from the page', () => {
    expect(validEventBudget(5)).toBe(5);
    for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => validEventBudget(bad)).toThrow(/max-events/);
  });
});
