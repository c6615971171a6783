/**
 * The cost and token views: one `aggregate` call grouped by bucket, model
 * and category, folded into per-bucket series. Sums stay bigint nano-dollars
 * until the single conversion to exact decimal text.
 */
import { usdDecimal } from '../core/money.js';
import type { AggregateRow, RecordFilter, RepositoryAdapter } from '../store/repository.js';
import type { Buckets } from './buckets.js';
import type { CostGrouping, CostSeriesJson, SummaryJson, TokenSeriesJson } from './types.js';

/**
 * Series beyond this count are summed into one `other` series, because the
 * Okabe–Ito palette has eight colours and one of them is kept for `other`.
 */
export const MAX_COST_SERIES = 7;

export interface SummaryRequest {
  filter: RecordFilter;
  timezone: string;
  buckets: Buckets;
}

export async function buildSummary(repository: RepositoryAdapter, request: SummaryRequest): Promise<SummaryJson> {
  const { buckets } = request;
  const rows = await repository.aggregate({
    filter: request.filter,
    bucketBoundaries: buckets.boundaries,
    dimensions: ['model', 'category'],
  });
  const count = buckets.labels.length;

  return {
    timezone: request.timezone,
    from: count > 0 ? new Date(buckets.boundaries[0]!).toISOString() : null,
    to: count > 0 ? new Date(buckets.boundaries[count]!).toISOString() : null,
    bucket: buckets.unit,
    buckets: buckets.labels.map((label, index) => ({
      label,
      startMs: buckets.boundaries[index]!,
      endMs: buckets.boundaries[index + 1]!,
    })),
    cost: {
      model: costSeries(rows, 0, count),
      category: costSeries(rows, 1, count),
    },
    tokens: tokenSeries(rows, count),
    totals: totalsOf(rows),
  };
}

interface SeriesSums {
  key: string | null;
  nanos: bigint[];
  requests: number[];
  total: bigint;
}

/** Sum rows per value of one dimension, keep the most expensive keys and fold the rest into `other`. */
function costSeries(rows: AggregateRow[], dimensionIndex: number, count: number): CostSeriesJson[] {
  const byKey = new Map<string | null, SeriesSums>();
  for (const row of rows) {
    if (row.bucketIndex === null || row.bucketIndex >= count) continue;
    const key = row.dimensionValues[dimensionIndex] ?? null;
    let sums = byKey.get(key);
    if (sums === undefined) {
      sums = { key, nanos: new Array<bigint>(count).fill(0n), requests: new Array<number>(count).fill(0), total: 0n };
      byKey.set(key, sums);
    }
    sums.nanos[row.bucketIndex]! += row.costNanos;
    sums.requests[row.bucketIndex]! += row.requests;
    sums.total += row.costNanos;
  }

  // Most expensive first; ties by name so the colours stay put between reloads.
  const ordered = [...byKey.values()].sort((a, b) => {
    if (a.total !== b.total) return a.total > b.total ? -1 : 1;
    return String(a.key ?? '').localeCompare(String(b.key ?? ''));
  });
  const kept = ordered.slice(0, ordered.length > MAX_COST_SERIES ? MAX_COST_SERIES - 1 : MAX_COST_SERIES);
  const series: CostSeriesJson[] = kept.map((sums) => ({
    key: sums.key,
    other: false,
    costUsd: sums.nanos.map(usdDecimal),
    requests: sums.requests,
  }));

  const rest = ordered.slice(kept.length);
  if (rest.length > 0) {
    const nanos = new Array<bigint>(count).fill(0n);
    const requests = new Array<number>(count).fill(0);
    for (const sums of rest) {
      for (let i = 0; i < count; i++) {
        nanos[i]! += sums.nanos[i]!;
        requests[i]! += sums.requests[i]!;
      }
    }
    series.push({ key: rest.length === 1 ? '1 other' : `${rest.length} others`, other: true, costUsd: nanos.map(usdDecimal), requests });
  }
  return series;
}

function tokenSeries(rows: AggregateRow[], count: number): TokenSeriesJson {
  const zeros = () => new Array<number>(count).fill(0);
  const tokens: TokenSeriesJson = {
    input: zeros(),
    output: zeros(),
    cacheWrite: zeros(),
    cacheRead: zeros(),
    cacheHitRatio: [],
  };
  for (const row of rows) {
    const index = row.bucketIndex;
    if (index === null || index >= count) continue;
    tokens.input[index]! += row.usage.inputTokens;
    tokens.output[index]! += row.usage.outputTokens;
    tokens.cacheWrite[index]! += row.usage.cacheWrite5mTokens + row.usage.cacheWrite1hTokens;
    tokens.cacheRead[index]! += row.usage.cacheReadTokens;
  }
  tokens.cacheHitRatio = tokens.input.map((input, index) => {
    const prompt = input + tokens.cacheWrite[index]! + tokens.cacheRead[index]!;
    return prompt === 0 ? null : tokens.cacheRead[index]! / prompt;
  });
  return tokens;
}

function totalsOf(rows: AggregateRow[]): SummaryJson['totals'] {
  let requests = 0;
  let unpricedRequests = 0;
  let nanos = 0n;
  for (const row of rows) {
    if (row.bucketIndex === null) continue;
    requests += row.requests;
    unpricedRequests += row.unpricedRequests;
    nanos += row.costNanos;
  }
  return { requests, unpricedRequests, costUsd: usdDecimal(nanos) };
}

/** The grouping names in the order the page offers them. */
export const COST_GROUPINGS: readonly CostGrouping[] = ['model', 'category'];
