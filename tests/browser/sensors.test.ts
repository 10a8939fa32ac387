// A network sensor's logs in the tab: one generated dataset written as Zeek's
// http.log and as Suricata's eve.json, dropped through the file input, gives
// the alerts `offbrowse detect --json` prints for the same files; a drop that
// mixes PAN-OS, Zeek and Suricata files is one baseline, in the tab as in the CLI.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  assertNoUncaughtErrors,
  assertOnlyOwnOrigin,
  cliAlerts,
  comparable,
  exportedAlerts,
  freshStart,
  generateDataset,
  ingest,
  launchApp,
  removeDirs,
  repoRoot,
  type AlertRecordLike,
  type App,
} from './harness.ts';

const MIXED = ['input-1.log', 'input-2.log', 'input-3.json'].map((f) => join(repoRoot, 'tests', 'cases', 'mixed-sources', f));

let app: App;
let zeek: { dir: string; files: string[] };
let eve: { dir: string; files: string[] };
let fromZeek: AlertRecordLike[];
let fromEve: AlertRecordLike[];
let fromMixed: AlertRecordLike[];

before(async () => {
  // 30 days of 40 hosts: every variation among the scripted attacks.
  [zeek, eve] = await Promise.all([
    generateDataset(['--days', '30', '--hosts', '40', '--seed', '3', '--format', 'zeek']),
    generateDataset(['--days', '30', '--hosts', '40', '--seed', '3', '--format', 'suricata']),
  ]);
  [fromZeek, fromEve, fromMixed, app] = await Promise.all([
    cliAlerts(zeek.files),
    cliAlerts(eve.files),
    cliAlerts(MIXED),
    launchApp(),
  ]);
});

after(async () => {
  await app?.close();
  await removeDirs(zeek?.dir, eve?.dir);
});

test('dropped Zeek http.log day files give the alerts the CLI prints for them', async () => {
  assert.equal(new Set(fromZeek.map((a) => a.variation)).size, 4, 'the dataset exercises all four variations');
  await ingest(app.page, zeek.files);
  const got = await exportedAlerts(app.page);
  assert.deepEqual(comparable(got), comparable(fromZeek), app.diagnostics());
  // A sensor has no user: the export says so with null, not an empty string.
  assert.ok(
    got.every((a) => a.user === null),
    'no user on a sensor alert',
  );
  assert.equal(await app.page.getByTestId('alert-row').count(), fromZeek.length);
});

test('dropped Suricata eve.json day files give the alerts the CLI prints for them', async () => {
  await freshStart(app);
  await ingest(app.page, eve.files);
  const got = await exportedAlerts(app.page);
  assert.deepEqual(comparable(got), comparable(fromEve), app.diagnostics());
  // Suricata logs no bytes sent: one POST more is an upload than in the Zeek form.
  assert.equal(got.length, fromZeek.length + 1);
});

test('a drop of a PAN-OS, a Zeek and a Suricata file is one baseline', async () => {
  await freshStart(app);
  await ingest(app.page, MIXED);
  const got = await exportedAlerts(app.page);
  assert.deepEqual(comparable(got), comparable(fromMixed), app.diagnostics());
  // The same request seen by the firewall and both sensors: three events of one alert.
  assert.ok(got.some((a) => a.host === '10.5.0.9' && a.count === 3 && a.user === 'corp\\erin'));
});

test('the page threw no uncaught error', () => {
  assertNoUncaughtErrors(app);
});

test('no request left the page origin', () => {
  assertOnlyOwnOrigin(app);
});
