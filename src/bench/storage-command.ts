/**
 * `anthrotrace bench --storage sqlite|clickhouse`: runs the storage
 * benchmark and writes it as a table, JSON or CSV, like a suite result.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Table from 'cli-table3';
import { InputError } from '../core/errors.js';
import { stringifyJson } from '../core/json.js';
import { csvRow } from '../output/csv.js';
import { openRepository, resolveStoreSpec, type StoreSpec } from '../store/open.js';
import type { BenchIo } from './exit-codes.js';
import { checkOutputPath, writeFileAtomic } from './outputs.js';
import { runStorageBenchmark, type StorageBenchResult } from './storage.js';
import { quoteExcerpt } from '../output/excerpt.js';

export const STORAGE_RESULT_KIND = 'anthrotrace-storage-bench-result';
export const STORAGE_SCHEMA_VERSION = 1;

export interface StorageFlags {
  storage?: 'sqlite' | 'clickhouse';
  records: string;
  format: 'table' | 'json' | 'csv';
  output?: string;
}

export async function runStorageCommand(io: BenchIo, flags: StorageFlags): Promise<void> {
  const engine = flags.storage!;
  const records = Number(flags.records);
  if (!/^\d+$/.test(flags.records.trim()) || records < 1) {
    throw new InputError(`invalid --records ${quoteExcerpt(flags.records)}: use a whole number of records, 1 or more`);
  }

  if (flags.output !== undefined) await checkOutputPath(flags.output, '--output');

  // Without --store, SQLite runs on a scratch file that is deleted afterwards; ClickHouse needs a server.
  let scratch: string | null = null;
  let spec: StoreSpec;
  if (io.options.store !== undefined || io.env.ANTHROTRACE_STORE) {
    spec = resolveStoreSpec(io.options.store, io.env);
    if (spec.kind !== engine) throw new InputError(`--storage ${engine} does not match the ${spec.kind} store given by --store: use a ${engine} store`);
    io.logger.warn(`writing generated records (source bench, tag storage_bench=generated) to ${spec.kind} store; prefer a scratch store`);
  } else if (engine === 'sqlite') {
    scratch = await mkdtemp(join(tmpdir(), 'anthrotrace-storage-bench-'));
    spec = { kind: 'sqlite', path: join(scratch, 'bench.db') };
  } else {
    throw new InputError('--storage clickhouse needs --store clickhouse://HOST:PORT/DATABASE: name a scratch database');
  }

  const repository = await openRepository(spec, { logger: io.logger, env: io.env });
  let result: StorageBenchResult;
  try {
    result = await runStorageBenchmark({ repository, records, onTask: (name) => io.logger.info(`storage bench: ${name}`) });
  } finally {
    await repository.close();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }

  const json = `${stringifyJson(storageResultToJson(result), 2)}\n`;
  if (flags.output) await writeFileAtomic(flags.output, json, '--output');
  if (flags.format === 'json') await io.writeOut(json);
  else if (flags.format === 'csv') await io.writeOut(renderStorageCsv(result));
  else await io.writeOut(renderStorageTable(result));
}

export function storageResultToJson(result: StorageBenchResult): Record<string, unknown> {
  return {
    kind: STORAGE_RESULT_KIND,
    schema_version: STORAGE_SCHEMA_VERSION,
    engine: result.engine,
    location: result.location,
    run_id: result.runId,
    records: result.records,
    started_at: result.startedAt.toISOString(),
    finished_at: result.finishedAt.toISOString(),
    tasks: result.tasks.map((task) => ({
      name: task.name,
      records_per_operation: task.recordsPerOperation,
      samples: task.samples,
      operations_per_second: task.operationsPerSecond,
      records_per_second: task.recordsPerSecond,
      latency_ms: task.latencyMs,
    })),
  };
}

const CSV_HEADER = ['engine', 'task', 'records_per_operation', 'samples', 'operations_per_second', 'records_per_second', 'latency_mean_ms', 'latency_median_ms', 'latency_p90_ms', 'latency_p99_ms', 'latency_min_ms', 'latency_max_ms'];

export function renderStorageCsv(result: StorageBenchResult): string {
  let text = csvRow(CSV_HEADER);
  for (const task of result.tasks) {
    const latency = task.latencyMs;
    text += csvRow([result.engine, task.name, task.recordsPerOperation, task.samples, task.operationsPerSecond, task.recordsPerSecond, latency.mean, latency.median, latency.p90, latency.p99, latency.min, latency.max]);
  }
  return text;
}

export function renderStorageTable(result: StorageBenchResult): string {
  const table = new Table({ head: ['task', 'samples', 'ops/s', 'records/s', 'median ms', 'p90 ms', 'p99 ms'], style: { head: [], border: [] } });
  for (const task of result.tasks) {
    const latency = task.latencyMs;
    table.push([task.name, task.samples, task.operationsPerSecond.toFixed(1), task.recordsPerSecond.toLocaleString('en-US'), latency.median.toFixed(3), latency.p90.toFixed(3), latency.p99.toFixed(3)]);
  }
  return `${result.engine} storage (${result.location}), ${result.records.toLocaleString('en-US')} records in batches\n${table.toString()}\n`;
}
