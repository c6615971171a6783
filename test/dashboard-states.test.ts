import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { launchBrowser, type TestBrowser } from './support/browser.js';
import { startDashboard } from './support/dashboard-server.js';
import { dashboardStore, storeWith } from './support/dashboard-store.js';

const ENV = { TZ: 'UTC' };
const ARTIFACTS = 'test-artifacts/dashboard';

describe('dashboard empty and error states', () => {
  let browser: TestBrowser;

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
  });

  it('shows what to run over an empty store', async () => {
    const dashboard = await startDashboard(await storeWith([]), [], ENV);
    try {
      const page = await browser.context.newPage();
      await page.goto(dashboard.url);
      await page.waitForSelector('body[data-state="empty"]');
      assert.equal(await page.locator('#empty-view').isVisible(), true);
      assert.equal(await page.locator('#views').isVisible(), false);
      const text = await page.locator('#empty-view').textContent();
      assert.match(text ?? '', /anthrotrace send/);
      assert.match(text ?? '', /anthrotrace import/);
      await page.screenshot({ path: `${ARTIFACTS}/empty.png` });
      await page.close();
    } finally {
      await dashboard.stop();
    }
  });

  it('keeps the views and names an unreadable From typed from the keyboard', async () => {
    const dashboard = await startDashboard(await dashboardStore(), ['--tz', 'UTC'], ENV);
    try {
      const page = await browser.context.newPage();
      await page.goto(dashboard.url);
      await page.waitForSelector('body[data-state="ready"]');
      await page.locator('input[name="from"]').focus();
      await page.keyboard.type('the day before');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.getElementById('status')!.textContent!.startsWith('Not applied'));
      assert.match((await page.locator('#status').textContent()) ?? '', /the day before/);
      assert.equal(await page.locator('#views').isVisible(), true);
      assert.equal(await page.locator('select[name="range"]').inputValue(), 'custom');
      await page.close();
    } finally {
      await dashboard.stop();
    }
  });

  it('shows the error of a store that is not a database', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'anthrotrace-dashboard-')), 'broken.db');
    writeFileSync(path, 'this is not an SQLite database, only text that fills a page. '.repeat(100));
    const dashboard = await startDashboard(path, ['--refresh', '1'], ENV);
    try {
      const page = await browser.context.newPage();
      await page.goto(dashboard.url);
      await page.waitForSelector('body[data-state="error"]');
      assert.equal(await page.locator('#error-view').isVisible(), true);
      assert.equal(await page.locator('#views').isVisible(), false);
      assert.match((await page.locator('#error-message').textContent()) ?? '', /failed to open the store/);
      await page.screenshot({ path: `${ARTIFACTS}/error.png` });
      // The page keeps polling; the server logs the failure once, not on every poll.
      await page.waitForTimeout(2500);
      const failures = dashboard.stderr().split('\n').filter((line) => line.startsWith('error: '));
      assert.equal(failures.length, 1, dashboard.stderr());
      await page.close();
    } finally {
      await dashboard.stop();
    }
  });
});
