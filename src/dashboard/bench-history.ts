/**
 * The benchmark history view: per case, the medians and p90 of cost, tokens
 * and latency across runs, and the regressions the bench gate finds against
 * the baseline run (the oldest run drawn) with its default thresholds.
 */
import { usdDecimal } from '../core/money.js';
import { compareWithBaseline, DEFAULT_THRESHOLDS, type Comparison } from '../bench/gate.js';
import type { BenchResult, CaseResult } from '../bench/result.js';
import type { BenchHistoryJson, BenchPointJson, BenchRegressionJson, BenchRunJson } from './types.js';

export function benchHistoryJson(results: BenchResult[], source: 'results' | 'store'): BenchHistoryJson {
  if (results.length === 0) {
    return { source: 'none', runs: [], baselineRun: null, skippedMeasures: [], cases: [], regressions: [] };
  }
  const runs = results.map(runJson);
  const baseline = results[0]!;
  const comparisons: (Comparison | null)[] = results.map((result, index) =>
    index === 0 ? null : compareWithBaseline(result, baseline, DEFAULT_THRESHOLDS, runs[0]!.label),
  );

  const cases = new Map<string, BenchPointJson[]>();
  const regressions: BenchRegressionJson[] = [];
  results.forEach((result, run) => {
    const comparison = comparisons[run] ?? null;
    for (const item of result.cases) {
      const name = caseKey(result, results, item);
      const regressed = comparison?.regressions.filter((entry) => entry.caseName === item.name) ?? [];
      const points = cases.get(name) ?? [];
      points.push(pointJson(item, run, regressed.map((entry) => entry.measure)));
      cases.set(name, points);
      for (const entry of regressed) {
        regressions.push({
          case: name,
          run,
          measure: entry.measure,
          baseline: medianText(entry.baseline),
          current: medianText(entry.current),
          change: entry.change,
        });
      }
    }
  });

  // The measures skipped for any run, such as latency when a run was replayed.
  const skipped = new Map<string, string>();
  for (const comparison of comparisons) {
    for (const item of comparison?.skipped ?? []) skipped.set(item.measure, item.reason);
  }

  return {
    source,
    runs,
    baselineRun: results.length > 1 ? 0 : null,
    skippedMeasures: [...skipped].map(([measure, reason]) => ({ measure, reason })),
    cases: [...cases].map(([name, points]) => ({ name, points })).sort((a, b) => a.name.localeCompare(b.name)),
    regressions,
  };
}

/** Name the case, prefixed by its suite when the history mixes suites. */
function caseKey(result: BenchResult, results: BenchResult[], item: CaseResult): string {
  const suites = new Set(results.map((entry) => entry.suite));
  return suites.size > 1 && result.suite !== '' ? `${result.suite}: ${item.name}` : item.name;
}

function runJson(result: BenchResult): BenchRunJson {
  const when = result.commit === null ? result.startedAt.toISOString().slice(0, 16).replace('T', ' ') : result.commit.slice(0, 7);
  return {
    runId: result.runId,
    commit: result.commit,
    startedAt: result.startedAt.toISOString(),
    mode: result.mode,
    suite: result.suite,
    label: `${when} ${result.runId.slice(0, 6)}`,
  };
}

function pointJson(item: CaseResult, run: number, regressions: string[]): BenchPointJson {
  return {
    run,
    costUsd: item.cost && { median: usdDecimal(item.cost.median), p90: usdDecimal(item.cost.p90) },
    promptTokens: item.totalInputTokens && { median: item.totalInputTokens.median, p90: item.totalInputTokens.p90 },
    outputTokens: item.outputTokens && { median: item.outputTokens.median, p90: item.outputTokens.p90 },
    latencyMs: item.latencyMs && { median: item.latencyMs.median, p90: item.latencyMs.p90 },
    regressions,
  };
}

function medianText(value: number | bigint): string {
  return typeof value === 'bigint' ? usdDecimal(value) : String(value);
}
