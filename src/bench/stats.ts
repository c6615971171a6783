/**
 * Statistics over one case's calls. Latency statistics come from tinybench,
 * fed the measured durations; token and cost medians are computed here so
 * that money stays exact bigint nano-dollars.
 */
import { Bench } from 'tinybench';
import { divideRounded } from '../core/money.js';

/** Latency in milliseconds. */
export interface LatencyStats {
  mean: number;
  median: number;
  p90: number;
  p99: number;
  min: number;
  max: number;
}

export interface CountStats {
  median: number;
  p90: number;
}

export interface MoneyStats {
  /** Nano-dollars. */
  median: bigint;
  p90: bigint;
  total: bigint;
}

/**
 * Summarise measured durations with tinybench. Each measured duration is
 * handed to tinybench as an `overriddenDuration`, so its statistics describe
 * exactly the calls that were made. tinybench reports no p90, so p90 uses the
 * same linear interpolation between order statistics as its p50 and p99.
 */
export function latencyStats(durationsMs: number[]): LatencyStats | null {
  if (durationsMs.length === 0) return null;
  let next = 0;
  const bench = new Bench({ iterations: durationsMs.length, time: 0, warmup: false, retainSamples: true });
  // `async: false` skips tinybench's async-detection call, which would consume a sample.
  bench.add('latency', () => ({ overriddenDuration: durationsMs[next++]! }), { async: false });
  bench.runSync();
  const result = bench.tasks[0]!.result;
  if (result.state !== 'completed') throw new Error(`tinybench did not complete the latency statistics: ${result.state}`);
  const latency = result.latency;
  const sorted = [...(latency.samples ?? durationsMs)].sort((a, b) => a - b);
  return {
    mean: round3(latency.mean),
    median: round3(latency.p50),
    p90: round3(interpolatedQuantile(sorted, 0.9)),
    p99: round3(latency.p99),
    min: round3(latency.min),
    max: round3(latency.max),
  };
}

/** Quantile by linear interpolation between order statistics (R type 7), as tinybench computes p50 and p99. */
export function interpolatedQuantile(sorted: number[], q: number): number {
  if (sorted.length === 0) throw new RangeError('quantile of no values');
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower);
}

/** Median (mean of the two middle values for an even count, so it may end in .5) and nearest-rank p90. */
export function countStats(values: number[]): CountStats | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { median, p90: sorted[nearestRankIndex(sorted.length, 0.9)]! };
}

/** Compute `countStats` for nano-dollars, plus the total. An even count's median is rounded half away from zero. */
export function moneyStats(values: bigint[]): MoneyStats | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort(compareBigints);
  const middle = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[middle]! : divideRounded(sorted[middle - 1]! + sorted[middle]!, 2n);
  const total = sorted.reduce((sum, value) => sum + value, 0n);
  return { median, p90: sorted[nearestRankIndex(sorted.length, 0.9)]!, total };
}

function compareBigints(a: bigint, b: bigint): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** Index of the nearest-rank quantile: the smallest value with at least `q` of the values at or below it. */
function nearestRankIndex(count: number, q: number): number {
  return Math.max(0, Math.ceil(q * count) - 1);
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
