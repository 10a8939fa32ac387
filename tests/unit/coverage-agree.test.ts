/**
 * Coverage is counted once, by the worker as the events stream past
 * (src/core/detect/coverage.ts), and saved with the alerts; the page's live
 * query reads it back from storage with the totals every commit keeps
 * (src/db/readCoverage.ts). The two must agree on the same history after
 * every kind of change: files added over visits, a file taken out, and
 * detection run again under settings that change what counts as an upload.
 */
import { describe, expect, it } from 'vitest';
import { generate } from '../../src/core/generate/index';
import { LocalPool } from '../../src/core/ingest/parsePool';
import { defaultSettings } from '../../src/core/settings/settings';
import { openDatabase, type OpenOptions } from '../../src/db/open';
import { readCoverage } from '../../src/db/readCoverage';
import type { Coverage } from '../../src/worker/api';
import { DbStore } from '../../src/worker/dbStore';
import { Workspace } from '../../src/worker/workspace';
import { freshProfile } from '../helpers/fake-db';
import { done } from '../helpers/outcomes';
import { trafficLine, urlLine } from '../helpers/panos-lines';

const dataset = generate({ days: 20, hosts: 40, seed: 11 });
const files = dataset.files.map((f) => new File([[...f.chunks()].join('')], f.name));
const noProgress = (): void => undefined;

/** A POST whose TRAFFIC row says it sent 300 bytes: an upload only where the smallest upload is below that. */
const post = new File(
  [
    [
      urlLine({
        time: '2026/09/12 12:00:00',
        src: '10.9.0.5',
        url: 'drop-example.org/put',
        userAgent: 'curl/8.4.0',
        method: 'post',
        session: '7001',
      }),
      trafficLine({ time: '2026/09/12 12:00:02', src: '10.9.0.5', session: '7001', bytesSent: 300, bytesReceived: 5000 }),
    ].join('\n') + '\n',
  ],
  'post.log',
);

async function visit(profile: OpenOptions): Promise<Workspace> {
  const ws = new Workspace(
    () => DbStore.open(profile),
    (s) => new LocalPool(s),
  );
  await ws.open();
  return ws;
}

async function stored(profile: OpenOptions): Promise<Coverage> {
  const db = await openDatabase(profile);
  try {
    return await readCoverage(db);
  } finally {
    db.close();
  }
}

describe("the worker's coverage and the stored one", () => {
  it('agree after files come over two visits, after one is removed, and after detection runs again', async () => {
    const profile = freshProfile();
    const first = done(await (await visit(profile)).addFiles(files.slice(0, 10), noProgress)).analysis.coverage;
    expect(first.events).toBeGreaterThan(0);
    expect(first.keys).toBeGreaterThan(first.hosts);
    expect(await stored(profile)).toEqual(first);

    const ws = await visit(profile);
    const both = done(await ws.addFiles([...files.slice(10), post], noProgress)).analysis;
    expect(both.coverage.files).toBe(files.length + 1);
    expect(await stored(profile)).toEqual(both.coverage);

    const removed = done(await ws.removeFiles([both.fileKeys[3]])).analysis.coverage;
    expect(removed.files).toBe(files.length);
    expect(removed.events).toBeLessThan(both.coverage.events);
    expect(await stored(profile)).toEqual(removed);

    // 300 bytes sent is an upload once the smallest upload is 256 bytes: the POST's host gets the upload key too.
    const smaller = done(await ws.reanalyse({ ...defaultSettings(), uploadMinBytes: 256 })).analysis.coverage;
    expect(smaller.keys).toBeGreaterThan(removed.keys);
    expect(await stored(profile)).toEqual(smaller);
    expect((await (await visit(profile)).open()).analysis.coverage).toEqual(smaller);
  }, 60_000);
});
