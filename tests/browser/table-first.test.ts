// The triage table first (issue 19, the tab, points 6-8): at 1440x900 the
// first alerts show without scrolling, the summary and the timeline fold
// away and the page remembers it, Status and a note marker stay at 800 px,
// an alert name is cut only when no column has room to spare, a grouped row
// names all its users and hosts, and the alert panel shows its evidence whole:
// the last column reachable, values wrapped rather than cut, one time form.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  assertNoUncaughtErrors,
  assertOnlyOwnOrigin,
  evidenceRecordValues,
  launchApp,
  waitForRunAfter,
  type App,
} from './harness.ts';

const DEMO_TIMEOUT = 120_000;
const WIDTHS = [1440, 800];
let app: App;

async function demo(page: Page): Promise<void> {
  await waitForRunAfter(page, null, DEMO_TIMEOUT);
  await page.getByTestId('alert-row').first().waitFor();
}

before(async () => {
  app = await launchApp({ open: null });
  await app.page.setViewportSize({ width: 1440, height: 900 });
  await app.page.goto(`${app.base}?demo`);
  await demo(app.page);
});

after(async () => {
  await app?.close();
});

test('at 1440x900 the first alerts show without scrolling; the summary and the timeline fold, and stay as left after a reload', async () => {
  const page = app.page;
  const toggle = page.getByTestId('overview-toggle');
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false', 'folded until opened');
  assert.equal(await page.evaluate(() => scrollY), 0);
  const rows = await page
    .getByTestId('alert-row')
    .evaluateAll((els) => els.slice(0, 5).map((r) => r.getBoundingClientRect().bottom));
  assert.equal(rows.length, 5);
  for (const bottom of rows) assert.ok(bottom <= 900, `an alert row ends at ${bottom} px, below the window`);
  assert.equal(await page.getByRole('region', { name: 'Ingest summary' }).count(), 0, 'the folded summary is out of sight');

  await toggle.click();
  await page.getByRole('region', { name: 'Ingest summary' }).waitFor();
  await page.getByTestId('timeline-plot').waitFor();
  await page.reload();
  await page.getByTestId('alert-row').first().waitFor();
  assert.equal(await page.getByTestId('overview-toggle').getAttribute('aria-expanded'), 'true', 'opened, it stays open');
  await page.getByRole('region', { name: 'Ingest summary' }).waitFor();

  await page.getByTestId('overview-toggle').click();
  await page.reload();
  await page.getByTestId('alert-row').first().waitFor();
  assert.equal(await page.getByTestId('overview-toggle').getAttribute('aria-expanded'), 'false', 'folded, it stays folded');
  assert.equal(await page.getByTestId('timeline-plot').isVisible(), false);
});

test('a row shows that its alert has a note; Status and the marker stay at 800 px', async () => {
  const page = app.page;
  const first = page.getByTestId('alert-row').first();
  const id = await first.getAttribute('data-alert-id');
  assert.equal(await first.getByTestId('note-marker').count(), 0, 'no note, no marker');
  await first.click();
  const note = page.getByTestId('alert-detail').getByTestId('triage-note');
  await note.fill('Owner asked: backup agent (INC-7)');
  await page.getByTestId('detail-close').click();
  const row = page.locator(`[data-testid="alert-row"][data-alert-id="${id}"]`);
  const marker = row.getByTestId('note-marker');
  await marker.waitFor();
  assert.equal(await marker.getAttribute('aria-label'), 'Has a note');
  assert.equal(await marker.getAttribute('title'), 'Owner asked: backup agent (INC-7)');
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    await page.waitForFunction((w) => document.documentElement.clientWidth === w, width);
    const view = await page.evaluate(() => document.documentElement.clientWidth);
    for (const el of [row.getByTestId('alert-status'), marker]) {
      const box = await el.boundingBox();
      assert.ok(box !== null && box.x >= 0 && box.x + box.width <= view, `at ${width} px: on screen`);
    }
    assert.equal((await row.getByTestId('alert-status').textContent())?.trim(), 'New');
  }
  await page.setViewportSize({ width: 1440, height: 900 });
});

