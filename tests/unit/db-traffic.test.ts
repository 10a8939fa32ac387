/**
 * TRAFFIC rows give URL events their byte counts (serial + session id)
 * within one drop, when the two rows are near each other in log time
 * (trafficJoinMinutes); sessions are not stored, so a TRAFFIC log dropped
 * later does not reach events already stored (docs/workflow.md, "TRAFFIC logs").
 */
import { describe, expect, it } from 'vitest';
import { readCoverage } from '../../src/db/readCoverage';
import { openDatabase } from '../../src/db/open';
import type { OpenOptions } from '../../src/db/open';
import { DbStore } from '../../src/worker/dbStore';
import { Workspace } from '../../src/worker/workspace';
import { LocalPool } from '../../src/core/ingest/parsePool';
import { freshProfile } from '../helpers/fake-db';
import { done } from '../helpers/outcomes';
import { trafficLine, urlLine } from '../helpers/panos-lines';

const noProgress = (): void => undefined;
const BROWSER = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

/** A URL log whose POST to a paste site is an upload unless its TRAFFIC row shows under 1024 bytes sent. */
const urlLog = new File(
  [
    [
      urlLine({ time: '2026/09/01 08:00:00', src: '10.0.0.1', url: 'www.example.com/', userAgent: BROWSER }),
      urlLine({
        time: '2026/09/20 12:00:00',
        src: '10.0.0.5',
        url: 'pastebin.com/api/api_post.php',
        userAgent: 'curl/8.4.0',
        method: 'post',
        session: '7001',
      }),
    ].join('\n') + '\n',
  ],
  'url.log',
);
const trafficLog = new File(
  [trafficLine({ time: '2026/09/20 12:00:05', src: '10.0.0.5', session: '7001', bytesSent: 100, bytesReceived: 5000 }) + '\n'],
  'traffic.log',
);

async function visit(profile: OpenOptions): Promise<Workspace> {
  const ws = new Workspace(
    () => DbStore.open(profile),
    (settings) => new LocalPool(settings),
  );
  await ws.open();
  return ws;
}

async function variations(ws: Workspace): Promise<string[]> {
  return (await ws.open()).analysis.alerts.map((a) => a.variation);
}

describe('TRAFFIC joins within a drop', () => {
  it('a URL log and its TRAFFIC log dropped together, in either order, give the bytes; kept across a reload', async () => {
    for (const order of [
      [urlLog, trafficLog],
      [trafficLog, urlLog],
    ]) {
      const profile = freshProfile();
      const ws = await visit(profile);
      const outcome = await ws.addFiles(order, noProgress);
      expect(done(outcome).analysis.trafficJoin).toEqual({ joined: 1, unmatched: 0 });
      expect(await variations(ws)).toEqual(['text_share_download']);
      expect(await variations(await visit(profile))).toEqual(['text_share_download']);
      // Only the access key: the POST sent 100 bytes, no upload.
      const db = await openDatabase(profile);
      expect((await readCoverage(db)).keys).toBe(1);
      db.close();
    }
  });

  it('a TRAFFIC log dropped later does not reach URL events already stored', async () => {
    const profile = freshProfile();
    const ws = await visit(profile);
    await ws.addFiles([urlLog], noProgress);
    expect(await variations(ws)).toEqual(['text_share_upload']);
    const later = await ws.addFiles([trafficLog], noProgress);
    expect(done(later).analysis.trafficJoin).toEqual({ joined: 0, unmatched: 0 });
    expect(await variations(ws)).toEqual(['text_share_upload']);
  });

  it('a TRAFFIC row far from its URL row in log time is not joined, and the URL event is counted as unmatched', async () => {
    const far = new File(
      [
        trafficLine({ time: '2026/09/20 14:00:05', src: '10.0.0.5', session: '7001', bytesSent: 100, bytesReceived: 5000 }) +
          '\n',
      ],
      'traffic-far.log',
    );
    const ws = await visit(freshProfile());
    const outcome = await ws.addFiles([urlLog, far], noProgress);
    expect(done(outcome).analysis.trafficJoin).toEqual({ joined: 0, unmatched: 1 });
    expect(await variations(ws)).toEqual(['text_share_upload']);
  });
});
