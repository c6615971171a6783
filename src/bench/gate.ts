/**
 * The cost-regression gate: compares each case's medians with a baseline.
 * A measure regresses only when its relative increase is above the limit AND
 * its absolute increase is above the floor, so noise on tiny numbers (3 tokens
 * becoming 4 is +33%) does not fail a build.
 */
import { InputError } from '../core/errors.js';
import { parseUsd } from '../core/money.js';
import type { BenchResult, CaseResult } from './result.js';
import { quoteExcerpt } from '../output/excerpt.js';

export type Measure = 'cost' | 'input_tokens' | 'output_tokens' | 'latency';
export const MEASURES: readonly Measure[] = ['cost', 'input_tokens', 'output_tokens', 'latency'];

export interface GateThresholds {
  /** Maximum relative increase per measure (0.1 is 10%); null turns the measure's gate off. */
  maxIncrease: Record<Measure, number | null>;
  /** Nano-dollars per call (median). */
  minCostDelta: bigint;
  minTokenDelta: number;
  minLatencyDeltaMs: number;
}

/** Defaults, documented in docs/bench.md. Latency is noisy on shared CI runners, hence the wide limit. */
export const DEFAULT_THRESHOLDS: GateThresholds = {
  maxIncrease: { cost: 0.1, input_tokens: 0.05, output_tokens: 0.2, latency: 0.5 },
  minCostDelta: 10_000n,
  minTokenDelta: 10,
  minLatencyDeltaMs: 100,
};

export interface MeasureComparison {
  caseName: string;
  measure: Measure;
  /** Medians: nano-dollars for cost, tokens, or milliseconds. */
  baseline: number | bigint;
  current: number | bigint;
  /** Relative change (0.25 is +25%); null when the baseline is zero. */
  change: number | null;
  regression: boolean;
}

export interface Comparison {
  baselineFile: string;
  compared: MeasureComparison[];
  regressions: MeasureComparison[];
  /** In the run but not in the baseline. */
  newCases: string[];
  /** In the baseline but not in the run. */
  missingCases: string[];
  /** Measures left out of the gate, with the reason, such as latency in replay mode. */
  skipped: { measure: Measure; reason: string }[];
}

export function compareWithBaseline(current: BenchResult, baseline: BenchResult, thresholds: GateThresholds, baselineFile: string): Comparison {
  const skipped = skippedMeasures(current, baseline, thresholds);
  const gated = MEASURES.filter((measure) => !skipped.some((item) => item.measure === measure));
  const baselineCases = new Map(baseline.cases.map((item) => [item.name, item]));
  const currentNames = new Set(current.cases.map((item) => item.name));
  const compared: MeasureComparison[] = [];

  for (const item of current.cases) {
    const before = baselineCases.get(item.name);
    if (!before) continue;
    for (const measure of gated) {
      const pair = [medianOf(before, measure), medianOf(item, measure)] as const;
      if (pair[0] === null || pair[1] === null) continue;
      compared.push(compareMeasure(item.name, measure, pair[0], pair[1], thresholds));
    }
  }

  return {
    baselineFile,
    compared,
    regressions: compared.filter((item) => item.regression),
    newCases: current.cases.filter((item) => !baselineCases.has(item.name)).map((item) => item.name),
    missingCases: baseline.cases.filter((item) => !currentNames.has(item.name)).map((item) => item.name),
    skipped,
  };
}

function skippedMeasures(current: BenchResult, baseline: BenchResult, thresholds: GateThresholds): { measure: Measure; reason: string }[] {
  const skipped: { measure: Measure; reason: string }[] = [];
  for (const measure of MEASURES) {
    if (thresholds.maxIncrease[measure] === null) skipped.push({ measure, reason: 'turned off' });
  }
  const add = (measure: Measure, reason: string) => {
    if (!skipped.some((item) => item.measure === measure)) skipped.push({ measure, reason });
  };
  // Replayed calls take the harness's time, not the API's, and a count_tokens call generates no output.
  if (current.mode !== 'live' || baseline.mode !== 'live') add('latency', 'measured only when both the run and the baseline are live');
  if ((current.mode === 'dry-run') !== (baseline.mode === 'dry-run')) {
    add('output_tokens', 'a dry run generates no output');
    add('cost', 'a dry run prices only the input');
  }
  return skipped;
}

function medianOf(result: CaseResult, measure: Measure): number | bigint | null {
  switch (measure) {
    case 'cost':
      return result.cost?.median ?? null;
    case 'input_tokens':
      return result.totalInputTokens?.median ?? null;
    case 'output_tokens':
      return result.outputTokens?.median ?? null;
    case 'latency':
      return result.latencyMs?.median ?? null;
  }
}

function compareMeasure(caseName: string, measure: Measure, baseline: number | bigint, current: number | bigint, thresholds: GateThresholds): MeasureComparison {
  const limit = thresholds.maxIncrease[measure]!;
  let regression: boolean;
  let change: number | null;
  if (typeof baseline === 'bigint' && typeof current === 'bigint') {
    const delta = current - baseline;
    change = baseline === 0n ? null : Number(delta) / Number(baseline);
    // Exact comparison in millionths, so the gate never depends on float rounding of money.
    const aboveLimit = delta * 1_000_000n > baseline * BigInt(Math.round(limit * 1_000_000));
    regression = aboveLimit && delta > thresholds.minCostDelta;
  } else {
    const delta = Number(current) - Number(baseline);
    change = Number(baseline) === 0 ? null : delta / Number(baseline);
    const floor = measure === 'latency' ? thresholds.minLatencyDeltaMs : thresholds.minTokenDelta;
    regression = delta > limit * Number(baseline) && delta > floor;
  }
  return { caseName, measure, baseline, current, change, regression };
}

/** Parse `10%`, `10` (also percent) or `off` for a `--max-*-increase` flag. */
export function parseIncreaseLimit(flag: string, text: string): number | null {
  if (text.trim().toLowerCase() === 'off') return null;
  const match = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(text);
  if (!match) throw new InputError(`invalid ${flag} ${quoteExcerpt(text)}: use a percentage such as 10% or off`);
  return Number(match[1]) / 100;
}

export function parseCostFloor(text: string): bigint {
  try {
    const nanos = parseUsd(text.replace(/^\$/, ''));
    if (nanos < 0n) throw new RangeError('negative');
    return nanos;
  } catch {
    throw new InputError(`invalid --min-cost-delta ${quoteExcerpt(text)}: use a USD amount such as 0.00001`);
  }
}

export function parseNonNegative(flag: string, text: string, unit: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0) {
    throw new InputError(`invalid ${flag} ${quoteExcerpt(text)}: use a number of ${unit}, 0 or more`);
  }
  return value;
}
