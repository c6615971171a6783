import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_THRESHOLDS, compareWithBaseline, parseCostFloor, parseIncreaseLimit, type GateThresholds } from '../src/bench/gate.js';
import type { BenchMode, BenchResult, CaseResult } from '../src/bench/result.js';
import { resultFromJson, resultToJson } from '../src/bench/result-json.js';
import { countStats, latencyStats, moneyStats } from '../src/bench/stats.js';

interface CaseFigures {
  costNanos?: bigint;
  inputTokens?: number;
  outputTokens?: number;
  latencyMs?: number;
}

function caseResult(name: string, figures: CaseFigures = {}): CaseResult {
  const { costNanos = 1_000_000n, inputTokens = 1000, outputTokens = 200, latencyMs = 800 } = figures;
  const count = (value: number) => ({ median: value, p90: value });
  return {
    name,
    model: 'claude-haiku-4-5',
    category: null,
    repetitions: 3,
    calls: 3,
    succeeded: 3,
    failed: 0,
    attempts: 3,
    errors: [],
    latencyMs: { mean: latencyMs, median: latencyMs, p90: latencyMs, p99: latencyMs, min: latencyMs, max: latencyMs },
    inputTokens: count(inputTokens),
    outputTokens: count(outputTokens),
    cacheWriteTokens: count(0),
    cacheReadTokens: count(0),
    totalInputTokens: count(inputTokens),
    cost: { median: costNanos, p90: costNanos, total: costNanos * 3n },
    unpricedCalls: 0,
  };
}

function result(cases: CaseResult[], mode: BenchMode = 'live'): BenchResult {
  return {
    suite: 'gate',
    suiteFile: 'gate.yaml',
    runId: 'run-1',
    commit: null,
    mode,
    concurrency: 4,
    startedAt: new Date('2026-01-01T00:00:00.000Z'),
    finishedAt: new Date('2026-01-01T00:00:05.000Z'),
    complete: true,
    cases,
  };
}

const compare = (current: CaseResult[], baseline: CaseResult[], thresholds: GateThresholds = DEFAULT_THRESHOLDS, mode: BenchMode = 'live') =>
  compareWithBaseline(result(current, mode), result(baseline, mode), thresholds, 'baseline.json');

describe('baseline gate', () => {
  test('cost up 10.1% is a regression naming the case', () => {
    const comparison = compare([caseResult('summary', { costNanos: 1_101_000n })], [caseResult('summary')]);
    assert.equal(comparison.regressions.length, 1);
    assert.equal(comparison.regressions[0]!.caseName, 'summary');
    assert.equal(comparison.regressions[0]!.measure, 'cost');
    assert.equal(comparison.regressions[0]!.baseline, 1_000_000n);
    assert.equal(comparison.regressions[0]!.current, 1_101_000n);
  });

  test('cost up exactly 10% passes', () => {
    const comparison = compare([caseResult('summary', { costNanos: 1_100_000n })], [caseResult('summary')]);
    assert.equal(comparison.regressions.length, 0);
    assert.equal(comparison.compared.length, 4);
  });

  test('cost floor of $0.00001 absorbs +50% on a $0.000016 call', () => {
    // 16,000 -> 24,000 nano-dollars: +50%, but only 8,000 nano-dollars, under the 10,000 floor.
    const comparison = compare([caseResult('tiny', { costNanos: 24_000n })], [caseResult('tiny', { costNanos: 16_000n })]);
    assert.equal(comparison.regressions.length, 0);
  });

  test('token floor 10 absorbs 4 -> 14, not 15', () => {
    const noisy = compare([caseResult('a', { outputTokens: 14 })], [caseResult('a', { outputTokens: 4 })]);
    assert.equal(noisy.regressions.length, 0);
    const real = compare([caseResult('a', { outputTokens: 15 })], [caseResult('a', { outputTokens: 4 })]);
    assert.deepEqual(real.regressions.map((item) => item.measure), ['output_tokens']);
  });

  test('latency floor of 100 ms absorbs 120 -> 210 ms', () => {
    const comparison = compare([caseResult('a', { latencyMs: 210 })], [caseResult('a', { latencyMs: 120 })]);
    assert.equal(comparison.regressions.length, 0);
  });

  test('input tokens up 6% regress at the 5% default', () => {
    const comparison = compare([caseResult('a', { inputTokens: 1060 })], [caseResult('a')]);
    assert.deepEqual(comparison.regressions.map((item) => item.measure), ['input_tokens']);
  });

  test('new and missing cases are reported, not failed', () => {
    const comparison = compare([caseResult('kept'), caseResult('added')], [caseResult('kept'), caseResult('dropped')]);
    assert.deepEqual(comparison.newCases, ['added']);
    assert.deepEqual(comparison.missingCases, ['dropped']);
    assert.equal(comparison.regressions.length, 0);
  });

  test('latency is not gated in replay mode', () => {
    const comparison = compare([caseResult('a', { latencyMs: 5000 })], [caseResult('a')], DEFAULT_THRESHOLDS, 'replay');
    assert.equal(comparison.regressions.length, 0);
    assert.deepEqual(comparison.skipped.map((item) => item.measure), ['latency']);
  });

  test('a measure set to off is skipped', () => {
    const thresholds = { ...DEFAULT_THRESHOLDS, maxIncrease: { ...DEFAULT_THRESHOLDS.maxIncrease, cost: null } };
    const comparison = compare([caseResult('a', { costNanos: 9_000_000n })], [caseResult('a')], thresholds);
    assert.equal(comparison.regressions.length, 0);
    assert.ok(comparison.skipped.some((item) => item.measure === 'cost' && item.reason === 'turned off'));
  });

  test('a dry run against a live baseline gates input tokens only', () => {
    const comparison = compareWithBaseline(
      result([caseResult('a', { costNanos: 1n, outputTokens: 0, inputTokens: 1000 })], 'dry-run'),
      result([caseResult('a')], 'live'),
      DEFAULT_THRESHOLDS,
      'baseline.json',
    );
    assert.deepEqual(comparison.compared.map((item) => item.measure), ['input_tokens']);
  });
});

