/**
 * Scrape latency of `anthrotrace serve-metrics` over an existing store.
 * Usage: node --import tsx bench/metrics-scrape.ts STORE [SCRAPES] [SERVE-METRICS OPTIONS...]
 *
 * Prints these figures:
 * - first scrape: from spawning the process to the end of the first /metrics
 *   response with status 200, which waits for the aggregation of the whole
 *   store. Until then a scrape gets status 503 after up to 5 s, and the
 *   script counts those responses and retries every 500 ms;
 * - /healthz during the first read: the median and maximum latency of
 *   requests sent every 200 ms until the first 200 scrape;
 * - steady state: SCRAPES scrapes in a row with no new records; scrapes
 *   within 1 second of the previous read reuse its totals and rendered text;
 * - with new records: 20 scrapes, each 1.1 seconds after the previous one and
 *   after inserting 100 records, so each scrape aggregates exactly those 100.
 * The server runs with --ingest-lag 0s so that the inserted records are read
 * by the next scrape.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { emptyUsage, type PromptRecord } from '../src/core/record.js';
import { SQLiteRepository } from '../src/store/sqlite/repository.js';

const [storePath, scrapesText = '50', ...serveOptions] = process.argv.slice(2);
if (!storePath) {
  console.error('usage: node --import tsx bench/metrics-scrape.ts STORE [SCRAPES] [SERVE-METRICS OPTIONS...]');
  process.exit(2);
}
const scrapes = Number(scrapesText);

function newRecord(): PromptRecord {
  return {
    id: randomUUID(), requestId: null, messageId: null, startedAt: new Date(), durationMs: 900, timeToFirstTokenMs: null,
    modelRequested: 'claude-haiku-4-5', modelServed: 'claude-haiku-4-5-20251001', category: 'chat', tags: {}, source: 'send',
    status: 'ok', errorType: null, httpStatus: 200, stopReason: 'end_turn', attempts: 1,
    usage: { ...emptyUsage(), inputTokens: 100, outputTokens: 10 }, serviceTier: 'standard', batch: false, inferenceGeo: null,
    speed: null, cost: { input: 100_000n, output: 50_000n, cacheWrite5m: 0n, cacheWrite1h: 0n, cacheRead: 0n, webSearch: 0n, total: 150_000n },
    priceEntry: 'bench', promptHash: null, promptText: null, responseSummary: null,
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const percentile95 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.ceil(values.length * 0.95) - 1]!;

async function timedScrape(url: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(url);
  await response.text();
  if (response.status !== 200) throw new Error(`scrape failed with status ${response.status}`);
  return performance.now() - started;
}

const spawned = performance.now();
const child = spawn(process.execPath, ['bin/anthrotrace.js', '--store', storePath, 'serve-metrics', '--port', '0', '--ingest-lag', '0s', ...serveOptions], {
  stdio: ['ignore', 'ignore', 'pipe'],
});
let stderr = '';
const url = await new Promise<string>((resolve, reject) => {
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    const match = /serving metrics at (\S+\/metrics)/.exec(stderr);
    if (match) resolve(match[1]!);
  });
  child.once('exit', (code) => reject(new Error(`serve-metrics exited with ${code}: ${stderr}`)));
});

/** Request /healthz every 200 ms until `done` is set, and return each latency in milliseconds. */
async function probeHealth(healthUrl: string, done: { value: boolean }): Promise<number[]> {
  const latencies: number[] = [];
  while (!done.value) {
    const started = performance.now();
    const response = await fetch(healthUrl);
    await response.text();
    latencies.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return latencies;
}

/** Scrape until the status is 200; return the last request's time and the number of 503 responses. */
async function firstScrape(metricsUrl: string): Promise<{ lastRequestMs: number; notReady: number }> {
  for (let notReady = 0; ; notReady++) {
    const started = performance.now();
    const response = await fetch(metricsUrl);
    await response.text();
    if (response.status === 200) return { lastRequestMs: performance.now() - started, notReady };
    if (response.status !== 503) throw new Error(`scrape failed with status ${response.status}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

try {
  const done = { value: false };
  const health = probeHealth(url.replace(/\/metrics$/, '/healthz'), done);
  const first = await firstScrape(url);
  const firstTotal = performance.now() - spawned;
  done.value = true;
  const healthLatencies = await health;
  console.log(`first scrape: ${firstTotal.toFixed(0)} ms from spawn (the last request ${first.lastRequestMs.toFixed(0)} ms, ${first.notReady} responses with status 503 before it)`);
  console.log(`/healthz during the first read: median ${median(healthLatencies).toFixed(1)} ms, max ${Math.max(...healthLatencies).toFixed(1)} ms over ${healthLatencies.length} requests`);

  const idle: number[] = [];
  for (let index = 0; index < scrapes; index++) idle.push(await timedScrape(url));
  console.log(`steady state, no new records: median ${median(idle).toFixed(2)} ms, p95 ${percentile95(idle).toFixed(2)} ms over ${scrapes} scrapes`);

  const repository = new SQLiteRepository(storePath);
  await repository.init();
  const busy: number[] = [];
  for (let index = 0; index < 20; index++) {
    repository.insertSync(Array.from({ length: 100 }, newRecord));
    await new Promise((resolve) => setTimeout(resolve, 1100));
    busy.push(await timedScrape(url));
  }
  await repository.close();
  console.log(`steady state, 100 new records per scrape: median ${median(busy).toFixed(2)} ms, p95 ${percentile95(busy).toFixed(2)} ms over 20 scrapes`);
} finally {
  child.kill('SIGTERM');
}
