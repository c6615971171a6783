import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringifyJson } from '../src/core/json.js';
import { resultToJson } from '../src/bench/result-json.js';
import type { BenchResult, CaseResult } from '../src/bench/result.js';
import { storageResultToJson } from '../src/bench/storage-command.js';
import { launchBrowser, type TestBrowser } from './support/browser.js';
import { DASHBOARD_NOW, storeWith } from './support/dashboard-store.js';
import { startDashboard, type DashboardProcess } from './support/dashboard-server.js';

const ENV = { TZ: 'UTC', ANTHROTRACE_NOW: DASHBOARD_NOW };
const ARTIFACTS = 'test-artifacts/dashboard';

function caseResult(name: string, costNanos: bigint, latencyMs: number): CaseResult {
  return {
    name,
    model: 'claude-haiku-4-5',
    category: null,
    repetitions: 5,
    calls: 5,
    succeeded: 5,
    failed: 0,
    attempts: 5,
    errors: [],
    latencyMs: { mean: latencyMs, median: latencyMs, p90: latencyMs * 1.5, p99: latencyMs * 2, min: latencyMs / 2, max: latencyMs * 2 },
    inputTokens: { median: 900, p90: 950 },
    outputTokens: { median: 120, p90: 150 },
    cacheWriteTokens: { median: 0, p90: 0 },
    cacheReadTokens: { median: 0, p90: 0 },
    totalInputTokens: { median: 900, p90: 950 },
    cost: { median: costNanos, p90: costNanos + 100_000n, total: costNanos * 5n },
    unpricedCalls: 0,
  };
}

function benchResult(runId: string, startedAt: string, cases: CaseResult[]): BenchResult {
  return {
    suite: 'smoke',
    suiteFile: 'smoke.yaml',
    runId,
    commit: runId.repeat(8).slice(0, 40),
    mode: 'live',
    concurrency: 4,
    startedAt: new Date(startedAt),
    finishedAt: new Date(Date.parse(startedAt) + 60_000),
    complete: true,
    cases,
  };
}

function storageResult(runId: string, startedAt: string, insertMs: number) {
  const task = (name: string, medianMs: number) => ({
    name,
    recordsPerOperation: 500,
    samples: 20,
    operationsPerSecond: 1000 / medianMs,
    recordsPerSecond: (500 * 1000) / medianMs,
    latencyMs: { mean: medianMs, median: medianMs, p90: medianMs * 1.2, p99: medianMs * 1.5, min: medianMs * 0.8, max: medianMs * 2 },
  });
  return storageResultToJson({
    engine: 'sqlite',
    location: '/tmp/bench.db',
    runId,
    records: 10_000,
    startedAt: new Date(startedAt),
    finishedAt: new Date(Date.parse(startedAt) + 30_000),
    tasks: [task('insert 500 per batch', insertMs), task('report by day and model', 12)],
  });
}

describe('dashboard with --bench-results', () => {
  let dashboard: DashboardProcess;
  let browser: TestBrowser;

  before(async () => {
    const directory = mkdtempSync(join(tmpdir(), 'anthrotrace-results-'));
    writeFileSync(join(directory, 'run-1.json'), resultToJson(benchResult('aaaa', '2026-03-01T10:00:00Z', [caseResult('greet', 1_000_000n, 800)])));
    // Cost +50% over a floor of 10,000 nano-dollars, latency +100% over a floor of 100 ms: both regress.
    writeFileSync(join(directory, 'run-2.json'), resultToJson(benchResult('bbbb', '2026-03-05T10:00:00Z', [caseResult('greet', 1_500_000n, 1600)])));
    writeFileSync(join(directory, 'storage-1.json'), stringifyJson(storageResult('s1', '2026-03-01T09:00:00Z', 40)));
    writeFileSync(join(directory, 'storage-2.json'), stringifyJson(storageResult('s2', '2026-03-05T09:00:00Z', 35)));
    writeFileSync(join(directory, 'package.json'), '{"name": "not a result"}');
    dashboard = await startDashboard(await storeWith([]), ['--bench-results', directory], ENV);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await dashboard?.stop();
  });

  it('reads both kinds of result and marks the regressions', async () => {
    const views = (await (await fetch(`${dashboard.url}api/bench`)).json()) as {
      history: { source: string; runs: unknown[]; regressions: { case: string; measure: string; change: number }[] };
      storageRuns: { runId: string }[];
    };
    assert.equal(views.history.source, 'results');
    assert.equal(views.history.runs.length, 2);
    assert.deepEqual(views.history.regressions.map((entry) => `${entry.case}:${entry.measure}:${entry.change}`).sort(), ['greet:cost:0.5', 'greet:latency:1']);
    assert.deepEqual(views.storageRuns.map((run) => run.runId), ['s1', 's2']);
  });

  it('warns about a JSON file that is no result', () => {
    assert.match(dashboard.stderr(), /warning: skipping .*package\.json/);
  });

  it('draws the benchmark views over an empty store', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(dashboard.url);
    await page.waitForSelector('body[data-state="ready"][data-bench="ready"]');
    assert.equal(await page.locator('#empty-view').isVisible(), true, 'the store itself is still empty');
    assert.equal(await page.locator('#storage-bench .table-scroll tbody tr').count(), 2, 'the newest run has two tasks');
    assert.equal(await page.locator('#storage-bench-chart canvas').count(), 1);
    assert.equal(await page.locator('#bench-content tr.regression').count(), 2);
    await page.locator('#storage-view').screenshot({ path: `${ARTIFACTS}/storage-bench.png` });
    await page.locator('#bench-view').screenshot({ path: `${ARTIFACTS}/bench-results.png` });
    assert.deepEqual(errors, []);
    await page.close();
  });
});
