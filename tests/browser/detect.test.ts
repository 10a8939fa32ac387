// The page and the CLI run the same detector over the same bytes: dropping a
// generated PAN-OS dataset in the browser must give exactly the alerts that
// `offbrowse detect --json` prints for those files: syslog or CSV, gzipped or
// not, in one run or several, with multi-byte text cut at read-chunk edges.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import {
  assertNoUncaughtErrors,
  assertOnlyOwnOrigin,
  cliAlerts,
  comparable,
  concatFiles,
  currentRun,
  exportedAlerts,
  freshStart,
  generateDataset,
  ingest,
  launchApp,
  pickFiles,
  removeDirs,
  tempDir,
  waitForRunAfter,
  type AlertRecordLike,
  type App,
} from './harness.ts';
import { activeLog, type UrlRow } from './panos.ts';

let app: App;
let plain: { dir: string; files: string[] };
let gzipped: { dir: string; files: string[] };
let csv: { dir: string; files: string[] };
let work: string;
/** What `offbrowse detect --json` prints for the plain day files. */
let expected: AlertRecordLike[];

/** Long multi-byte host names: a character cut at a read-chunk edge makes a new domain, so an extra alert. */
const MULTIBYTE_HOSTS = [
  'ünïcödé-bücher-größenmaßstäbe-überprüfung-äöüß-ünïcödé.de',
  '日本語のとても長いドメイン名のテスト日本語のとても長いドメイン名.jp',
  'ελληνικά-δοκιμή-μακρύ-όνομα-τομέα-ελληνικά.gr',
  'эксперимент-очень-длинное-доменное-имя-тест.ru',
  '中文域名测试非常长的域名中文域名测试非常长的域名.cn',
  'emoji-😀😃😄😁😆😅🤣😂🙂🙃😉😊😇-test.com',
];

/**
 * About 20 MB of lines dense with multi-byte UTF-8 (in the host names), so
 * the worker's read chunks are bound to end inside a character somewhere.
 */
function multibyteLog(): string {
  const rows: UrlRow[] = [];
  for (let i = 0; i < 60_000; i++) {
    const t = new Date(Date.UTC(2026, 8, 20) + i * 1000).toISOString();
    rows.push({
      time: `${t.slice(0, 10).replace(/-/g, '/')} ${t.slice(11, 19)}`,
      src: `10.50.0.${Math.floor(i / MULTIBYTE_HOSTS.length) % 3}`,
      user: i % 2 ? 'corp\\jürgen' : 'corp\\日本',
      url: `${MULTIBYTE_HOSTS[i % MULTIBYTE_HOSTS.length]}/${i}`,
      userAgent: 'python-requests/2.31.0',
    });
  }
  return activeLog(rows);
}

before(async () => {
  // 30 days of 40 hosts: about 13 MB, and the scripted attacks cover all four variations.
  [plain, gzipped, csv, work] = await Promise.all([
    generateDataset(['--days', '30', '--hosts', '40', '--seed', '3']),
    generateDataset(['--days', '30', '--hosts', '40', '--seed', '3', '--gzip']),
    generateDataset(['--days', '20', '--hosts', '40', '--seed', '4', '--format', 'csv']),
    tempDir(),
  ]);
  await writeFile(join(work, 'multibyte.log'), multibyteLog());
  [expected, app] = await Promise.all([cliAlerts(plain.files), launchApp()]);
});

after(async () => {
  await app?.close();
  await removeDirs(plain?.dir, gzipped?.dir, csv?.dir, work);
});

type Source = { file: string; line: number };

/** The records with each evidence source (file name, line) passed through `move`. */
function relocated(records: AlertRecordLike[], move: (s: Source) => Source): AlertRecordLike[] {
  return records.map((r) => ({ ...r, evidence: r.evidence.map((e) => ({ ...e, source: move(e.source) })) }));
}

/** Where each day file's lines start in the concatenation of all of them. */
async function lineOffsets(files: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  let offset = 0;
  for (const f of files) {
    out.set(basename(f), offset);
    const text = await readFile(f, 'utf8');
    offset += text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  }
  return out;
}

