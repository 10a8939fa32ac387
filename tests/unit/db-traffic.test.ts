/**
 * TRAFFIC rows give URL events their byte counts (serial + session id), and
 * sessions are not stored: a TRAFFIC log joins URL events already stored or
 * read in the same tab, in either order, and the bytes it gives are written
 * back, so a reload keeps them. A TRAFFIC log read before a reload does not
 * reach URL events added after it (README: "Day-to-day workflow").
 */
import { describe, expect, it } from 'vitest';
import { readCoverage } from '../../src/db/coverage';
import { openDatabase } from '../../src/db/open';
import type { OpenOptions } from '../../src/db/open';
import { DbStore } from '../../src/worker/dbStore';
import { Workspace } from '../../src/worker/workspace';
import { freshProfile } from '../helpers/fake-db';
import { trafficLine, urlLine } from '../helpers/panos-lines';

const noProgress = (): void => undefined;
const BROWSER = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

/** A URL log whose POST to a paste site is an upload unless its TRAFFIC row shows under 1024 bytes sent. */
const urlLog = new File(
  [
    [
      urlLine({ time: '2026/09/01 08:00:00', src: '10.0.0.1', url: 'www.example.com/', userAgent: BROWSER }),
      urlLine({ time: '2026/09/20 12:00:00', src: '10.0.0.5', url: 'pastebin.com/api/api_post.php', userAgent: 'curl/8.4.0', method: 'post', session: '7001' }),
    ].join('\n') + '\n',
  ],
  'url.log',
);
const trafficLog = new File(
  [trafficLine({ time: '2026/09/20 12:00:05', src: '10.0.0.5', session: '7001', bytesSent: 100, bytesReceived: 5000 }) + '\n'],
  'traffic.log',
);

async function visit(profile: OpenOptions): Promise<Workspace> {
  const ws = new Workspace(() => DbStore.open(profile));
  await ws.open();
  return ws;
}

async function variations(ws: Workspace): Promise<string[]> {
  return (await ws.open()).analysis.alerts.map((a) => a.variation);
}

describe('TRAFFIC joins across files', () => {
  it('a URL log and then its TRAFFIC log in the same tab give the one-batch answer, kept across a reload', async () => {
    const batch = await visit(freshProfile());
    await batch.addFiles([urlLog, trafficLog], noProgress);
    expect(await variations(batch)).toEqual(['text_share_download']);

    const profile = freshProfile();
    const ws = await visit(profile);
    await ws.addFiles([urlLog], noProgress);
    expect(await variations(ws)).toEqual(['text_share_upload']);
    await ws.addFiles([trafficLog], noProgress);
    expect(await variations(ws)).toEqual(['text_share_download']);
    expect(await variations(await visit(profile))).toEqual(['text_share_download']);

    // The upload row of the baseline went with it.
    const db = await openDatabase(profile);
    expect((await readCoverage(db)).keys).toBe(1);
    db.close();
  });

  it('the TRAFFIC log first, in the same tab, joins too', async () => {
    const ws = await visit(freshProfile());
    await ws.addFiles([trafficLog], noProgress);
    await ws.addFiles([urlLog], noProgress);
    expect(await variations(ws)).toEqual(['text_share_download']);
  });

  it('a TRAFFIC log read before a reload does not reach URL events added after it', async () => {
    const profile = freshProfile();
    await (await visit(profile)).addFiles([trafficLog], noProgress);
    const later = await visit(profile);
    await later.addFiles([urlLog], noProgress);
    expect(await variations(later)).toEqual(['text_share_upload']);
  });
});