describe('gate flags', () => {
  test('percent limits accept 10%, 2.5 and off', () => {
    assert.equal(parseIncreaseLimit('--max-cost-increase', '10%'), 0.1);
    assert.equal(parseIncreaseLimit('--max-cost-increase', '2.5'), 0.025);
    assert.equal(parseIncreaseLimit('--max-cost-increase', 'off'), null);
    assert.throws(() => parseIncreaseLimit('--max-cost-increase', 'ten'), /invalid --max-cost-increase "ten": use a percentage such as 10% or off/);
  });

  test('cost floor reads USD into nano-dollars', () => {
    assert.equal(parseCostFloor('0.00001'), 10_000n);
    assert.equal(parseCostFloor('$0.5'), 500_000_000n);
    assert.throws(() => parseCostFloor('-1'), /invalid --min-cost-delta/);
  });
});

describe('benchmark statistics', () => {
  test('median of an even count averages the middle two', () => {
    assert.deepEqual(countStats([4, 1, 3, 2]), { median: 2.5, p90: 4 });
  });

  test('nearest-rank p90 of 10 values is the 9th', () => {
    assert.equal(countStats([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])!.p90, 9);
  });

  test('money median rounds half a nano-dollar away from zero', () => {
    assert.deepEqual(moneyStats([1n, 2n]), { median: 2n, p90: 2n, total: 3n });
  });

  test('latency statistics come from the measured samples', () => {
    const stats = latencyStats([120, 80, 100, 300, 90])!;
    assert.equal(stats.median, 100);
    assert.equal(stats.min, 80);
    assert.equal(stats.max, 300);
    assert.equal(stats.mean, 138);
    assert.equal(stats.p90, 228);
    assert.equal(stats.p99, 292.8);
  });

  test('no samples give null', () => {
    assert.equal(latencyStats([]), null);
    assert.equal(countStats([]), null);
    assert.equal(moneyStats([]), null);
  });
});

describe('result JSON', () => {
  test('round-trips exact money and the mode', () => {
    const original = result([caseResult('a', { costNanos: 123_456_789n }), caseResult('b', { costNanos: 100n })], 'replay');
    const copy = resultFromJson(resultToJson(original), 'copy.json');
    assert.equal(copy.mode, 'replay');
    assert.equal(copy.cases[0]!.cost!.median, 123_456_789n);
    assert.equal(copy.cases[1]!.cost!.median, 100n);
    assert.equal(copy.cases[1]!.cost!.total, 300n);
    assert.deepEqual(copy.cases[0]!.totalInputTokens, { median: 1000, p90: 1000 });
  });

  test('another schema version is rejected', () => {
    const text = resultToJson(result([caseResult('a')])).replace('"schema_version": 1', '"schema_version": 2');
    assert.throws(() => resultFromJson(text, 'old.json'), /invalid baseline old\.json: schema_version 2 is not 1/);
  });
});
