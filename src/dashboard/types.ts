/**
 * The data the dashboard page draws. Everything here is an aggregate or a
 * bounded list, never the log itself. USD amounts are exact decimal strings
 * (from `usdDecimal`), so the page can show them unrounded and a test can
 * compare them with `report --format json`. Instants are UTC epoch
 * milliseconds unless a field name ends in `At` (UTC ISO strings).
 */

import type { BucketUnit } from '../time/buckets.js';

export type { BucketUnit };
export type CostGrouping = 'model' | 'category';

export interface BucketJson {
  /** Label in the report's format: `2026-03-08`, `2026-03-08T02:00-05:00`, `2026-03` and so on. */
  label: string;
  startMs: number;
  endMs: number;
}

/** One stacked series of the cost chart: a model or a category, or `other` for the rest. */
export interface CostSeriesJson {
  /** The model or category; null for records without a category. */
  key: string | null;
  /** True for the series that sums every key beyond the chart's colour palette. */
  other: boolean;
  /** Exact USD per bucket. */
  costUsd: string[];
  requests: number[];
}

export interface TokenSeriesJson {
  input: number[];
  output: number[];
  /** 5-minute and 1-hour cache writes together. */
  cacheWrite: number[];
  cacheRead: number[];
  /** cache_read / (input + cache writes + cache_read) per bucket; null where a bucket has no input tokens at all. */
  cacheHitRatio: (number | null)[];
}

export interface SummaryJson {
  timezone: string;
  /** The range drawn, as UTC ISO instants; half-open `[from, to)`. Null only when the store is empty and no range was given. */
  from: string | null;
  to: string | null;
  bucket: BucketUnit;
  buckets: BucketJson[];
  cost: Record<CostGrouping, CostSeriesJson[]>;
  tokens: TokenSeriesJson;
  totals: {
    requests: number;
    unpricedRequests: number;
    costUsd: string;
  };
}

export interface StorageJson {
  kind: 'sqlite' | 'clickhouse';
  location: string;
  records: number;
  /** Null when the store cannot tell. */
  bytes: number | null;
  oldestAt: string | null;
  newestAt: string | null;
  /** Records per day in the chosen zone over the drawn range (the last 31 days of it at most). */
  rowsPerDay: { label: string; records: number }[];
  /** The exact instants counted per day (UTC ISO, half-open); null when nothing is counted. */
  rowsPerDayRange: { from: string; to: string } | null;
}

/** One `bench --storage` run: insert throughput and report times. */
export interface StorageBenchJson {
  engine: string;
  runId: string;
  startedAt: string;
  records: number;
  tasks: { name: string; recordsPerSecond: number; operationsPerSecond: number; medianMs: number; p90Ms: number }[];
}

/** One row of the most-expensive-calls table. */
export interface TopCallJson {
  id: string;
  startedAt: string;
  model: string;
  category: string | null;
  status: string;
  source: string;
  costUsd: string;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  durationMs: number;
}

export interface TopCallsJson {
  limit: number;
  rows: TopCallJson[];
}

/** Record count and newest record from `/api/changes`. The page reloads its views when either changes. */
export interface ChangeMarkJson {
  records: number;
  newestAt: string | null;
}

/** A median and 90th percentile; USD as exact decimal strings, tokens as counts, latency in milliseconds. */
export interface MedianP90Json<T> {
  median: T;
  p90: T;
}

export interface BenchRunJson {
  runId: string;
  commit: string | null;
  startedAt: string;
  mode: string;
  suite: string;
  /** The x-axis label: the short commit when known, else the start date, and the run id's first characters. */
  label: string;
}

/** One case in one run; a run that did not include the case has no point for it. */
export interface BenchPointJson {
  /** Index into `runs`. */
  run: number;
  costUsd: MedianP90Json<string> | null;
  /** Input plus cache writes and reads: the prompt size the bench gate compares. */
  promptTokens: MedianP90Json<number> | null;
  outputTokens: MedianP90Json<number> | null;
  latencyMs: MedianP90Json<number> | null;
  /** Measures that regressed against the baseline run: cost, input_tokens, output_tokens or latency. */
  regressions: string[];
}

export interface BenchRegressionJson {
  case: string;
  run: number;
  measure: string;
  /** Medians as text: USD for cost, tokens, or milliseconds. */
  baseline: string;
  current: string;
  /** Relative change (0.25 is +25%); null when the baseline is zero. */
  change: number | null;
}

export interface BenchHistoryJson {
  /** `results`: JSON result files; `store`: the stored benchmark records; `none`: neither has any run. */
  source: 'results' | 'store' | 'none';
  runs: BenchRunJson[];
  /** Index of the run every other run is compared with, or null with fewer than two runs. */
  baselineRun: number | null;
  /** Measures left out of the comparison, with the reason (latency of replayed runs, for example). */
  skippedMeasures: { measure: string; reason: string }[];
  cases: { name: string; points: BenchPointJson[] }[];
  regressions: BenchRegressionJson[];
}
