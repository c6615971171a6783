/**
 * The JSON form of a benchmark result, which is also the baseline format.
 * Fields are snake_case and documented in docs/bench.md; USD amounts are exact
 * decimal numbers. `schema_version` changes only when a field changes meaning
 * or goes away; new fields may appear without a change.
 */
import { InputError } from '../core/errors.js';
import { DecimalNumber, stringifyJson } from '../core/json.js';
import { parseUsd, usdDecimal } from '../core/money.js';
import type { Comparison } from './gate.js';
import { resultTotals, type BenchMode, type BenchResult, type CaseResult } from './result.js';
import type { CountStats, MoneyStats } from './stats.js';

export const BENCH_SCHEMA_VERSION = 1;
export const BENCH_RESULT_KIND = 'anthrotrace-bench-result';

const usd = (nanos: bigint) => new DecimalNumber(usdDecimal(nanos));
const money = (stats: MoneyStats | null) => stats && { median: usd(stats.median), p90: usd(stats.p90), total: usd(stats.total) };

export function resultToJsonValue(result: BenchResult, comparison?: Comparison): Record<string, unknown> {
  const totals = resultTotals(result);
  return {
    kind: BENCH_RESULT_KIND,
    schema_version: BENCH_SCHEMA_VERSION,
    suite: result.suite,
    suite_file: result.suiteFile,
    run_id: result.runId,
    commit: result.commit,
    mode: result.mode,
    concurrency: result.concurrency,
    started_at: result.startedAt.toISOString(),
    finished_at: result.finishedAt.toISOString(),
    complete: result.complete,
    totals: { calls: totals.calls, failed_calls: totals.failedCalls, attempts: totals.attempts, cost_usd: usd(totals.costNanos) },
    cases: result.cases.map(caseToJson),
    ...(comparison ? { comparison: comparisonToJson(comparison) } : {}),
  };
}

export function resultToJson(result: BenchResult, comparison?: Comparison): string {
  return `${stringifyJson(resultToJsonValue(result, comparison), 2)}\n`;
}

function caseToJson(item: CaseResult): Record<string, unknown> {
  return {
    name: item.name,
    model: item.model,
    category: item.category,
    repetitions: item.repetitions,
    calls: item.calls,
    succeeded: item.succeeded,
    failed: item.failed,
    attempts: item.attempts,
    errors: item.errors,
    latency_ms: item.latencyMs,
    input_tokens: item.inputTokens,
    output_tokens: item.outputTokens,
    cache_write_tokens: item.cacheWriteTokens,
    cache_read_tokens: item.cacheReadTokens,
    total_input_tokens: item.totalInputTokens,
    cost_usd: money(item.cost),
    unpriced_calls: item.unpricedCalls,
  };
}

function comparisonToJson(comparison: Comparison): Record<string, unknown> {
  return {
    baseline_file: comparison.baselineFile,
    passed: comparison.regressions.length === 0,
    regressions: comparison.regressions.length,
    new_cases: comparison.newCases,
    missing_cases: comparison.missingCases,
    skipped_measures: comparison.skipped,
    measures: comparison.compared.map((item) => ({
      case: item.caseName,
      measure: item.measure,
      baseline: typeof item.baseline === 'bigint' ? usd(item.baseline) : item.baseline,
      current: typeof item.current === 'bigint' ? usd(item.current) : item.current,
      change: item.change === null ? null : Math.round(item.change * 10_000) / 10_000,
      regression: item.regression,
    })),
  };
}

/** Read a result written by `resultToJson`, such as a committed baseline. */
export function resultFromJson(text: string, file: string): BenchResult {
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new InputError(`invalid baseline ${file}: not JSON (${(error as Error).message}): pass a file written by bench --output or --update-baseline`);
  }
  const fail = (problem: string): never => {
    throw new InputError(`invalid baseline ${file}: ${problem}: pass a file written by bench --output or --update-baseline`);
  };
  if (value === null || typeof value !== 'object' || value.kind !== BENCH_RESULT_KIND) fail(`kind is not ${JSON.stringify(BENCH_RESULT_KIND)}`);
  if (value.schema_version !== BENCH_SCHEMA_VERSION) {
    fail(`schema_version ${JSON.stringify(value.schema_version)} is not ${BENCH_SCHEMA_VERSION}, the version this anthrotrace reads`);
  }
  if (!Array.isArray(value.cases)) fail('cases is not a list');
  const mode = value.mode as BenchMode;
  if (!['live', 'replay', 'dry-run'].includes(mode)) fail(`mode ${JSON.stringify(value.mode)} is not live, replay or dry-run`);

  const cases = (value.cases as Record<string, unknown>[]).map((item, index): CaseResult => {
    if (typeof item?.name !== 'string') fail(`cases[${index}].name is not text`);
    return {
      name: item.name as string,
      model: String(item.model ?? ''),
      category: (item.category as string | null) ?? null,
      repetitions: Number(item.repetitions ?? 0),
      calls: Number(item.calls ?? 0),
      succeeded: Number(item.succeeded ?? 0),
      failed: Number(item.failed ?? 0),
      attempts: Number(item.attempts ?? 0),
      errors: Array.isArray(item.errors) ? item.errors.map(String) : [],
      latencyMs: (item.latency_ms as CaseResult['latencyMs']) ?? null,
      inputTokens: (item.input_tokens as CountStats | null) ?? null,
      outputTokens: (item.output_tokens as CountStats | null) ?? null,
      cacheWriteTokens: (item.cache_write_tokens as CountStats | null) ?? null,
      cacheReadTokens: (item.cache_read_tokens as CountStats | null) ?? null,
      totalInputTokens: (item.total_input_tokens as CountStats | null) ?? null,
      cost: moneyFromJson(item.cost_usd, () => fail(`cases[${index}].cost_usd is not {median, p90, total} in USD`)),
      unpricedCalls: Number(item.unpriced_calls ?? 0),
    };
  });

  return {
    suite: String(value.suite ?? ''),
    suiteFile: String(value.suite_file ?? ''),
    runId: String(value.run_id ?? ''),
    commit: typeof value.commit === 'string' ? value.commit : null,
    mode,
    concurrency: Number(value.concurrency ?? 0),
    startedAt: new Date(String(value.started_at)),
    finishedAt: new Date(String(value.finished_at)),
    complete: value.complete !== false,
    cases,
  };
}

/**
 * JSON.parse reads the exact decimals as doubles. `toFixed(9)` recovers the
 * written decimal exactly for amounts below about 9,000,000 USD, because a
 * double keeps 15 significant digits.
 */
function moneyFromJson(value: unknown, fail: () => never): MoneyStats | null {
  if (value === null || value === undefined) return null;
  const fields = value as Record<string, unknown>;
  const read = (item: unknown): bigint => {
    if (typeof item !== 'number' || !Number.isFinite(item)) fail();
    return parseUsd((item as number).toFixed(9));
  };
  return { median: read(fields.median), p90: read(fields.p90), total: read(fields.total) };
}
