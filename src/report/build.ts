/**
 * Building a report: time buckets from the time module, grouping and sums
 * inside the store, then sorting, filling empty buckets and totalling here.
 */
import { emptyUsage, type TokenUsage } from '../core/record.js';
import type { AggregateRow, RecordFilter, RepositoryAdapter } from '../store/repository.js';
import { computeBuckets, type Buckets } from '../time/buckets.js';
import type { GroupBy } from './group-by.js';

export interface ReportRequest {
  timezone: string;
  /** The resolved range (UTC epoch ms, half-open); null means unbounded on that side. */
  fromMs: number | null;
  toMs: number | null;
  /** Filter flags, with the range bounds already applied. */
  filter: RecordFilter;
  groupBy: GroupBy;
  /** List every time bucket, with zeros where no record falls. */
  fill: boolean;
}

/** The sums every row and the totals carry. */
export interface ReportSums {
  requests: number;
  unpricedRequests: number;
  usage: TokenUsage;
  /** Cost of the priced requests in nano-dollars; unpriced requests add nothing. */
  costNanos: bigint;
}

export interface ReportRow extends ReportSums {
  /** The bucket's label, start and end (UTC epoch ms), or null without a time unit. */
  bucket: { label: string; startMs: number; endMs: number } | null;
  /** One value per dimension of `groupBy`, null where a record has none. */
  dimensionValues: (string | null)[];
}

export interface Report {
  request: ReportRequest;
  /** The buckets used, or null without a time unit or when the store is empty and no range was given. */
  buckets: Buckets | null;
  rows: ReportRow[];
  totals: ReportSums;
}

export async function buildReport(repository: RepositoryAdapter, request: ReportRequest): Promise<Report> {
  const { groupBy } = request;
  const buckets = groupBy.timeUnit === null ? null : await bucketsFor(repository, request);
  if (groupBy.timeUnit !== null && buckets === null) {
    return { request, buckets, rows: [], totals: emptySums() };
  }

  const aggregated = await repository.aggregate({
    filter: request.filter,
    dimensions: groupBy.dimensions,
    ...(buckets === null ? {} : { bucketBoundaries: buckets.boundaries }),
  });
  const rows = aggregated.map((row) => toReportRow(row, buckets));
  if (request.fill && buckets !== null) rows.push(...emptyBucketRows(rows, buckets, groupBy.dimensions.length));
  rows.sort(compareRows);
  return { request, buckets, rows, totals: sumRows(rows) };
}

/**
 * Compute buckets over the requested range. A missing bound comes from the
 * oldest or newest stored record, so an open range still gets finite buckets.
 * An empty store with an open range gets none.
 */
async function bucketsFor(repository: RepositoryAdapter, request: ReportRequest): Promise<Buckets | null> {
  let { fromMs, toMs } = request;
  if (fromMs === null || toMs === null) {
    const stats = await repository.stats();
    if (stats.oldest === null || stats.newest === null) return null;
    fromMs ??= stats.oldest.getTime();
    // The newest record must fall inside, and the range is half-open.
    toMs ??= stats.newest.getTime() + 1;
    if (fromMs >= toMs) return null;
  }
  return computeBuckets(request.groupBy.timeUnit!, request.timezone, fromMs, toMs);
}

function toReportRow(row: AggregateRow, buckets: Buckets | null): ReportRow {
  let bucket: ReportRow['bucket'] = null;
  if (buckets !== null && row.bucketIndex !== null) {
    const index = row.bucketIndex;
    bucket = { label: buckets.labels[index]!, startMs: buckets.boundaries[index]!, endMs: buckets.boundaries[index + 1]! };
  }
  return {
    bucket,
    dimensionValues: row.dimensionValues,
    requests: row.requests,
    unpricedRequests: row.unpricedRequests,
    usage: { ...row.usage },
    costNanos: row.costNanos,
  };
}

function emptyBucketRows(rows: ReportRow[], buckets: Buckets, dimensionCount: number): ReportRow[] {
  const filled = new Set(rows.map((row) => row.bucket?.startMs));
  const empty: ReportRow[] = [];
  buckets.labels.forEach((label, index) => {
    const startMs = buckets.boundaries[index]!;
    if (filled.has(startMs)) return;
    const bucket = { label, startMs, endMs: buckets.boundaries[index + 1]! };
    empty.push({ bucket, dimensionValues: new Array<string | null>(dimensionCount).fill(null), ...emptySums() });
  });
  return empty;
}

/** Bucket start first, then each dimension value by code point, with null (no value) last. */
function compareRows(a: ReportRow, b: ReportRow): number {
  const byBucket = (a.bucket?.startMs ?? 0) - (b.bucket?.startMs ?? 0);
  if (byBucket !== 0) return byBucket;
  for (let i = 0; i < a.dimensionValues.length; i++) {
    const left = a.dimensionValues[i] ?? null;
    const right = b.dimensionValues[i] ?? null;
    if (left === right) continue;
    if (left === null) return 1;
    if (right === null) return -1;
    return left < right ? -1 : 1;
  }
  return 0;
}

export function emptySums(): ReportSums {
  return { requests: 0, unpricedRequests: 0, usage: emptyUsage(), costNanos: 0n };
}

function sumRows(rows: readonly ReportSums[]): ReportSums {
  const totals = emptySums();
  for (const row of rows) {
    totals.requests += row.requests;
    totals.unpricedRequests += row.unpricedRequests;
    totals.costNanos += row.costNanos;
    for (const key of Object.keys(totals.usage) as (keyof TokenUsage)[]) totals.usage[key] += row.usage[key];
  }
  return totals;
}