test('dropped day files give the alerts the CLI prints for them', async () => {
  const variations = new Set(expected.map((a) => a.variation));
  assert.equal(variations.size, 4, `the dataset should exercise all four variations, got ${[...variations].join(', ')}`);

  await ingest(app.page, plain.files);
  const got = await exportedAlerts(app.page);
  assert.deepEqual(comparable(got), comparable(expected), app.diagnostics());

  // Each alert is a row in the table.
  const rows = (await app.page.getByTestId('alert-row').allTextContents()).join('\n');
  for (const a of expected) {
    for (const value of [a.host, a.client, a.domain]) assert.ok(rows.includes(value), `the table shows ${value}`);
  }
  assert.equal(await app.page.getByTestId('alert-row').count(), expected.length);
});

test('the same files dropped again are not counted twice', async () => {
  const before = await exportedAlerts(app.page);
  const run = await currentRun(app.page);
  await pickFiles(app.page, plain.files);
  await waitForRunAfter(app.page, run);
  assert.deepEqual(comparable(await exportedAlerts(app.page)), comparable(before));
});

test('the same days added over two runs, later ones first, give the same alerts', async () => {
  // An analyst adds logs as they arrive, not always in order; the detector sees the whole history each time.
  await freshStart(app);
  await ingest(app.page, plain.files.slice(15));
  await ingest(app.page, plain.files.slice(0, 15));
  assert.deepEqual(comparable(await exportedAlerts(app.page)), comparable(expected), app.diagnostics());
});

test('gzipped day files give the same alerts as the plain ones', async () => {
  await freshStart(app);
  await ingest(app.page, gzipped.files);
  const got = await exportedAlerts(app.page);
  const fromPlain = relocated(expected, (s) => ({ file: `${s.file}.gz`, line: s.line }));
  assert.deepEqual(comparable(got), comparable(fromPlain), app.diagnostics());
});

test('one multi-member gzip file gives the same alerts as the plain file', async () => {
  // Concatenated gzip files are one valid multi-member gzip file (what `cat *.gz` or log rotation makes).
  const log = await concatFiles(join(work, 'all.log'), plain.files);
  const multi = await concatFiles(join(work, 'all-multi.log.gz'), gzipped.files);
  const single = join(work, 'all-single.log.gz');
  await writeFile(single, gzipSync(await readFile(log)));
  // The CLI's alerts for the day files, with evidence lines moved to where they are in all.log.
  const offsets = await lineOffsets(plain.files);
  const inAll = relocated(expected, (s) => ({ file: 'all.log', line: (offsets.get(s.file) ?? NaN) + s.line }));

  await freshStart(app);
  await ingest(app.page, [log]);
  assert.deepEqual(comparable(await exportedAlerts(app.page)), comparable(inAll), app.diagnostics());

  for (const gz of [multi, single]) {
    await freshStart(app);
    await ingest(app.page, [gz]);
    const name = basename(gz);
    const got = relocated(await exportedAlerts(app.page), (s) => ({ file: s.file === name ? 'all.log' : s.file, line: s.line }));
    assert.deepEqual(comparable(got), comparable(inAll), `${name}: ${app.diagnostics()}`);
  }
});

test('CSV exports with a header row give the alerts the CLI prints for them', async () => {
  const fromCli = await cliAlerts(csv.files);
  assert.ok(fromCli.length > 0, 'the CSV dataset has alerts');
  await freshStart(app);
  await ingest(app.page, csv.files);
  assert.deepEqual(comparable(await exportedAlerts(app.page)), comparable(fromCli), app.diagnostics());
});

test('multi-byte UTF-8 across read-chunk edges gives the alerts the CLI prints', async () => {
  const file = join(work, 'multibyte.log');
  const fromCli = await cliAlerts([file]);
  // 3 hosts x 6 domains, every event grouped into its alert: a mangled character anywhere shows as a count or an alert more.
  assert.equal(fromCli.length, 18);
  assert.equal(
    fromCli.reduce((n, a) => n + a.count, 0),
    60_000,
  );
  await freshStart(app);
  await ingest(app.page, [file]);
  assert.deepEqual(comparable(await exportedAlerts(app.page)), comparable(fromCli), app.diagnostics());
});

test('the page threw no uncaught error', () => {
  assertNoUncaughtErrors(app);
});

test('no request left the page origin', () => {
  assertOnlyOwnOrigin(app);
});