/**
 * Per row shown: each name cell that is cut, and for each other flexible
 * column (host, user, client, domain) whether it has room to spare: wider
 * than its widest value, by the cells' own measure.
 */
async function nameCuts(page: Page): Promise<{ cut: number; spare: string[]; overflow: number }> {
  return page.evaluate(() => {
    const heads = [...document.querySelectorAll('[role="grid"] [role="columnheader"]')].map((h) => h.textContent?.trim() ?? '');
    const rows = [...document.querySelectorAll('[data-testid="alert-row"]')];
    const grid = document.querySelector('[role="grid"]') as HTMLElement;
    let cut = 0;
    const widest = new Map<string, number>();
    const width = new Map<string, number>();
    for (const r of rows) {
      const cells = [...r.querySelectorAll('[role="gridcell"]')] as HTMLElement[];
      cells.forEach((c, i) => {
        const head = heads[i].replace(/[▲▼]/g, '');
        if (head === 'Alert' && c.scrollWidth > c.clientWidth) cut++;
        if (['Host', 'User', 'Client', 'Domain'].includes(head)) {
          // The text's own width: a span around it measures it whatever the cell's width.
          const probe = document.createElement('span');
          probe.textContent = c.textContent?.trim() ?? '';
          probe.style.cssText = 'position:absolute;visibility:hidden;white-space:nowrap';
          c.append(probe);
          const padding = parseFloat(getComputedStyle(c).paddingLeft) + parseFloat(getComputedStyle(c).paddingRight);
          widest.set(head, Math.max(widest.get(head) ?? 0, probe.getBoundingClientRect().width + padding));
          probe.remove();
          width.set(head, c.getBoundingClientRect().width);
        }
      });
    }
    const spare = [...width].filter(([h, w]) => w - (widest.get(h) ?? 0) > 24).map(([h, w]) => `${h} ${w} > ${widest.get(h)}`);
    return { cut, spare, overflow: grid.scrollWidth - grid.clientWidth };
  });
}

test('an alert name is cut only when no other column has room to spare (1440 px), and nothing scrolls sideways', async () => {
  const page = app.page;
  const { cut, spare, overflow } = await nameCuts(page);
  assert.ok(overflow <= 0, `the table scrolls sideways by ${overflow} px`);
  if (cut > 0) assert.deepEqual(spare, [], `${cut} names are cut while other columns have room`);
  // Fewer columns' worth of text (the Medium alerts): the names get the room and are not cut.
  await page.getByRole('button', { name: /^Medium/ }).click();
  try {
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="alert-row"]').length === 2);
    const medium = await nameCuts(page);
    assert.equal(medium.cut === 0 || medium.spare.length === 0, true, JSON.stringify(medium));
  } finally {
    await page.getByRole('button', { name: /^Medium/ }).click();
  }
});

test('a grouped row says "3 users" and "3 hosts" and lists them on hover', async () => {
  const page = app.page;
  await page.getByTestId('group-by').selectOption('pair');
  const row = page.locator('[data-testid="alert-row"][data-members="3"]', { hasText: 'badcdn.top' });
  await row.waitFor();
  assert.equal((await row.getByTestId('row-user').textContent())?.trim(), '3 users');
  assert.equal((await row.getByTestId('row-host').textContent())?.trim(), '3 hosts');
  const users = (await row.getByTestId('row-user').getAttribute('title')) ?? '';
  assert.deepEqual(users.split(', ').sort(), ['corp\\niaj.p', 'corp\\noor.t', 'corp\\oskar.m']);
  assert.equal(((await row.getByTestId('row-host').getAttribute('title')) ?? '').split(', ').length, 3);
  await page.getByTestId('group-by').selectOption('');
});

