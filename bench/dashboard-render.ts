// Time to first full render of the dashboard over 1,000,000 SQLite records, and the bytes sent to the browser.
//
// Usage (after npm run build): node --import tsx bench/dashboard-render.ts [runs] [records]
// The store is built once under .bench-data/ (git-ignored) and reused. Each run starts a fresh
// `anthrotrace dashboard` process (cold store cache of this process, warm OS page cache) and a fresh
// headless Chromium, then measures from navigation start to
//   charts: the cost, token and storage views drawn (body[data-state="ready"])
//   full:   the benchmark history and the most-expensive-calls table drawn as well.
// Baseline: the same grouping the cost chart needs (model and category, no buckets), written by hand in SQL
// and run with better-sqlite3 directly: a lower bound for any page that shows these sums.
import { existsSync, mkdirSync } from 'node:fs';
import Database from 'better-sqlite3';
import { SQLiteRepository } from '../src/store/sqlite/repository.js';
import type { PromptRecord } from '../src/core/record.js';
import { launchBrowser } from '../test/support/browser.js';
import { startDashboard } from '../test/support/dashboard-server.js';

const runs = Number(process.argv[2] ?? 5);
const count = Number(process.argv[3] ?? 1_000_000);
const store = `.bench-data/dashboard-${count}.db`;
const END_MS = Date.parse('2026-03-01T00:00:00Z');
const SPAN_MS = 365 * 86_400_000;
const MODELS = ['claude-sonnet-4-5-20250929', 'claude-haiku-4-5-20251001', 'claude-opus-4-1-20250805', 'claude-sonnet-4-20250514'];
const CATEGORIES = ['chat', 'summarise', 'classify', 'extract', null];

function record(index: number): PromptRecord {
  const input = 200 + ((index * 7919) % 20_000);
  const output = 50 + ((index * 104_729) % 3000);
  const inputNanos = BigInt(input) * 3000n;
  const outputNanos = BigInt(output) * 15_000n;
  return {
    id: `dash-${index}`,
    requestId: null,
    messageId: null,
    // Spread evenly over the year before END_MS, in a scrambled order like real traffic.
    startedAt: new Date(END_MS - SPAN_MS + Math.floor(((index * 2_654_435_761) % count) * (SPAN_MS / count))),
    durationMs: 300 + (index % 4000),
    timeToFirstTokenMs: null,
    modelRequested: MODELS[index % MODELS.length]!,
    modelServed: MODELS[index % MODELS.length]!,
    category: CATEGORIES[index % CATEGORIES.length]!,
    tags: {},
    source: 'send',
    status: 'ok',
    errorType: null,
    httpStatus: 200,
    stopReason: 'end_turn',
    attempts: 1,
    usage: { inputTokens: input, outputTokens: output, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, cacheReadTokens: index % 3 === 0 ? 4000 : 0, webSearchRequests: 0 },
    serviceTier: 'standard',
    batch: false,
    inferenceGeo: null,
    speed: null,
    cost: { input: inputNanos, output: outputNanos, cacheWrite5m: 0n, cacheWrite1h: 0n, cacheRead: 0n, webSearch: 0n, total: inputNanos + outputNanos },
    priceEntry: 'bench',
    promptHash: null,
    promptText: null,
    responseSummary: null,
  };
}

async function buildStore(): Promise<void> {
  if (existsSync(store)) return;
  mkdirSync('.bench-data', { recursive: true });
  const started = Date.now();
  const repository = new SQLiteRepository(store);
  await repository.init();
  const batch = 10_000;
  for (let from = 0; from < count; from += batch) {
    await repository.insert(Array.from({ length: Math.min(batch, count - from) }, (_, offset) => record(from + offset)));
  }
  await repository.close();
  console.error(`built ${store} with ${count} records in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

function baselineMs(): number {
  const db = new Database(store, { readonly: true });
  const started = performance.now();
  db.prepare(
    'SELECT model, category, count(*), sum(input_tokens), sum(output_tokens), sum(cache_read_tokens), sum(cost_total_nanos) FROM records GROUP BY 1, 2',
  ).all();
  const elapsed = performance.now() - started;
  db.close();
  return elapsed;
}

await buildStore();
const baselines: number[] = [];
const charts: number[] = [];
const full: number[] = [];
let apiBytes = 0;
let assetBytes = 0;
for (let run = 0; run < runs; run++) {
  const dashboard = await startDashboard(store, ['--tz', 'UTC'], { TZ: 'UTC' });
  const browser = await launchBrowser();
  const page = await browser.context.newPage();
  let api = 0;
  let assets = 0;
  page.on('response', async (response) => {
    const size = (await response.body().catch(() => Buffer.alloc(0))).length;
    if (new URL(response.url()).pathname.startsWith('/api/')) api += size;
    else assets += size;
  });
  const started = performance.now();
  await page.goto(dashboard.url);
  await page.waitForSelector('body[data-state="ready"]', { timeout: 120_000 });
  charts.push(performance.now() - started);
  await page.waitForSelector('body[data-bench="ready"][data-top="ready"]', { timeout: 300_000 });
  full.push(performance.now() - started);
  await page.waitForTimeout(200);
  apiBytes = api;
  assetBytes = assets;
  await browser.close();
  await dashboard.stop();
  baselines.push(baselineMs());
  console.error(`run ${run + 1}: charts ${charts.at(-1)!.toFixed(0)} ms, full ${full.at(-1)!.toFixed(0)} ms, api ${api} B`);
}

console.log(`records: ${count}`);
console.log(`charts drawn (median of ${runs}): ${median(charts).toFixed(0)} ms [${charts.map((v) => v.toFixed(0)).join(', ')}]`);
console.log(`full render, benchmarks and top calls included (median of ${runs}): ${median(full).toFixed(0)} ms [${full.map((v) => v.toFixed(0)).join(', ')}]`);
console.log(`baseline hand-written GROUP BY (median of ${runs}): ${median(baselines).toFixed(0)} ms [${baselines.map((v) => v.toFixed(0)).join(', ')}]`);
console.log(`ratio charts / baseline: ${(median(charts) / median(baselines)).toFixed(2)}`);
console.log(`data sent (JSON API, last run): ${apiBytes} bytes; scripts and styles: ${assetBytes} bytes`);
