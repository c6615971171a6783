/**
 * Two ways to assign time buckets inside SQLite, timed on the same store:
 * - range join: the store's own `aggregate` (bucket ranges in a temporary
 *   table as the outer loop, records found through the start-time index);
 * - subquery: for each record, the bucket with the greatest lower boundary at
 *   or before its start time, found through the temporary table's key.
 * Usage (after npm run build): node bench/aggregate-buckets-sqlite.mjs [COUNT] [RUNS]
 * Defaults: 200,000 records one second apart, 5 runs; prints the median CPU
 * milliseconds of each, which the machine's load disturbs less than wall time.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { SQLiteRepository } from '../dist/store/sqlite/repository.js';

const count = Number(process.argv[2] ?? 200_000);
const runs = Number(process.argv[3] ?? 5);
const directory = join(process.cwd(), '.bench-data');
const path = join(directory, 'aggregate-buckets.db');
const START_MS = Date.parse('2026-01-01T00:00:00Z');
const MODELS = ['claude-sonnet-4-5', 'claude-haiku-4-5', 'claude-opus-4-1'];

function recordAt(index) {
  const total = BigInt(1000 + (index % 5000)) * 3000n;
  return {
    id: `agg-${index}`, requestId: null, messageId: null, startedAt: new Date(START_MS + index * 1000), durationMs: 100,
    timeToFirstTokenMs: null, modelRequested: MODELS[index % 3], modelServed: null, category: index % 2 ? 'chat' : null,
    tags: {}, source: 'send', status: 'ok', errorType: null, httpStatus: 200, stopReason: 'end_turn', attempts: 1,
    usage: { inputTokens: 1000 + (index % 5000), outputTokens: 100, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, cacheReadTokens: 0, webSearchRequests: 0 },
    serviceTier: null, batch: false, inferenceGeo: null, speed: null,
    cost: { input: total, output: 0n, cacheWrite5m: 0n, cacheWrite1h: 0n, cacheRead: 0n, webSearch: 0n, total },
    priceEntry: 'bench', promptHash: null, promptText: null, responseSummary: null,
  };
}

mkdirSync(directory, { recursive: true });
for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
const repository = new SQLiteRepository(path);
await repository.init();
for (let start = 0; start < count; start += 20_000) {
  const batch = [];
  for (let index = start; index < Math.min(start + 20_000, count); index += 1) batch.push(recordAt(index));
  await repository.insert(batch);
}
// The connection is private; the benchmark reaches it to run the alternative statement on the same data.
const db = repository.database;

function subquery(boundaries) {
  db.exec('CREATE TEMP TABLE IF NOT EXISTS lower_bounds (lower_ms INTEGER PRIMARY KEY, bucket INTEGER NOT NULL)');
  db.exec('DELETE FROM lower_bounds');
  const insert = db.prepare('INSERT OR REPLACE INTO lower_bounds VALUES (?, ?)');
  for (let index = 0; index + 1 < boundaries.length; index += 1) insert.run(boundaries[index], index);
  return db
    .prepare(
      `SELECT (SELECT b.bucket FROM lower_bounds b WHERE b.lower_ms <= r.started_at_ms ORDER BY b.lower_ms DESC LIMIT 1) AS bucket,
        r.model, count(*), sum(r.cost_total_nanos) FROM records r
       WHERE r.started_at_ms >= ? AND r.started_at_ms < ? GROUP BY bucket, r.model`,
    )
    .all(boundaries[0], boundaries[boundaries.length - 1]);
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
function cpuMs(action) {
  const before = process.cpuUsage();
  action();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

console.log(`records: ${count}, runs: ${runs}, median CPU ms`);
for (const [label, stepMs] of [['hour', 3_600_000], ['minute', 60_000]]) {
  const boundaries = [];
  for (let t = START_MS; t <= START_MS + count * 1000 + stepMs; t += stepMs) boundaries.push(t);
  const join = [];
  const correlated = [];
  for (let run = 0; run < runs; run += 1) {
    // `aggregate` does all its work before its promise settles, so the synchronous timer covers it.
    join.push(cpuMs(() => repository.aggregate({ filter: {}, dimensions: ['model'], bucketBoundaries: boundaries })));
    correlated.push(cpuMs(() => subquery(boundaries)));
  }
  console.log(`${label} buckets (${boundaries.length - 1}): range join ${median(join).toFixed(0)}, subquery ${median(correlated).toFixed(0)}`);
}
await repository.close();
