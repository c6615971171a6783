import type { AggregateRow } from './repository.js';

/**
 * Build an `AggregateRow` from one grouped SQL row. Both stores name the
 * columns alike: `d0`, `d1`, … for the dimension values, then `requests`,
 * `unpriced` and the token sums. The caller converts the bucket and the cost
 * sum, because each store reads them in its own way.
 */
export function aggregateRowFromColumns(
  row: Record<string, unknown>,
  dimensionCount: number,
  bucketIndex: number | null,
  costNanos: bigint,
): AggregateRow {
  const dimensionValues: (string | null)[] = [];
  for (let index = 0; index < dimensionCount; index += 1) {
    const value = row[`d${index}`];
    dimensionValues.push(value === null || value === undefined ? null : String(value));
  }
  return {
    bucketIndex,
    dimensionValues,
    requests: Number(row.requests),
    unpricedRequests: Number(row.unpriced),
    usage: {
      inputTokens: Number(row.input_tokens),
      outputTokens: Number(row.output_tokens),
      cacheWrite5mTokens: Number(row.cache_write_5m_tokens),
      cacheWrite1hTokens: Number(row.cache_write_1h_tokens),
      cacheReadTokens: Number(row.cache_read_tokens),
      webSearchRequests: Number(row.web_search_requests),
    },
    costNanos,
  };
}
