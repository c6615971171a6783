/**
 * The result of a benchmark run and its summary per case. The JSON form of a
 * result (result-json.ts) is also the baseline format.
 */
import type { PromptRecord } from '../core/record.js';
import { countStats, latencyStats, moneyStats, type CountStats, type LatencyStats, type MoneyStats } from './stats.js';
import type { BenchCase } from './suite.js';

/** `live` calls the API, `replay` serves recorded responses, `dry-run` only counts input tokens. */
export type BenchMode = 'live' | 'replay' | 'dry-run';

export interface CaseResult {
  name: string;
  model: string;
  category: string | null;
  /** Calls the suite asked for. */
  repetitions: number;
  /** Calls made: fewer than `repetitions` after an interruption. */
  calls: number;
  succeeded: number;
  failed: number;
  /** HTTP attempts over all calls, the SDK's retries included. */
  attempts: number;
  /** Distinct failure descriptions, such as `rate_limit_error (HTTP 429)`. */
  errors: string[];
  /** Statistics below cover the successful calls only; null when there were none. */
  latencyMs: LatencyStats | null;
  /** Uncached input tokens, as the API's `input_tokens`. */
  inputTokens: CountStats | null;
  outputTokens: CountStats | null;
  /** 5-minute and 1-hour cache writes together. */
  cacheWriteTokens: CountStats | null;
  cacheReadTokens: CountStats | null;
  /** Input + cache writes + cache reads: the size of the prompt, which the input-token gate compares. */
  totalInputTokens: CountStats | null;
  /** Over the priced successful calls; null when none was priced. */
  cost: MoneyStats | null;
  unpricedCalls: number;
}

export interface BenchResult {
  suite: string;
  suiteFile: string;
  runId: string;
  /** Git commit of the code under test, when known. */
  commit: string | null;
  mode: BenchMode;
  concurrency: number;
  startedAt: Date;
  finishedAt: Date;
  /** False when the run was interrupted before every call was made. */
  complete: boolean;
  cases: CaseResult[];
}

/** Summarise the records of one case's calls. */
export function summarizeCase(benchCase: BenchCase, records: PromptRecord[]): CaseResult {
  const succeeded = records.filter((record) => record.status === 'ok');
  const failed = records.filter((record) => record.status !== 'ok');
  const priced = succeeded.filter((record) => record.cost !== null);
  const errors = [...new Set(failed.map(describeFailure))];
  const tokens = (pick: (record: PromptRecord) => number): CountStats | null => countStats(succeeded.map(pick));

  return {
    name: benchCase.name,
    model: benchCase.model,
    category: benchCase.category,
    repetitions: benchCase.repetitions,
    calls: records.length,
    succeeded: succeeded.length,
    failed: failed.length,
    attempts: records.reduce((sum, record) => sum + record.attempts, 0),
    errors,
    latencyMs: latencyStats(succeeded.map((record) => record.durationMs)),
    inputTokens: tokens((record) => record.usage.inputTokens),
    outputTokens: tokens((record) => record.usage.outputTokens),
    cacheWriteTokens: tokens((record) => record.usage.cacheWrite5mTokens + record.usage.cacheWrite1hTokens),
    cacheReadTokens: tokens((record) => record.usage.cacheReadTokens),
    totalInputTokens: tokens(
      (record) => record.usage.inputTokens + record.usage.cacheWrite5mTokens + record.usage.cacheWrite1hTokens + record.usage.cacheReadTokens,
    ),
    cost: moneyStats(priced.map((record) => record.cost!.total)),
    unpricedCalls: succeeded.length - priced.length,
  };
}

/**
 * The error message of each failed call, kept beside its record because
 * `PromptRecord` stores only the error type and HTTP status.
 */
const failureMessages = new WeakMap<PromptRecord, string>();

/** Characters of an error message kept in a case's `errors`; longer messages end with `…`. */
const FAILURE_MESSAGE_CHARS = 120;

/** Attach the error message (such as `Connection to 127.0.0.1:9 failed: ECONNREFUSED`) to a failed call's record. */
export function noteFailureMessage(record: PromptRecord, message: string): void {
  // Control characters (from a response body, for example) become spaces, so the message stays on one printable line.
  // eslint-disable-next-line no-control-regex
  const printable = message.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').replace(/\s+/g, ' ').trim();
  if (printable === '') return;
  const characters = Array.from(printable);
  const short = characters.length > FAILURE_MESSAGE_CHARS ? `${characters.slice(0, FAILURE_MESSAGE_CHARS).join('')}…` : printable;
  failureMessages.set(record, short);
}

/** Describe a failed call as `APIConnectionError: Connection to … failed` or `overloaded_error (HTTP 529): Overloaded`. */
function describeFailure(record: PromptRecord): string {
  const type = record.errorType ?? 'error';
  const kind = record.httpStatus === null ? type : `${type} (HTTP ${record.httpStatus})`;
  const message = failureMessages.get(record);
  return message === undefined ? kind : `${kind}: ${message}`;
}

/** Whether the case was run and every one of its calls failed. */
export function failedEveryCall(result: CaseResult): boolean {
  return result.calls > 0 && result.succeeded === 0;
}

export interface ResultTotals {
  calls: number;
  failedCalls: number;
  attempts: number;
  /** Nano-dollars over every priced call. */
  costNanos: bigint;
}

export function resultTotals(result: BenchResult): ResultTotals {
  const totals: ResultTotals = { calls: 0, failedCalls: 0, attempts: 0, costNanos: 0n };
  for (const item of result.cases) {
    totals.calls += item.calls;
    totals.failedCalls += item.failed;
    totals.attempts += item.attempts;
    totals.costNanos += item.cost?.total ?? 0n;
  }
  return totals;
}
