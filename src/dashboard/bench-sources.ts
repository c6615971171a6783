/**
 * Sources of the benchmark history. With `--bench-results`, from the
 * JSON results `anthrotrace bench --output` wrote (they alone carry the run's
 * mode and tinybench's latency statistics as measured), and storage benchmark
 * results from the same place. Without it, from the store's benchmark records
 * (source `bench`), grouped by their run and case tags and summarised with the
 * same statistics the bench command uses.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError, OperationError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { PromptRecord } from '../core/record.js';
import { BENCH_RESULT_KIND, resultFromJson } from '../bench/result-json.js';
import { summarizeCase, type BenchResult } from '../bench/result.js';
import { CASE_TAG, COMMIT_TAG, RUN_TAG } from '../bench/runner.js';
import { STORAGE_RESULT_KIND, STORAGE_SCHEMA_VERSION } from '../bench/storage-command.js';
import { quoteExcerpt } from '../output/excerpt.js';
import type { BenchCase } from '../bench/suite.js';
import type { RecordFilter, RepositoryAdapter } from '../store/repository.js';
import type { StorageBenchJson } from './types.js';

/** Runs drawn at most, the newest kept, so the page stays small however long the history grows. */
export const MAX_BENCH_RUNS = 50;

/** Storage benchmark runs drawn at most, the newest kept. */
export const MAX_STORAGE_RUNS = 20;

export interface BenchFiles {
  results: BenchResult[];
  storage: StorageBenchJson[];
}

/**
 * Read every result in `path`: one JSON file, or the `.json` files directly
 * inside a directory. Prompt benchmark results (bench --output) and storage
 * benchmark results (bench --storage --output) are distinguished by their `kind`.
 */
export async function readBenchFiles(path: string, logger: Logger): Promise<BenchFiles> {
  let files: string[];
  try {
    const info = await stat(path);
    files = info.isDirectory()
      ? (await readdir(path)).filter((name) => name.endsWith('.json')).sort().map((name) => join(path, name))
      : [path];
  } catch (error) {
    throw new InputError(`invalid --bench-results ${JSON.stringify(path)}: ${(error as Error).message}; pass a result file written by bench --output or a directory of them`);
  }

  const results: BenchResult[] = [];
  const storage: StorageBenchJson[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new OperationError(`failed to read benchmark result ${file}: ${(error as Error).message}`);
    }
    // A directory may hold other JSON too: skip what is not a result, with a warning.
    try {
      const kind = (JSON.parse(text) as { kind?: unknown } | null)?.kind;
      if (kind === BENCH_RESULT_KIND) results.push(resultFromJson(text, file));
      else if (kind === STORAGE_RESULT_KIND) storage.push(storageRunFromJson(JSON.parse(text) as Record<string, unknown>, file));
      else logger.warn(`skipping ${file}: kind is not ${BENCH_RESULT_KIND} or ${STORAGE_RESULT_KIND}`);
    } catch (error) {
      logger.warn(`skipping ${file}: ${describeUnreadableResult(error, text)}; fix the file or move it out of the --bench-results directory`);
    }
  }
  storage.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  return { results: newestRuns(results), storage: storage.slice(Math.max(0, storage.length - MAX_STORAGE_RUNS)) };
}

/**
 * Describe why a result file was skipped, on one printable line. Node's JSON
 * parse errors quote the file's text, line breaks and all, so they are replaced
 * by a short excerpt of the file's start.
 */
function describeUnreadableResult(error: unknown, text: string): string {
  if (error instanceof SyntaxError) return `not valid JSON, starting ${quoteExcerpt(text.trimStart())}`;
  return (error as Error).message.replace(/\s+/g, ' ');
}

/** The fields the page draws from a storage benchmark result (schema version 1). */
function storageRunFromJson(value: Record<string, unknown>, file: string): StorageBenchJson {
  if (value.schema_version !== STORAGE_SCHEMA_VERSION) {
    throw new InputError(`schema_version ${JSON.stringify(value.schema_version)} is not ${STORAGE_SCHEMA_VERSION}`);
  }
  if (!Array.isArray(value.tasks)) throw new InputError(`${file}: tasks is not a list`);
  return {
    engine: String(value.engine),
    runId: String(value.run_id),
    startedAt: String(value.started_at),
    records: Number(value.records),
    tasks: (value.tasks as Record<string, unknown>[]).map((task) => {
      const latency = (task.latency_ms ?? {}) as Record<string, unknown>;
      return {
        name: String(task.name),
        recordsPerSecond: Number(task.records_per_second),
        operationsPerSecond: Number(task.operations_per_second),
        medianMs: Number(latency.median),
        p90Ms: Number(latency.p90),
      };
    }),
  };
}

/**
 * Rebuild one result per benchmark run from the stored records. Benchmark
 * records are few (runs × cases × repetitions), so they are read, not
 * aggregated: medians and p90 need the values themselves.
 */
export async function benchResultsFromStore(repository: RepositoryAdapter, filter: RecordFilter): Promise<BenchResult[]> {
  const runs = new Map<string, { commit: string | null; startedAt: number; finishedAt: number; cases: Map<string, PromptRecord[]> }>();
  for await (const record of repository.query({ ...filter, sources: ['bench'] }, { order: 'asc' })) {
    const runId = record.tags[RUN_TAG];
    const caseName = record.tags[CASE_TAG];
    if (runId === undefined || caseName === undefined) continue;
    const startedAt = record.startedAt.getTime();
    let run = runs.get(runId);
    if (run === undefined) {
      run = { commit: record.tags[COMMIT_TAG] ?? null, startedAt, finishedAt: startedAt, cases: new Map() };
      runs.set(runId, run);
    }
    run.finishedAt = Math.max(run.finishedAt, startedAt + record.durationMs);
    const calls = run.cases.get(caseName) ?? [];
    calls.push(record);
    run.cases.set(caseName, calls);
  }

  const results: BenchResult[] = [];
  for (const [runId, run] of runs) {
    const cases = [...run.cases].map(([name, records]) => {
      const first = records[0]!;
      // Only the fields summarizeCase reads are known from records; the prompt itself is not needed.
      const benchCase: BenchCase = {
        name,
        model: first.modelRequested,
        system: null,
        messages: [],
        maxTokens: 0,
        temperature: null,
        category: first.category,
        tags: {},
        repetitions: records.length,
        line: 0,
      };
      return summarizeCase(benchCase, records);
    });
    results.push({
      suite: '',
      suiteFile: '',
      runId,
      commit: run.commit,
      // NOTE: a stored record does not say whether its run was live or replayed; latency of replayed runs is not the API's.
      mode: 'live',
      concurrency: 0,
      startedAt: new Date(run.startedAt),
      finishedAt: new Date(run.finishedAt),
      complete: true,
      cases,
    });
  }
  return newestRuns(results);
}

function newestRuns(results: BenchResult[]): BenchResult[] {
  const ordered = results.sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime() || a.runId.localeCompare(b.runId));
  return ordered.slice(Math.max(0, ordered.length - MAX_BENCH_RUNS));
}
