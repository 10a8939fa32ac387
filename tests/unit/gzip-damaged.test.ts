/**
 * A .gz cut short (a copy that stopped, a download that broke) or damaged
 * inside: the message says which, after how many lines, and that nothing of
 * the file was kept; the files beside it are read as usual.
 */
import { constants, gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { fflateInflate } from '../../src/core/util/gzip';
import { defaultSettings } from '../../src/core/settings/settings';
import { urlLine } from '../helpers/panos-lines';
import { runCore } from '../helpers/run-core';

const LINES = 4000;
const text =
  Array.from({ length: LINES }, (_, i) =>
    urlLine({
      time: `2026/03/${String(1 + (i % 20)).padStart(2, '0')} 10:00:00`,
      src: `10.0.${i % 200}.1`,
      url: `www.site-${i}.example/`,
      userAgent: 'curl/8.4.0',
    }),
  ).join('\n') + '\n';
const whole = gzipSync(text);
const truncated = new Uint8Array(whole.subarray(0, Math.floor(whole.length * 0.6)));
const damaged = new Uint8Array(whole);
for (let i = 2000; i < 2064; i++) damaged[i] ^= 0x5a;
const good = {
  name: 'good.log',
  bytes: new TextEncoder().encode(
    urlLine({ time: '2026/03/16 10:00:00', src: '10.9.0.1', url: 'pastebin.com/raw/x', userAgent: 'curl/8.4.0' }) + '\n',
  ),
};

/** Whole lines zlib gets out of the truncated stream: what "after N lines" must say when zlib reads it. */
const zlibLines = gunzipSync(truncated, { finishFlush: constants.Z_SYNC_FLUSH }).toString('utf8').split('\n').length - 1;

describe('a truncated or damaged .gz', () => {
  for (const inflate of ['zlib', 'fflate'] as const) {
    for (const chunkSize of [7, 4096, undefined]) {
      it(`says it ends early, after how many lines, and keeps nothing of it (${inflate}, ${chunkSize ?? 'whole'} chunks)`, async () => {
        const got = await runCore([{ name: 'day.log.gz', bytes: truncated }, good], defaultSettings(), {
          chunkSize,
          inflate: inflate === 'fflate' ? fflateInflate : undefined,
        });
        const m = /^the compressed file ends early \(truncated\?\) after ([\d,]+) lines; nothing was kept$/.exec(
          got.files[0].error ?? '',
        );
        expect(m, got.files[0].error ?? 'no error').not.toBeNull();
        const n = Number(m![1].replace(/,/g, ''));
        if (inflate === 'zlib') expect(n).toBe(zlibLines);
        else expect(n).toBeGreaterThan(0);
        expect(n).toBeLessThan(LINES);
        // Nothing of it counts; the other file does.
        expect(got.counts.lines).toBe(1);
        expect(got.files[1].error).toBeNull();
        expect(got.records.map((r) => r.host)).toEqual([]);
      });
    }
  }

  // fflate checks no CRC, so only a gunzip that does (zlib, the browser's own) can tell damage inside.
  it('says a .gz damaged inside is damaged, not truncated (zlib)', async () => {
    const got = await runCore([{ name: 'day.log.gz', bytes: damaged }], defaultSettings());
    expect(got.files[0].error).toMatch(/^the compressed data is damaged \(.+\), noticed after [\d,]+ lines; nothing was kept$/);
    expect(got.counts.lines).toBe(0);
  });
});