for (const width of WIDTHS) {
  test(`at ${width} px the alert panel shows the evidence whole: the last column reachable, values wrapped, one time form`, async () => {
    const page = app.page;
    await page.setViewportSize({ width, height: 900 });
    await page.locator('[data-testid="alert-row"]', { hasText: 'pastebin.com' }).first().click();
    const detail = page.getByTestId('alert-detail');
    await detail.getByTestId('evidence-source').first().click();
    const record = detail.getByTestId('evidence-record');
    await record.waitFor();
    const drawer = (await detail.boundingBox())!;
    if (width >= 1440) assert.ok(drawer.width >= 1000, `the panel is ${drawer.width} px wide in a ${width} px window`);
    assert.ok(drawer.x >= 0 && drawer.x + drawer.width <= width + 1);

    const scroll = detail.getByTestId('evidence-scroll');
    await scroll.scrollIntoViewIfNeeded();
    const reach = await scroll.evaluate((el) => {
      const box = el.getBoundingClientRect();
      const heads = [...el.querySelectorAll('th')];
      const last = heads[heads.length - 1];
      const overflowX = getComputedStyle(el).overflowX;
      el.scrollLeft = el.scrollWidth;
      const lastBox = last.getBoundingClientRect();
      const out = {
        last: last.textContent?.trim(),
        scrolls: el.scrollWidth > el.clientWidth,
        overflowX,
        lastRight: lastBox.right,
        boxRight: box.right,
      };
      el.scrollLeft = 0;
      return out;
    });
    assert.equal(reach.last, 'Received');
    assert.ok(reach.boxRight <= drawer.x + drawer.width + 1, 'the evidence box ends inside the panel');
    if (reach.scrolls) assert.ok(['auto', 'scroll'].includes(reach.overflowX), 'a wider table scrolls sideways');
    assert.ok(
      reach.lastRight <= reach.boxRight + 1,
      `the last column (${reach.lastRight}) is reachable inside ${reach.boxRight}`,
    );

    const values = await evidenceRecordValues(page);
    for (const v of values) {
      assert.equal(v.cut, false, `${v.key} "${v.value}" is cut`);
      assert.equal(v.inside, true, `${v.key} "${v.value}" is outside the evidence box`);
    }
    const url = values.find((v) => v.key === 'URL')?.value ?? '';
    assert.match(url, /^pastebin\.com\/\S+$/);
    // The URL in the table row holds the same whole value.
    assert.ok((await detail.locator('td.url').first().textContent())?.includes(url));

    const time = values.find((v) => v.key === 'Time (UTC)')?.value;
    const rowTime = (await detail.locator('tbody tr').first().locator('td').first().locator('span').textContent())?.trim();
    assert.match(time ?? '', /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    assert.equal(time, rowTime, 'the record and the table write the time alike');
    await page.keyboard.press('Escape');
    await detail.waitFor({ state: 'detached' });
  });
}

test('the date filters read and take YYYY-MM-DD, as the rest of the page writes dates', async () => {
  const page = app.page;
  const from = page.getByTestId('time-from');
  const to = page.getByTestId('time-to');
  for (const field of [from, to]) {
    assert.equal(await field.getAttribute('type'), 'text', 'not a date input, which shows the locale form (mm/dd/yyyy)');
    assert.equal(await field.getAttribute('placeholder'), 'YYYY-MM-DD');
  }
  const all = await page.getByTestId('alert-row').count();
  await from.focus();
  await page.keyboard.type('2026-10-06');
  await to.focus();
  await page.keyboard.type('2026-10-06');
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="alert-row"]').length < n, all);
  const firstSeen = await page
    .getByTestId('alert-row')
    .evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('[role="gridcell"]')].map((c) => c.textContent?.trim() ?? '')));
  assert.ok(firstSeen.length > 0);
  for (const cells of firstSeen)
    assert.ok(
      cells.some((c) => c.startsWith('2026-10-06 ')),
      cells.join(' | '),
    );
  assert.equal(await from.inputValue(), '2026-10-06');

  // Not a date: flagged when the field is left, and the filter stays as it was.
  const shown = await page.getByTestId('alert-row').count();
  await from.focus();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type('2026-02-31');
  await page.keyboard.press('Tab');
  assert.equal(await from.getAttribute('aria-invalid'), 'true');
  assert.equal(await page.getByTestId('alert-row').count(), shown);
  await page.getByTestId('time-filter').getByRole('button', { name: 'Any time' }).click();
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="alert-row"]').length === n, all);
  assert.equal(await from.getAttribute('aria-invalid'), 'false');
});

test('the page threw no uncaught error', () => {
  assertNoUncaughtErrors(app);
});

test('no request left the page origin', () => {
  assertOnlyOwnOrigin(app);
});
