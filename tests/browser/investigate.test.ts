// The investigation flow over the demo: exports write what the table shows,
// in its order; search reaches URLs, user agents and users; an evidence
// source opens the whole normalised event; the host's other activity is one
// press away; the timeline filters by a day or a dragged range; alerts group
// and are triaged in bulk; the address holds the view, so a reload or a
// copied link opens it again; at 800 px the table keeps the columns that
// matter (triage status among them); the keyboard reaches the alerts at once and stays in the drawer.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import Papa from 'papaparse';
import type { Page } from 'playwright-core';
import {
  assertNoUncaughtErrors,
  assertOnlyOwnOrigin,
  download,
  exportedAlerts,
  launchApp,
  waitForRunAfter,
  type AlertRecordLike,
  type App,
  showOverview,
} from './harness.ts';

type Rec = AlertRecordLike & { id: string; triage: { status: string; note: string; changed_at: string | null } };

const DEMO_TIMEOUT = 120_000;
const DAY_MS = 86_400_000;
let app: App;
let all: Rec[];

async function shown(page: Page): Promise<number> {
  return Number((await page.getByTestId('shown-count').textContent())?.replace(/,/g, ''));
}

async function waitShown(page: Page, n: number): Promise<void> {
  await page.waitForFunction(
    (want) => document.querySelector('[data-testid="shown-count"]')?.textContent?.replace(/,/g, '') === String(want),
    n,
  );
}

async function rowIds(page: Page): Promise<string[]> {
  return page
    .getByTestId('alert-row')
    .evaluateAll((rows) =>
      rows
        .sort((a, b) => Number(a.getAttribute('data-pos')) - Number(b.getAttribute('data-pos')))
        .map((r) => r.getAttribute('data-alert-id') ?? ''),
    );
}

async function csvRows(page: Page): Promise<Record<string, string>[]> {
  const parsed = Papa.parse<Record<string, string>>((await download(page, 'export-csv')).text.replace(/^\uFEFF/, ''), {
    header: true,
    skipEmptyLines: true,
  });
  assert.deepEqual(parsed.errors, []);
  return parsed.data;
}

async function clearFilters(page: Page): Promise<void> {
  const clear = page.getByRole('button', { name: 'Clear filters' });
  if (await clear.isEnabled()) await clear.click();
  await waitShown(page, all.length);
}

function alertWith(client: string, domain: string): Rec {
  const a = all.find((x) => x.client === client && x.domain === domain);
  assert.ok(a, `a ${client} → ${domain} alert in the demo`);
  return a;
}

before(async () => {
  app = await launchApp({ open: null });
  await app.page.setViewportSize({ width: 1440, height: 900 });
  await app.page.goto(app.base + '?demo');
  await waitForRunAfter(app.page, null, DEMO_TIMEOUT);
  all = (await exportedAlerts(app.page)) as Rec[];
  assert.ok(all.length > 10, app.diagnostics());
});

after(async () => {
  await app?.close();
});

test('the exports write exactly the alerts shown, in the table order, and say how many', async () => {
  const page = app.page;
  await page.getByRole('button', { name: /^High/ }).click();
  // Two: PowerShell posting to pastebin.com, and the implant that only stitching to the endpoint view catches.
  assert.equal(all.filter((a) => a.severity === 'high').length, 2);
  await waitShown(page, 2);
  assert.equal(await shown(page), 2);
  assert.match((await page.getByTestId('export-csv').textContent()) ?? '', /Export 2 alerts as CSV/);
  assert.deepEqual(
    (await exportedAlerts(page)).map((a) => a.severity),
    ['high', 'high'],
  );
  assert.deepEqual(
    (await csvRows(page)).map((r) => r.severity),
    ['high', 'high'],
  );
  await clearFilters(page);

  // Sorted by client, A to Z: the export follows the table, not the detector's order.
  await page.getByRole('button', { name: 'Client', exact: true }).click();
  const order = await rowIds(page);
  const json = (await exportedAlerts(page)) as Rec[];
  assert.deepEqual(
    json.map((a) => a.id),
    order,
  );
  assert.deepEqual(
    json.map((a) => a.client),
    [...json.map((a) => a.client)].sort(),
  );
  assert.notDeepEqual(
    order,
    all.map((a) => a.id),
    'the table order differs from first-seen order',
  );
  assert.deepEqual(
    (await csvRows(page)).map((r) => r.id),
    order,
  );

  // Host, domain and type filters reach the export too.
  await page.getByPlaceholder('Host').fill('10.20.0.144');
  await waitShown(page, all.filter((a) => a.host === '10.20.0.144').length);
  assert.deepEqual(new Set((await exportedAlerts(page)).map((a) => a.host)), new Set(['10.20.0.144']));
  await page.getByPlaceholder('Host').fill('');
  await page.getByPlaceholder('Domain').fill('badcdn');
  await page.getByLabel('Alert type').selectOption('website_access');
  await waitShown(page, 3);
  assert.deepEqual(
    (await csvRows(page)).map((r) => r.domain),
    ['badcdn.top', 'badcdn.top', 'badcdn.top'],
  );
  await clearFilters(page);
  await page.getByRole('button', { name: 'Severity', exact: true }).click();
});

