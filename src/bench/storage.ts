/**
 * Storage benchmarks: insert throughput (in batches and one record at a
 * time) and the time of the standard reports, measured with tinybench on
 * generated records, for SQLite or ClickHouse behind the same contract.
 */
import { randomUUID } from 'node:crypto';
import { Bench } from 'tinybench';
import { OperationError } from '../core/errors.js';
import { emptyUsage, type PromptRecord } from '../core/record.js';
import type { RepositoryAdapter } from '../store/repository.js';
import { computeBuckets } from '../time/buckets.js';
import { interpolatedQuantile } from './stats.js';

export const STORAGE_BATCH_SIZE = 500;
/** Days the generated records are spread over, so the day buckets have something to group. */
const SPREAD_DAYS = 30;
const MODELS = ['claude-sonnet-4-5-20250929', 'claude-haiku-4-5-20251001', 'claude-opus-4-1-20250805'];
const CATEGORIES = ['chat', 'summarise', 'classify', null];

export interface StorageTaskResult {
  name: string;
  /** Records written or read per operation. */
  recordsPerOperation: number;
  samples: number;
  operationsPerSecond: number;
  recordsPerSecond: number;
  /** Milliseconds per operation. */
  latencyMs: { mean: number; median: number; p90: number; p99: number; min: number; max: number };
}

export interface StorageBenchResult {
  engine: 'sqlite' | 'clickhouse';
  location: string;
  runId: string;
  /** Records inserted in batches; one-by-one inserts add a tenth as many (at least 100). */
  records: number;
  startedAt: Date;
  finishedAt: Date;
  tasks: StorageTaskResult[];
}

const SPREAD_MS = SPREAD_DAYS * 86_400_000;
/** A prime number of milliseconds (about 29 hours), so consecutive records land on different days and hours. */
const TIME_STEP_MS = 104_729_003;

/** Deterministic generated records over the last 30 days before `endMs`: three models, four categories, 2% errors. */
export function generateRecords(runId: string, from: number, count: number, endMs: number): PromptRecord[] {
  return Array.from({ length: count }, (_, offset) => {
    const index = from + offset;
    const inputTokens = 200 + (index % 977);
    const outputTokens = 50 + (index % 313);
    return {
      id: `storage-bench-${runId}-${index}`,
      requestId: null,
      messageId: null,
      startedAt: new Date(endMs - SPREAD_MS + ((index * TIME_STEP_MS) % SPREAD_MS)),
      durationMs: 300 + (index % 1500),
      timeToFirstTokenMs: null,
      modelRequested: MODELS[index % MODELS.length]!,
      modelServed: MODELS[index % MODELS.length]!,
      category: CATEGORIES[index % CATEGORIES.length]!,
      tags: { bench_run: runId, storage_bench: 'generated' },
      source: 'bench',
      status: index % 50 === 0 ? 'error' : 'ok',
      errorType: index % 50 === 0 ? 'overloaded_error' : null,
      httpStatus: index % 50 === 0 ? 529 : 200,
      stopReason: 'end_turn',
      attempts: 1,
      usage: { ...emptyUsage(), inputTokens, outputTokens },
      serviceTier: 'standard',
      batch: false,
      inferenceGeo: 'global',
      speed: null,
      cost: {
        input: BigInt(inputTokens) * 3000n,
        output: BigInt(outputTokens) * 15000n,
        cacheWrite5m: 0n,
        cacheWrite1h: 0n,
        cacheRead: 0n,
        webSearch: 0n,
        total: BigInt(inputTokens) * 3000n + BigInt(outputTokens) * 15000n,
      },
      priceEntry: 'generated',
      promptHash: null,
      promptText: null,
      responseSummary: null,
    };
  });
}

export interface StorageBenchOptions {
  repository: RepositoryAdapter;
  records: number;
  /** Report iterations per query task. */
  queryIterations?: number;
  onTask?: (name: string) => void;
}

export async function runStorageBenchmark(options: StorageBenchOptions): Promise<StorageBenchResult> {
  const { repository } = options;
  const runId = randomUUID().slice(0, 8);
  const startedAt = new Date();
  const endMs = Date.UTC(startedAt.getUTCFullYear(), startedAt.getUTCMonth(), startedAt.getUTCDate());
  let nextIndex = 0;
  const take = (count: number) => {
    const records = generateRecords(runId, nextIndex, count, endMs);
    nextIndex += count;
    return records;
  };

  const batches = Math.max(1, Math.ceil(options.records / STORAGE_BATCH_SIZE));
  const singles = Math.max(100, Math.floor(options.records / 10));
  const queries = options.queryIterations ?? 20;
  const days = computeBuckets('day', 'UTC', endMs - SPREAD_MS, endMs);

  const tasks: StorageTaskResult[] = [];
  const measure = async (name: string, iterations: number, recordsPerOperation: number, fn: () => Promise<unknown>) => {
    options.onTask?.(name);
    const bench = new Bench({ iterations, time: 0, warmup: false, retainSamples: true, throws: true });
    // `async: true` skips tinybench's detection call, which would run one extra operation.
    bench.add(name, fn, { async: true });
    await bench.run();
    tasks.push(taskResult(name, recordsPerOperation, bench));
  };

  await measure(`insert ${STORAGE_BATCH_SIZE} per batch`, batches, STORAGE_BATCH_SIZE, () => repository.insert(take(STORAGE_BATCH_SIZE)));
  await measure('insert one by one', singles, 1, () => repository.insert(take(1)));
  await repository.flush();
  const filter = { tags: { bench_run: runId } };
  // The report timings mean nothing unless the reports see every inserted record.
  const visible = (await repository.aggregate({ filter, dimensions: [] })).reduce((sum, row) => sum + row.requests, 0);
  if (visible !== nextIndex) {
    throw new OperationError(`storage benchmark: ${repository.location} returned ${visible} of the ${nextIndex} records inserted before the reports; check the store's insert settings`);
  }
  await measure('aggregate by day and model', queries, nextIndex, () =>
    repository.aggregate({ filter, bucketBoundaries: days.boundaries, dimensions: ['model'] }),
  );
  await measure('aggregate by model', queries, nextIndex, () => repository.aggregate({ filter, dimensions: ['model'] }));

  return { engine: repository.kind, location: repository.location, runId, records: batches * STORAGE_BATCH_SIZE, startedAt, finishedAt: new Date(), tasks };
}

function taskResult(name: string, recordsPerOperation: number, bench: Bench): StorageTaskResult {
  const result = bench.tasks[0]!.result;
  if (result.state !== 'completed') throw new Error(`storage benchmark task ${name} did not complete: ${result.state}`);
  const latency = result.latency;
  const sorted = [...(latency.samples ?? [])].sort((a, b) => a - b);
  const round = (value: number) => Math.round(value * 1000) / 1000;
  const operationsPerSecond = latency.mean > 0 ? 1000 / latency.mean : 0;
  return {
    name,
    recordsPerOperation,
    samples: latency.samplesCount,
    operationsPerSecond: round(operationsPerSecond),
    recordsPerSecond: Math.round(operationsPerSecond * recordsPerOperation),
    latencyMs: {
      mean: round(latency.mean),
      median: round(latency.p50),
      p90: round(sorted.length > 0 ? interpolatedQuantile(sorted, 0.9) : latency.p50),
      p99: round(latency.p99),
      min: round(latency.min),
      max: round(latency.max),
    },
  };
}
