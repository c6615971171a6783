import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { launchBrowser, type TestBrowser } from './support/browser.js';
import { DASHBOARD_NOW, DASHBOARD_ZONE, dashboardStore } from './support/dashboard-store.js';
import { runCli } from './support/run-cli.js';

const ENV = { TZ: 'UTC', ANTHROTRACE_NOW: DASHBOARD_NOW };
const ARTIFACTS = 'test-artifacts/dashboard';

describe('report --html', () => {
  let store: string;
  let file: string;
  let browser: TestBrowser;
  let page: Page;
  const requests: string[] = [];
  const consoleErrors: string[] = [];
  let stdout = '';

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    store = await dashboardStore();
    file = join(mkdtempSync(join(tmpdir(), 'anthrotrace-html-')), 'report.html');
    const result = await runCli(['--store', store, 'report', '--by', 'day,model', '--tz', DASHBOARD_ZONE, '--from', '14d', '--format', 'json', '--html', file], ENV);
    assert.equal(result.status, 0, result.stderr);
    stdout = result.stdout;
    browser = await launchBrowser();
    page = await browser.context.newPage();
    page.on('request', (request) => requests.push(request.url()));
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('body[data-state="ready"][data-top="ready"]');
  });

  after(async () => {
    await browser?.close();
  });

  it('opens from disk with no request but the file itself', () => {
    assert.deepEqual(requests, [pathToFileURL(file).href]);
    assert.deepEqual(consoleErrors, []);
  });

  it('carries the same costs as the report on stdout', async () => {
    const report = JSON.parse(stdout) as { rows: { day: string; model: string; cost_usd: number }[] };
    const summary = await page.evaluate(
      () => (window as unknown as { __anthrotraceData: { summary: { buckets: { label: string }[]; cost: { model: { key: string; costUsd: string[] }[] } } } }).__anthrotraceData.summary,
    );
    const fromPage = new Map<string, number>();
    for (const series of summary.cost.model) {
      series.costUsd.forEach((cost, index) => {
        if (Number(cost) !== 0) fromPage.set(`${summary.buckets[index]!.label}|${series.key}`, Number(cost));
      });
    }
    const fromReport = new Map(report.rows.filter((row) => row.cost_usd !== 0).map((row) => [`${row.day}|${row.model}`, row.cost_usd]));
    assert.deepEqual(fromPage, fromReport);
  });

  it('disables the range controls but keeps the grouping', async () => {
    assert.equal(await page.locator('input[name="from"]').isDisabled(), true);
    assert.equal(await page.locator('select[name="group"]').isDisabled(), false);
    await page.locator('select[name="group"]').selectOption('category');
    assert.equal(await page.locator('#cost-chart').getAttribute('data-grouping'), 'category');
    await page.screenshot({ path: `${ARTIFACTS}/report-html.png`, fullPage: true });
  });

  it('shows a top call from the inlined records', async () => {
    await page.locator('#top-table tbody tr button').first().click();
    const record = JSON.parse((await page.locator('#record-detail').textContent()) ?? '') as { id: string; prompt_text: unknown; model: string };
    assert.equal(typeof record.id, 'string');
    assert.equal(typeof record.model, 'string');
    assert.equal(record.prompt_text, null, 'prompt text stays out of a file meant to be shared');
  });

  it('inlines no script or style from elsewhere', () => {
    const html = readFileSync(file, 'utf8');
    assert.doesNotMatch(html, /<script[^>]+src=/);
    assert.doesNotMatch(html, /<link[^>]+rel="stylesheet"/);
  });
});
