import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { launchBrowser, type TestBrowser } from './support/browser.js';
import { DASHBOARD_NOW, DASHBOARD_ZONE, dashboardStore, openStore, pricedRecord } from './support/dashboard-store.js';
import { startDashboard, type DashboardProcess } from './support/dashboard-server.js';
import { runCli } from './support/run-cli.js';

const ENV = { TZ: 'UTC', ANTHROTRACE_NOW: DASHBOARD_NOW };
const ARTIFACTS = 'test-artifacts/dashboard';

interface ReportRow {
  day: string;
  model?: string | null;
  category?: string | null;
  input_tokens: number;
  output_tokens: number;
  cache_write_5m_tokens: number;
  cache_write_1h_tokens: number;
  cache_read_tokens: number;
  cost_usd: number;
}

interface PageSummary {
  timezone: string;
  from: string | null;
  to: string | null;
  bucket: string;
  buckets: { label: string }[];
  cost: Record<'model' | 'category', { key: string | null; other: boolean; costUsd: string[] }[]>;
  tokens: { input: number[]; output: number[]; cacheWrite: number[]; cacheRead: number[] };
}

async function reportRows(store: string, args: string[]): Promise<{ from: string | null; to: string | null; rows: ReportRow[] }> {
  const result = await runCli(['--store', store, 'report', '--format', 'json', '--tz', DASHBOARD_ZONE, ...args], ENV);
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as { from: string | null; to: string | null; rows: ReportRow[] };
}

/** "bucket|key" → cost for every non-zero cell of one cost grouping. */
function pageCosts(summary: PageSummary, grouping: 'model' | 'category'): Map<string, number> {
  const cells = new Map<string, number>();
  for (const series of summary.cost[grouping]) {
    assert.equal(series.other, false, 'the seeded store has fewer keys than colours');
    series.costUsd.forEach((cost, index) => {
      if (Number(cost) !== 0) cells.set(`${summary.buckets[index]!.label}|${series.key}`, Number(cost));
    });
  }
  return cells;
}

function reportCosts(rows: ReportRow[], grouping: 'model' | 'category'): Map<string, number> {
  const cells = new Map<string, number>();
  for (const row of rows) {
    if (row.cost_usd !== 0) cells.set(`${row.day}|${row[grouping] ?? null}`, row.cost_usd);
  }
  return cells;
}

function reportTokens(rows: ReportRow[], labels: string[]) {
  const byDay = new Map(rows.map((row) => [row.day, row]));
  const pick = (read: (row: ReportRow) => number) => labels.map((label) => (byDay.has(label) ? read(byDay.get(label)!) : 0));
  return {
    input: pick((row) => row.input_tokens),
    output: pick((row) => row.output_tokens),
    cacheWrite: pick((row) => row.cache_write_5m_tokens + row.cache_write_1h_tokens),
    cacheRead: pick((row) => row.cache_read_tokens),
  };
}

const summaryOf = (page: Page) => page.evaluate(() => (window as unknown as { __anthrotraceData: { summary: PageSummary } }).__anthrotraceData.summary);

async function assertMatchesReport(page: Page, store: string, rangeArgs: string[]): Promise<PageSummary> {
  const summary = await summaryOf(page);
  assert.equal(summary.timezone, DASHBOARD_ZONE);
  assert.equal(summary.bucket, 'day');
  for (const grouping of ['model', 'category'] as const) {
    const report = await reportRows(store, ['--by', `day,${grouping}`, ...rangeArgs]);
    assert.deepEqual(pageCosts(summary, grouping), reportCosts(report.rows, grouping), `cost by ${grouping}`);
  }
  const byDay = await reportRows(store, ['--by', 'day', ...rangeArgs]);
  const labels = summary.buckets.map((bucket) => bucket.label);
  const { input, output, cacheWrite, cacheRead } = summary.tokens;
  assert.deepEqual({ input, output, cacheWrite, cacheRead }, reportTokens(byDay.rows, labels));
  return summary;
}

