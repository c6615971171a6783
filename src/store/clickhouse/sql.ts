/**
 * SELECT statements for `RecordFilter`, queries and aggregation. Every value
 * goes in as a `{name:Type}` query parameter; only column names, fixed SQL
 * and the validated table name are written into the text.
 */
import { InputError } from '../../core/errors.js';
import type { AggregateRequest, GroupDimension, RecordFilter } from '../repository.js';

export interface Statement {
  sql: string;
  params: Record<string, unknown>;
}

/** Collects query parameters under generated names (p0, p1, …). */
export class ParameterList {
  readonly values: Record<string, unknown> = {};
  private next = 0;

  add(type: string, value: unknown): string {
    const name = `p${this.next++}`;
    this.values[name] = value;
    return `{${name}:${type}}`;
  }
}

/** Adds an instant parameter as epoch milliseconds, converted in SQL so that the server's time zone never applies. */
function instant(params: ParameterList, ms: number): string {
  if (!Number.isSafeInteger(ms)) throw new InputError(`invalid time bound ${ms}: use integer epoch milliseconds`);
  return `fromUnixTimestamp64Milli(${params.add('Int64', ms)}, 'UTC')`;
}

function inList(column: string, values: readonly string[], params: ParameterList, clauses: string[]): void {
  // An empty list matches nothing, as it does in the SQLite store.
  if (values.length === 0) clauses.push('0');
  else clauses.push(`${column} IN ${params.add('Array(String)', values)}`);
}

/** Builds the WHERE condition (without the keyword), or `1` when the filter is empty. */
export function filterSql(filter: RecordFilter, params: ParameterList): string {
  const clauses: string[] = [];
  if (filter.fromMs !== undefined) clauses.push(`started_at >= ${instant(params, filter.fromMs)}`);
  if (filter.toMs !== undefined) clauses.push(`started_at < ${instant(params, filter.toMs)}`);
  if (filter.ingestedFromMs !== undefined) clauses.push(`ingested_at >= ${instant(params, filter.ingestedFromMs)}`);
  if (filter.ingestedToMs !== undefined) clauses.push(`ingested_at < ${instant(params, filter.ingestedToMs)}`);
  if (filter.categories) inList('category', filter.categories, params, clauses);
  if (filter.models) inList('model', filter.models, params, clauses);
  if (filter.statuses) inList('status', filter.statuses, params, clauses);
  if (filter.sources) inList('source', filter.sources, params, clauses);
  for (const [key, value] of Object.entries(filter.tags ?? {})) {
    const keyParam = params.add('String', key);
    clauses.push(`(mapContains(tags, ${keyParam}) AND tags[${keyParam}] = ${params.add('String', value)})`);
  }
  return clauses.length === 0 ? '1' : clauses.join(' AND ');
}

const COLUMN_DIMENSIONS: Record<string, string> = { model: 'model', category: 'category', status: 'status', source: 'source' };

function dimensionSql(dimension: GroupDimension, params: ParameterList): string {
  const column = COLUMN_DIMENSIONS[dimension];
  if (column) return column;
  if (dimension.startsWith('tag:') && dimension.length > 4) {
    const key = params.add('String', dimension.slice(4));
    // tags[key] is '' for a missing key; a missing tag groups as NULL, as in the SQLite store.
    return `if(mapContains(tags, ${key}), tags[${key}], NULL)`;
  }
  throw new InputError(`invalid group dimension ${JSON.stringify(dimension)}: use model, category, status, source or tag:KEY`);
}

export function checkBoundaries(boundaries: number[]): void {
  for (let index = 0; index < boundaries.length; index += 1) {
    const value = boundaries[index]!;
    if (!Number.isSafeInteger(value)) throw new InputError(`invalid bucket boundary ${value}: use integer epoch milliseconds`);
    if (index > 0 && value < boundaries[index - 1]!) throw new InputError('invalid bucket boundaries: they must be sorted in ascending order');
  }
}

/**
 * The aggregation statement. Records are placed in buckets with
 * `roundDown(t, boundaries)`, which returns the greatest boundary at or below
 * `t` by binary search over the constant array; the caller maps that lower
 * boundary back to its bucket index. Sums come back as strings: token sums
 * as UInt64 and the cost as Int128, which cannot overflow.
 */
export function aggregateSql(table: string, request: AggregateRequest): Statement {
  const params = new ParameterList();
  const dimensions = request.dimensions.map((dimension, index) => `${dimensionSql(dimension, params)} AS d${index}`);
  const where = [filterSql(request.filter, params)];
  let bucket = 'NULL';
  const boundaries = request.bucketBoundaries;
  if (boundaries !== undefined) {
    const list = params.add('Array(Int64)', boundaries);
    bucket = `roundDown(toUnixTimestamp64Milli(started_at), ${list})`;
    where.push(`started_at >= ${instant(params, boundaries[0]!)}`, `started_at < ${instant(params, boundaries[boundaries.length - 1]!)}`);
  }
  const groupBy = ['bucket_lower_ms', ...request.dimensions.map((_, index) => `d${index}`)].join(', ');
  const sql = `SELECT ${bucket} AS bucket_lower_ms, ${[...dimensions, ''].join(', ')}
  count() AS requests,
  countIf(NOT priced) AS unpriced,
  toString(sum(input_tokens)) AS input_tokens,
  toString(sum(output_tokens)) AS output_tokens,
  toString(sum(cache_write_5m_tokens)) AS cache_write_5m_tokens,
  toString(sum(cache_write_1h_tokens)) AS cache_write_1h_tokens,
  toString(sum(cache_read_tokens)) AS cache_read_tokens,
  toString(sum(web_search_requests)) AS web_search_requests,
  toString(sum(toInt128(cost_total_nanos))) AS cost_nanos
FROM ${table} FINAL
WHERE ${where.join(' AND ')}
GROUP BY ${groupBy}`;
  return { sql, params: params.values };
}
