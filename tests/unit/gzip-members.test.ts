/**
 * docs/architecture.md: gzip goes through the platform or fflate "where it cannot handle
 * multi-member files". Logs rotated with `cat a.gz b.gz > all.gz` are
 * multi-member; every member's lines must be read, whichever gunzip and chunking.
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../src/core/settings/settings';
import { urlLine } from '../helpers/panos-lines';
import { runCore } from '../helpers/run-core';

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const first = urlLine({ time: '2026/03/01 00:00:00', src: '10.9.9.9', url: 'www.example.org/', userAgent: CHROME }) + '\n';
const second =
  urlLine({ time: '2026/03/16 10:00:00', src: '10.0.0.1', url: 'pastebin.com/raw/x', userAgent: 'curl/8.4.0' }) + '\n';
const bytes = new Uint8Array(Buffer.concat([gzipSync(first), gzipSync(second)]));

describe('multi-member gzip', () => {
  for (const inflate of ['cli-zlib', 'core-default'] as const) {
    for (const chunkSize of [2, 5, bytes.length]) {
      it(`reads both members (${inflate}, ${chunkSize}-byte chunks)`, async () => {
        const got = await runCore([{ name: 'rotated.log.gz', bytes, chunkSize }], defaultSettings(), {
          inflate: inflate === 'core-default' ? 'core-default' : undefined,
        });
        const c = got.counts;
        expect(got.files[0]).toMatchObject({ gzip: true, error: null });
        expect([c.lines, c.browser, c.nonBrowser]).toEqual([2, 1, 1]);
        expect(got.records.map((r) => [r.variation, r.host, r.evidence[0].source.line])).toEqual([
          ['text_share_download', '10.0.0.1', 2],
        ]);
      });
    }
  }
});
