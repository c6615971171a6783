/**
 * SQL for `RecordFilter` and for tag lookups. Every value is a bound
 * parameter; only column names and placeholders are put into the text.
 */
import type { RecordFilter } from '../repository.js';

export interface SqlFragment {
  sql: string;
  params: (string | number)[];
}

/**
 * Build an expression for the value of tag `key` in `records.tags`, or NULL.
 * json_extract takes a path in which a quoted label cannot contain `"`, so
 * such keys are looked up with json_each instead.
 */
export function tagValueSql(key: string): SqlFragment {
  if (!key.includes('"')) return { sql: 'json_extract(r.tags, ?)', params: [`$."${key}"`] };
  return { sql: '(SELECT value FROM json_each(r.tags) WHERE key = ?)', params: [key] };
}

function inList(column: string, values: readonly string[], clauses: string[], params: (string | number)[]): void {
  // An empty list matches nothing, as `IN ()` would.
  if (values.length === 0) {
    clauses.push('0');
    return;
  }
  clauses.push(`${column} IN (${values.map(() => '?').join(', ')})`);
  params.push(...values);
}

/** Build a WHERE condition (without the keyword) over table alias `r`, or `1` when the filter is empty. */
export function filterSql(filter: RecordFilter): SqlFragment {
  const clauses: string[] = [];
  const params: (string | number)[] = [];
  const bound = (sql: string, value: number | undefined) => {
    if (value === undefined) return;
    clauses.push(sql);
    params.push(value);
  };

  bound('r.started_at_ms >= ?', filter.fromMs);
  bound('r.started_at_ms < ?', filter.toMs);
  bound('r.ingested_at_ms >= ?', filter.ingestedFromMs);
  bound('r.ingested_at_ms < ?', filter.ingestedToMs);
  if (filter.categories) inList('r.category', filter.categories, clauses, params);
  if (filter.models) inList('r.model', filter.models, clauses, params);
  if (filter.statuses) inList('r.status', filter.statuses, clauses, params);
  if (filter.sources) inList('r.source', filter.sources, clauses, params);
  for (const [key, value] of Object.entries(filter.tags ?? {})) {
    const tag = tagValueSql(key);
    clauses.push(`${tag.sql} = ?`);
    params.push(...tag.params, value);
  }

  return { sql: clauses.length === 0 ? '1' : clauses.join(' AND '), params };
}