describe('dashboard page over a seeded SQLite store', () => {
  let store: string;
  let dashboard: DashboardProcess;
  let browser: TestBrowser;
  let page: Page;
  const consoleErrors: string[] = [];

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    store = await dashboardStore();
    dashboard = await startDashboard(store, ['--tz', DASHBOARD_ZONE, '--refresh', '1'], ENV);
    browser = await launchBrowser();
    page = await browser.context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    await page.goto(dashboard.url);
    await page.waitForSelector('body[data-state="ready"][data-bench="ready"][data-top="ready"]');
  });

  after(async () => {
    await browser?.close();
    await dashboard?.stop();
  });

  it('draws cost and tokens per day equal to report --format json', async () => {
    const summary = await assertMatchesReport(page, store, []);
    assert.equal(summary.buckets[0]!.label, '2026-02-10');
    assert.ok(summary.buckets.some((bucket) => bucket.label === '2026-03-08'), 'the 23-hour day is a bucket');
  });

  it('counts records per day as report does', async () => {
    const storage = await page.evaluate(
      () => (window as unknown as { __anthrotraceData: { storage: { rowsPerDay: { label: string; records: number }[]; rowsPerDayRange: { from: string; to: string } } } }).__anthrotraceData.storage,
    );
    // The seeded range is shorter than 31 days, so every New York day from the first record on is counted.
    assert.equal(storage.rowsPerDay.length, 29);
    assert.equal(storage.rowsPerDay[0]!.label, '2026-02-10');
    const report = await reportRows(store, ['--by', 'day', '--fill', '--from', storage.rowsPerDayRange.from, '--to', storage.rowsPerDayRange.to]);
    const fromReport = report.rows.map((row) => ({ label: row.day, records: (row as unknown as { requests: number }).requests }));
    assert.deepEqual(storage.rowsPerDay, fromReport);
  });

  it('keeps a screenshot of each view at 1280x800', async () => {
    for (const view of ['cost', 'tokens', 'top', 'bench', 'storage']) {
      await page.locator(`#${view}-view`).screenshot({ path: `${ARTIFACTS}/${view}.png` });
    }
    await page.screenshot({ path: `${ARTIFACTS}/page-1280.png`, fullPage: true });
  });

  it('labels the axes with units and the zone', async () => {
    // uPlot draws axis labels on the canvas, so read them from the chart's options.
    const axisLabels = await page.evaluate(() => {
      const chart = (document.getElementById('cost-chart') as unknown as { __chart: { axes: { label?: string }[] } }).__chart;
      return chart.axes.map((axis) => axis.label ?? '');
    });
    assert.ok(axisLabels.includes('Cost (USD)'), axisLabels.join(', '));
    assert.ok(axisLabels.includes(`Day (${DASHBOARD_ZONE})`), axisLabels.join(', '));
  });

  it('marks the benchmark case whose output tripled', async () => {
    const bench = await page.evaluate(() => (window as unknown as { __anthrotraceData: { bench: { history: { runs: unknown[]; regressions: { case: string; measure: string }[] } } } }).__anthrotraceData.bench.history);
    assert.equal(bench.runs.length, 2);
    const regressed = bench.regressions.map((entry) => `${entry.case}:${entry.measure}`).sort();
    assert.deepEqual(regressed, ['summarise:cost', 'summarise:output_tokens']);
    assert.equal(await page.locator('#bench-content tr.regression').count(), 2);
  });

  it('shows the full record of the most expensive call', async () => {
    const first = page.locator('#top-table tbody tr').first().locator('button');
    const id = await first.getAttribute('data-record-id');
    await first.press('Enter');
    await page.waitForSelector('#record-detail:not([hidden])');
    const record = JSON.parse(await page.locator('#record-detail').textContent() ?? '') as { id: string; cost_usd: { total: number }; prompt_text: string };
    assert.equal(record.id, id);
    assert.match(record.prompt_text, /^Summarise report \d+$/);
    const costs = await page.locator('#top-table tbody tr td:nth-child(5)').allTextContents();
    const numbers = costs.map((text) => Number(text.replace('$', '')));
    assert.deepEqual(numbers, [...numbers].sort((a, b) => b - a), 'rows are ordered by cost, dearest first');
    assert.equal(record.cost_usd.total, numbers[0]);
  });

  it('redraws when the range changes to the last 7 days', async () => {
    const before = (await summaryOf(page)).from;
    await page.locator('select[name="range"]').focus();
    await page.locator('select[name="range"]').selectOption('7d');
    await page.waitForFunction((from) => {
      const data = (window as unknown as { __anthrotraceData: { summary: { from: string } } }).__anthrotraceData;
      return document.body.dataset.state === 'ready' && data.summary.from !== from;
    }, before);
    const summary = await assertMatchesReport(page, store, ['--from', '7d', '--to', 'now']);
    assert.equal(summary.buckets[0]!.label, '2026-03-03');
  });

  it('updates when a record arrives', async () => {
    const repository = await openStore(store);
    await repository.insert([pricedRecord({ at: '2026-03-10T12:00:00Z', usage: { inputTokens: 10_000 }, overrides: { id: 'late-arrival' } })]);
    await repository.close();
    await page.waitForFunction(() => {
      const data = (window as unknown as { __anthrotraceData: { mark: { records: number } | null } }).__anthrotraceData;
      return data.mark !== null && data.mark.records === 125 && document.body.dataset.state === 'ready';
    }, undefined, { timeout: 5000 });
    await assertMatchesReport(page, store, ['--from', '7d', '--to', 'now']);
  });

  it('stays readable in a 400 px wide window', async () => {
    await page.setViewportSize({ width: 400, height: 800 });
    await page.waitForTimeout(200);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 400, `page scrolls sideways: ${width} px wide`);
    await page.screenshot({ path: `${ARTIFACTS}/page-400.png`, fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('logs no console errors', () => {
    assert.deepEqual(consoleErrors, []);
  });
});
