/**
 * Runs every case of a suite its number of times with bounded concurrency
 * and summarises the records. How one call is made is passed in (`BenchCall`),
 * so the same runner serves the live API, a replay and tests.
 */
import { randomUUID } from 'node:crypto';
import type { PromptRecord } from '../core/record.js';
import { summarizeCase, type BenchMode, type BenchResult } from './result.js';
import type { BenchCase, BenchSuite } from './suite.js';

/** Tag keys every benchmark call carries, so its records can be found in the store. */
export const RUN_TAG = 'bench_run';
export const CASE_TAG = 'bench_case';
export const COMMIT_TAG = 'git_commit';

/**
 * Make one call and return its stored record, a failed call's included.
 * Throw only when the call could not be made at all (such as a recording with
 * no matching response); that stops the run.
 */
export type BenchCall = (benchCase: BenchCase, tags: Record<string, string>) => Promise<PromptRecord>;

export interface RunBenchmarkOptions {
  suite: BenchSuite;
  call: BenchCall;
  mode: BenchMode;
  /** Calls in flight at once; at least 1. */
  concurrency: number;
  runId?: string;
  commit?: string | null;
  /** When aborted, no new call starts; calls in flight finish and are counted. */
  stopSignal?: AbortSignal;
  /** Called after each call with the calls done so far and the total. */
  onProgress?: (done: number, total: number, record: PromptRecord, benchCase: BenchCase) => void;
}

export async function runBenchmark(options: RunBenchmarkOptions): Promise<BenchResult> {
  const runId = options.runId ?? randomUUID();
  const commit = options.commit ?? null;
  const startedAt = new Date();
  const queue = options.suite.cases.flatMap((benchCase) => Array.from({ length: benchCase.repetitions }, () => benchCase));
  const total = queue.length;
  const records = new Map<BenchCase, PromptRecord[]>(options.suite.cases.map((benchCase) => [benchCase, []]));
  let next = 0;
  let done = 0;
  let fatal: unknown = null;

  const stopped = () => fatal !== null || options.stopSignal?.aborted === true;
  const worker = async () => {
    while (next < queue.length && !stopped()) {
      const benchCase = queue[next++]!;
      const tags: Record<string, string> = { [RUN_TAG]: runId, [CASE_TAG]: benchCase.name };
      if (commit) tags[COMMIT_TAG] = commit;
      let record: PromptRecord;
      try {
        record = await options.call(benchCase, tags);
      } catch (error) {
        fatal ??= error;
        return;
      }
      records.get(benchCase)!.push(record);
      done += 1;
      options.onProgress?.(done, total, record, benchCase);
    }
  };

  const workers = Math.max(1, Math.min(options.concurrency, total));
  // Every worker finishes its call in flight before the run ends, even after a fatal error or a stop.
  await Promise.all(Array.from({ length: workers }, worker));
  if (fatal !== null) throw fatal;

  return {
    suite: options.suite.name,
    suiteFile: options.suite.file,
    runId,
    commit,
    mode: options.mode,
    concurrency: options.concurrency,
    startedAt,
    finishedAt: new Date(),
    complete: done === total,
    cases: options.suite.cases.map((benchCase) => summarizeCase(benchCase, records.get(benchCase)!)),
  };
}