test('search looks into URLs, user agents and users', async () => {
  const page = app.page;
  const search = page.getByTestId('alert-search');
  for (const [text, want] of [
    ['api_post', alertWith('windowspowershell', 'pastebin.com')],
    ['Wget/1.21.4', alertWith('wget', 'rentry.co')],
    ['rclone/v1.64', alertWith('rclone', 'transfer.sh')],
    ['mallory.v', alertWith('python-requests', 'pastebin.com')],
  ] as const) {
    await search.fill(text);
    await waitShown(page, 1);
    assert.deepEqual(await rowIds(page), [want.id], `"${text}" finds ${want.client} → ${want.domain}`);
    assert.deepEqual(
      ((await exportedAlerts(page)) as Rec[]).map((a) => a.id),
      [want.id],
    );
  }
  await search.fill('');
  await waitShown(page, all.length);
});

test("an evidence source opens the event's whole record, and the host view shows what else the host did", async () => {
  const page = app.page;
  const target = alertWith('windowspowershell', 'pastebin.com');
  await page.locator(`[data-testid="alert-row"][data-alert-id="${target.id}"]`).click();
  const detail = page.getByTestId('alert-detail');
  const source = detail.getByTestId('evidence-source').first();
  assert.equal(await source.textContent(), `${target.evidence[0].source.file}:${target.evidence[0].source.line}`);
  await source.click();
  const record = detail.getByTestId('evidence-record');
  await record.waitFor();
  // Each label and its value, read without the whitespace between the cells (markup formatting, not content).
  const text = ((await record.textContent()) ?? '').replace(/\s+/g, '');
  for (const want of [
    'Host namepastebin.com',
    'Path/api/api_post.php',
    'Uploadyes',
    'Variationtext_share_upload',
    `Client${target.client}`,
    'PAN-OS syslog',
  ]) {
    assert.ok(text.includes(want.replace(/\s+/g, '')), `the record shows ${want}: ${text}`);
  }
  assert.equal(await source.getAttribute('aria-expanded'), 'true');

  await detail.getByTestId('host-activity-open').click();
  const table = detail.getByTestId('host-activity');
  await table.waitFor();
  const rows = await table
    .locator('tbody tr')
    .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
  const own = rows.find((r) => r[0] === target.client && r[1].startsWith(target.domain));
  assert.ok(own, `the host view lists the alert's own pair: ${JSON.stringify(rows)}`);
  assert.ok(own[1].includes('this alert'));
  assert.ok(Number(own[2].replace(/,/g, '')) >= target.count, "at least the alert's own events, within a day of it");
  const first = Date.parse(target.first_seen);
  for (const r of rows) {
    for (const t of [r[4], r[5]])
      assert.ok(Math.abs(Date.parse(`${t.replace(' ', 'T')}Z`) - first) <= DAY_MS, `${t} is within a day of the alert`);
  }
  assert.match((await detail.getByTestId('host-summary').textContent()) ?? '', /non-browser events? from/);
  await detail.getByTestId('detail-close').click();
});

