// A file that is not a PAN-OS URL log (prose, an image, a gzip of either) gets
// a clear message that names it; the other files of the same drop still count.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import {
  alertTexts,
  assertNoUncaughtErrors,
  assertOnlyOwnOrigin,
  exportedAlerts,
  ingest,
  launchApp,
  removeDirs,
  tempDir,
  type App,
} from './harness.ts';
import { activeLog } from './panos.ts';

let app: App;
let work: string;

/** Prose with commas, so a CSV reader finds rows in it but no PAN-OS ones. */
function prose(lines: number): string {
  const words = ['firewall', 'report', 'quarterly', 'budget', 'meeting', 'notes', 'action', 'owner', 'due', 'review'];
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const n = 4 + (i % 9);
    out.push(Array.from({ length: n }, (_, k) => words[(i * 7 + k * 3) % words.length]).join(i % 3 === 0 ? ', ' : ' '));
  }
  return out.join('\n') + '\n';
}

/** A PNG signature and IHDR chunk, then noise: a binary file with NUL bytes early on. */
function pngLike(): Buffer {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const ihdr = Buffer.from([0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0, 0, 0, 1, 0, 8, 6, 0, 0, 0]);
  return Buffer.concat([signature, ihdr, randomBytes(64 * 1024)]);
}

before(async () => {
  work = await tempDir();
  await writeFile(join(work, 'meeting-notes.txt'), prose(200));
  await writeFile(join(work, 'holiday-photo.png'), pngLike());
  await writeFile(join(work, 'notes-archive.log.gz'), gzipSync(prose(50)));
  await writeFile(
    join(work, 'good.log'),
    activeLog([{ time: '2026/09/20 12:00:00', src: '10.77.0.1', url: 'good-file-check.com/', userAgent: 'curl/8.4.0' }]),
  );
  app = await launchApp();
});

after(async () => {
  await app?.close();
  await removeDirs(work);
});

/** The page's error callouts that name `file`. */
async function messagesFor(file: string): Promise<string[]> {
  return (await alertTexts(app.page)).filter((t) => t.includes(file));
}

const CLEAR = /not (read|recogni[sz]ed|a (PAN-OS|recogni[sz]ed|text))|format|binary/i;

test('a text file that is not a log is named in a clear message', async () => {
  await ingest(app.page, [join(work, 'meeting-notes.txt')]);
  const messages = await messagesFor('meeting-notes.txt');
  assert.equal(messages.length, 1, `one message names the file; the page says: ${(await alertTexts(app.page)).join(' | ')}`);
  assert.match(messages[0], CLEAR);
  assert.match(messages[0], /PAN-OS/, 'it says what was expected');
  assert.equal((await exportedAlerts(app.page)).length, 0);
});

test('binary and gzipped non-logs are named; the good file in the same drop still counts', async () => {
  await ingest(app.page, [join(work, 'holiday-photo.png'), join(work, 'notes-archive.log.gz'), join(work, 'good.log')]);
  for (const name of ['holiday-photo.png', 'notes-archive.log.gz']) {
    const messages = await messagesFor(name);
    assert.equal(messages.length, 1, `one message names ${name}; the page says: ${(await alertTexts(app.page)).join(' | ')}`);
    assert.match(messages[0], CLEAR);
  }
  assert.deepEqual(await messagesFor('good.log'), []);
  const alerts = await exportedAlerts(app.page);
  assert.deepEqual(
    alerts.map((a) => [a.host, a.client, a.domain]),
    [['10.77.0.1', 'curl', 'good-file-check.com']],
  );
});

test('the page threw no uncaught error', () => {
  assertNoUncaughtErrors(app);
});

test('no request left the page origin', () => {
  assertOnlyOwnOrigin(app);
});
