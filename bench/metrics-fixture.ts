/**
 * Builds a SQLite store of N synthetic records for the metrics benchmarks,
 * through the store's own insert path, in batches of 20,000.
 * Usage: node --import tsx bench/metrics-fixture.ts PATH COUNT
 * Ids are sequential so the unique indexes grow at their end; 10,000,000
 * records take several minutes and about 4 GB.
 */
import { existsSync } from 'node:fs';
import { emptyUsage, type PromptRecord } from '../src/core/record.js';
import { SQLiteRepository } from '../src/store/sqlite/repository.js';

const [path, countText] = process.argv.slice(2);
const count = Number(countText);
if (!path || !Number.isSafeInteger(count) || count < 1) {
  console.error('usage: node --import tsx bench/metrics-fixture.ts PATH COUNT');
  process.exit(2);
}
if (existsSync(path)) {
  console.error(`error: ${path} already exists; remove it first`);
  process.exit(2);
}

const MODELS = ['claude-sonnet-4-5-20250929', 'claude-haiku-4-5-20251001', 'claude-opus-4-1-20250805', 'claude-sonnet-4-20250514'];
const CATEGORIES = ['chat', 'search', 'summarise', 'eval', 'extract', 'classify', 'draft', null];
const BATCH = 20_000;
const START_MS = Date.parse('2026-01-01T00:00:00Z');

function recordAt(index: number): PromptRecord {
  const usage = { ...emptyUsage(), inputTokens: 100 + (index % 900), outputTokens: 10 + (index % 290), cacheReadTokens: index % 3 === 0 ? 1000 : 0 };
  const total = BigInt(usage.inputTokens) * 3000n + BigInt(usage.outputTokens) * 15000n + BigInt(usage.cacheReadTokens) * 300n;
  const priced = index % 97 !== 0;
  return {
    id: `bench-${String(index).padStart(10, '0')}`,
    requestId: `req_bench${String(index).padStart(10, '0')}`,
    messageId: null,
    startedAt: new Date(START_MS + index * 3_000),
    durationMs: 500 + (index % 5000),
    timeToFirstTokenMs: index % 2 === 0 ? 300 + (index % 700) : null,
    modelRequested: MODELS[index % MODELS.length]!,
    modelServed: MODELS[index % MODELS.length]!,
    category: CATEGORIES[index % CATEGORIES.length]!,
    tags: { user_id: `user-${index % 5000}` },
    source: index % 10 === 0 ? 'bench' : 'send',
    status: index % 50 === 0 ? 'error' : 'ok',
    errorType: null,
    httpStatus: 200,
    stopReason: 'end_turn',
    attempts: 1,
    usage,
    serviceTier: 'standard',
    batch: false,
    inferenceGeo: null,
    speed: null,
    cost: priced ? { input: 0n, output: 0n, cacheWrite5m: 0n, cacheWrite1h: 0n, cacheRead: 0n, webSearch: 0n, total } : null,
    priceEntry: priced ? 'bench' : null,
    promptHash: null,
    promptText: null,
    responseSummary: null,
  };
}

const repository = new SQLiteRepository(path);
await repository.init();
const started = performance.now();
for (let offset = 0; offset < count; offset += BATCH) {
  const size = Math.min(BATCH, count - offset);
  repository.insertSync(Array.from({ length: size }, (_, index) => recordAt(offset + index)));
  if ((offset / BATCH) % 50 === 0) console.error(`${offset + size} records, ${((performance.now() - started) / 1000).toFixed(0)} s`);
}
await repository.close();
console.error(`built ${path}: ${count} records in ${((performance.now() - started) / 1000).toFixed(1)} s`);