test('the timeline filters by the day clicked and by the days dragged across', async () => {
  const page = app.page;
  await showOverview(page);
  const plot = page.getByTestId('timeline-plot');
  await plot.scrollIntoViewIfNeeded();
  const box = (await plot.boundingBox())!;
  const first = Date.UTC(2026, 8, 1) / DAY_MS;
  const span = 45;
  const xOf = (day: number): number => box.x + 52 + ((day - first + 0.5) / span) * (box.width - 64);
  const y = box.y + 60;
  const dayOf = (a: Rec): number => Math.floor(Date.parse(a.first_seen) / DAY_MS);

  const oct6 = Date.UTC(2026, 9, 6) / DAY_MS;
  await page.mouse.click(xOf(oct6), y);
  await waitShown(page, all.filter((a) => dayOf(a) === oct6).length);
  assert.equal(await shown(page), 3);
  assert.deepEqual(
    [await page.getByTestId('time-from').inputValue(), await page.getByTestId('time-to').inputValue()],
    ['2026-10-06', '2026-10-06'],
  );

  const from = Date.UTC(2026, 8, 15) / DAY_MS;
  const to = Date.UTC(2026, 8, 21) / DAY_MS;
  await page.mouse.move(xOf(from), y);
  await page.mouse.down();
  await page.mouse.move(xOf(from + 2), y, { steps: 4 });
  await page.mouse.move(xOf(to), y, { steps: 4 });
  await page.mouse.up();
  const want = all.filter((a) => dayOf(a) >= from && dayOf(a) <= to);
  await waitShown(page, want.length);
  assert.deepEqual(
    [await page.getByTestId('time-from').inputValue(), await page.getByTestId('time-to').inputValue()],
    ['2026-09-15', '2026-09-21'],
  );
  assert.deepEqual(new Set(((await exportedAlerts(page)) as Rec[]).map((a) => a.id)), new Set(want.map((a) => a.id)));
  await page.getByTestId('time-filter').getByRole('button', { name: 'Any time' }).click();
  await waitShown(page, all.length);
  // The same filter from the keyboard: the date fields.
  await page.getByTestId('time-from').fill('2026-10-06');
  await page.getByTestId('time-to').fill('2026-10-06');
  await waitShown(page, 3);
  await page.getByTestId('time-filter').getByRole('button', { name: 'Any time' }).click();
  await waitShown(page, all.length);
});

test('alerts of one client and domain group into a row and are triaged together', async () => {
  const page = app.page;
  const cdn = all.filter((a) => a.client === 'go-http-client' && a.domain === 'badcdn.top');
  assert.equal(cdn.length, 3);
  await page.getByTestId('group-by').selectOption('pair');
  const row = page.locator('[data-testid="alert-row"]', { has: page.getByTestId('group-size') });
  await row.waitFor();
  assert.equal(await row.count(), 1);
  assert.equal(await row.getAttribute('data-members'), '3');
  assert.equal(await shown(page), all.length, 'grouping folds rows, the alerts shown stay');
  await row.getByTestId('pick-row').check();
  const bar = page.getByTestId('bulk-bar');
  assert.match((await bar.textContent()) ?? '', /3 alerts picked/);
  await bar.getByTestId('bulk-status').selectOption('benign');
  await bar.getByTestId('bulk-note').fill('CDN updater, owner confirmed');
  await bar.getByTestId('bulk-apply').click();
  await bar.waitFor({ state: 'detached' });
  const after = ((await exportedAlerts(page)) as Rec[]).filter((a) => a.domain === 'badcdn.top');
  assert.deepEqual(
    after.map((a) => a.triage),
    cdn.map(() => ({ status: 'benign', note: 'CDN updater, owner confirmed', changed_at: after[0].triage.changed_at })),
  );
  await page.getByTestId('group-by').selectOption('');
});

