// Makes docs/investigation.png, docs/workflow.md's picture of the investigation
// flow: the demo in headless Chromium at 1440 px, its high-severity alert open
// with the host's other activity shown and one evidence record unfolded.
//
//   npx vite build && npx tsx scripts/investigation-screenshot.ts
import { join } from 'node:path';
import { launchApp, repoRoot, waitForRunAfter } from '../tests/browser/harness.ts';

const app = await launchApp({ open: null });
try {
  const page = app.page;
  await page.setViewportSize({ width: 1440, height: 1000 });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(app.base + '?demo');
  await waitForRunAfter(page, null, 180_000);
  await page.getByTestId('alert-search').fill('api_post');
  await page.waitForFunction(() => document.querySelector('[data-testid="shown-count"]')?.textContent === '1');
  await page.getByTestId('alert-row').first().click();
  const detail = page.getByTestId('alert-detail');
  await detail.getByTestId('host-activity-open').click();
  await detail.getByTestId('host-activity').waitFor();
  await detail.getByTestId('evidence-source').first().click();
  await detail.getByTestId('evidence-record').waitFor();
  // The drawer scrolled so the reason, the host's activity and the record show together.
  await detail.locator('.content').evaluate((el) => {
    const why = el.querySelector('[data-testid="why"]') as HTMLElement;
    el.scrollTop = why.getBoundingClientRect().top - el.getBoundingClientRect().top + el.scrollTop - 40;
  });
  await page.locator('#alerts').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(repoRoot, 'docs', 'investigation.png') });
  if (app.errors.length > 0) throw new Error(app.diagnostics());
} finally {
  await app.close();
}