test('the address holds filters, sort and the open alert: a reload and a copied link open the same view', async () => {
  const page = app.page;
  await page.getByRole('button', { name: /^Info/ }).click();
  await page.getByRole('button', { name: 'Domain', exact: true }).click();
  await page.getByTestId('alert-search').fill('corp');
  const want = all.filter((a) => a.severity === 'informational' && a.user?.includes('corp'));
  await waitShown(page, want.length);
  const order = await rowIds(page);
  await page.locator(`[data-testid="alert-row"][data-alert-id="${order[1]}"]`).click();
  await page
    .getByTestId('alert-detail')
    .getByRole('heading', { name: /Evidence/ })
    .waitFor();
  const url = page.url();
  assert.match(url, /\?demo#.*sev=informational/);
  assert.match(url, /sort=domain\.asc/);
  assert.match(url, /q=corp/);
  assert.match(url, new RegExp(`alert=${encodeURIComponent(order[1]).replace(/[.|]/g, '\\$&')}`));

  const check = async (p: Page): Promise<void> => {
    await waitShown(p, want.length);
    assert.deepEqual(await rowIds(p), order);
    await p
      .getByTestId('alert-detail')
      .getByRole('heading', { name: /Evidence/ })
      .waitFor();
    assert.equal(
      (await p
        .locator('[data-testid="alert-row"][aria-selected], [data-testid="alert-row"].selected')
        .first()
        .getAttribute('data-alert-id')) !== null,
      true,
    );
    assert.match((await p.getByTestId('detail-position').textContent()) ?? '', /^2 of /);
  };
  await page.reload();
  await check(page);
  const copy = await app.context.newPage();
  try {
    await copy.goto(url);
    await check(copy);
    // A link to an alert these results do not hold says so, and opens nothing.
    await copy.goto(`${app.base}?demo#alert=website_access%7C10.9.9.9%7Ccurl%7Cnowhere.example%7C2026-09-30T00%3A00%3A00.000Z`);
    await copy.getByText(/The alert this link names is not among these results: website_access\|10\.9\.9\.9/).waitFor();
    assert.equal(await copy.getByTestId('alert-detail').count(), 0);
    assert.doesNotMatch(copy.url(), /alert=/);
  } finally {
    await copy.close();
  }
  await page.keyboard.press('Escape');
  await clearFilters(page);
  await page.getByRole('button', { name: 'Severity', exact: true }).click();
  assert.doesNotMatch(page.url(), /#/);
});

test('at 800 px the table keeps severity, status, host, client, domain and first seen, and nothing scrolls sideways', async () => {
  const page = app.page;
  await page.setViewportSize({ width: 800, height: 900 });
  await page.waitForFunction(() => document.querySelector('[role="grid"]')?.getAttribute('data-narrow') === 'true');
  const heads = await page.locator('[role="grid"] [role="columnheader"] button').allTextContents();
  assert.deepEqual(
    heads.map((h) => h.replace(/[▲▼]/g, '').trim()),
    ['Severity', 'Status', 'Host', 'Client', 'Domain', 'First seen (UTC)'],
  );
  const overflow = await page.locator('[role="grid"]').evaluate((el) => el.scrollWidth - el.clientWidth);
  assert.ok(overflow <= 0, `the table scrolls sideways by ${overflow} px`);
  const first = page.getByTestId('alert-row').first();
  const cells = await first.locator('[role="gridcell"]').evaluateAll((cs) =>
    cs.map((c) => {
      const r = c.getBoundingClientRect();
      return { right: r.right, text: c.textContent?.trim() ?? '' };
    }),
  );
  const width = await page.evaluate(() => document.documentElement.clientWidth);
  for (const c of cells) assert.ok(c.right <= width, `"${c.text}" is on screen`);
  await page.setViewportSize({ width: 1440, height: 900 });
});

test('a skip link leads to the alerts; the drawer keeps focus and Up and Down move between alerts', async () => {
  const page = app.page;
  // From the top of a freshly loaded page: one Tab reaches the skip link, Enter the first alert.
  await page.reload();
  await waitShown(page, all.length);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'skip-link');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'alert-row');
  const firstId = await page.evaluate(() => document.activeElement?.getAttribute('data-alert-id'));
  await page.keyboard.press('Enter');
  const detail = page.getByTestId('alert-detail');
  await detail.getByRole('heading', { name: /Evidence/ }).waitFor();
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press(i % 7 === 6 ? 'Shift+Tab' : 'Tab');
    assert.ok(
      await page.evaluate(
        () => document.querySelector('[data-testid="alert-detail"]')?.contains(document.activeElement) ?? false,
      ),
      `focus stayed in the drawer after ${i + 1} presses`,
    );
  }
  await detail.focus();
  assert.match((await page.getByTestId('detail-position').textContent()) ?? '', /^1 of /);
  await page.keyboard.press('ArrowDown');
  await page.waitForFunction(() => /^2 of /.test(document.querySelector('[data-testid="detail-position"]')?.textContent ?? ''));
  assert.notEqual(
    new URL(page.url()).hash.includes(encodeURIComponent(firstId ?? '')),
    true,
    'the address follows the alert open',
  );
  await page.keyboard.press('ArrowUp');
  await page.waitForFunction(() => /^1 of /.test(document.querySelector('[data-testid="detail-position"]')?.textContent ?? ''));
  await page.keyboard.press('Escape');
  await detail.waitFor({ state: 'detached' });
});

test('the page threw no uncaught error', () => {
  assertNoUncaughtErrors(app);
});

test('no request left the page origin', () => {
  assertOnlyOwnOrigin(app);
});
