/**
 * The ClickHouse table and the DDL that creates it, on one server or on a
 * cluster. The schema version is kept in the table comment
 * (`anthrotrace schema N`), so no second table is needed and the version
 * travels with the table through backups and `ON CLUSTER` DDL. Migration i
 * takes the table from version i to version i + 1.
 */
import type { ClickHouseStoreConfig } from './config.js';

/** Column name and type, exactly as system.columns reports the type. */
export interface ColumnSpec {
  name: string;
  type: string;
  /** Text after the type: codec and TTL. */
  extra?: string;
}

/**
 * Columns: instants are DateTime64(3, 'UTC'), so neither input nor output
 * depends on the server's time zone; money is Int64 nano-dollars, exact and
 * summed as Int128; `priced` is false for an unpriced record, whose cost
 * columns are then 0. `model` is the reported model (served, else
 * requested), stored so that it can lead the sorting key.
 */
export function recordColumns(config: Pick<ClickHouseStoreConfig, 'textTtlDays'>): ColumnSpec[] {
  // A column TTL resets the value to the column default (NULL) in merges after the interval.
  const textTtl = config.textTtlDays === null ? '' : ` TTL toDateTime(started_at) + INTERVAL ${config.textTtlDays} DAY`;
  const text = `CODEC(ZSTD(3))${textTtl}`;
  return [
    { name: 'id', type: 'String' },
    { name: 'request_id', type: 'Nullable(String)' },
    { name: 'message_id', type: 'Nullable(String)' },
    { name: 'started_at', type: "DateTime64(3, 'UTC')" },
    { name: 'ingested_at', type: "DateTime64(3, 'UTC')" },
    { name: 'duration_ms', type: 'Float64' },
    { name: 'time_to_first_token_ms', type: 'Nullable(Float64)' },
    { name: 'model', type: 'LowCardinality(String)' },
    { name: 'model_requested', type: 'LowCardinality(String)' },
    { name: 'model_served', type: 'LowCardinality(Nullable(String))' },
    { name: 'category', type: 'LowCardinality(Nullable(String))' },
    { name: 'tags', type: 'Map(String, String)' },
    { name: 'source', type: 'LowCardinality(String)' },
    { name: 'status', type: 'LowCardinality(String)' },
    { name: 'error_type', type: 'LowCardinality(Nullable(String))' },
    { name: 'http_status', type: 'Nullable(UInt16)' },
    { name: 'stop_reason', type: 'LowCardinality(Nullable(String))' },
    { name: 'attempts', type: 'UInt32' },
    { name: 'input_tokens', type: 'UInt64' },
    { name: 'output_tokens', type: 'UInt64' },
    { name: 'cache_write_5m_tokens', type: 'UInt64' },
    { name: 'cache_write_1h_tokens', type: 'UInt64' },
    { name: 'cache_read_tokens', type: 'UInt64' },
    { name: 'web_search_requests', type: 'UInt64' },
    { name: 'service_tier', type: 'LowCardinality(Nullable(String))' },
    { name: 'batch', type: 'Bool' },
    { name: 'inference_geo', type: 'LowCardinality(Nullable(String))' },
    { name: 'speed', type: 'LowCardinality(Nullable(String))' },
    { name: 'priced', type: 'Bool' },
    { name: 'cost_input_nanos', type: 'Int64' },
    { name: 'cost_output_nanos', type: 'Int64' },
    { name: 'cost_cache_write_5m_nanos', type: 'Int64' },
    { name: 'cost_cache_write_1h_nanos', type: 'Int64' },
    { name: 'cost_cache_read_nanos', type: 'Int64' },
    { name: 'cost_web_search_nanos', type: 'Int64' },
    { name: 'cost_total_nanos', type: 'Int64' },
    { name: 'price_entry', type: 'LowCardinality(Nullable(String))' },
    { name: 'prompt_hash', type: 'Nullable(String)' },
    // Prompt and response text dominate the row size; ZSTD compresses text far better than the default LZ4.
    { name: 'prompt_text', type: 'Nullable(String)', extra: text },
    { name: 'response_summary', type: 'Nullable(String)', extra: text },
  ];
}

/** Columns whose values `text_ttl_days` clears. */
export const TEXT_COLUMNS = ['prompt_text', 'response_summary'] as const;

export const SCHEMA_COMMENT_PREFIX = 'anthrotrace schema ';

/** Statements per migration; index i takes version i + 1 to i + 2. Version 1 is created whole by `createTableStatements`. */
const MIGRATIONS: readonly ((config: ClickHouseStoreConfig) => string[])[] = [];

/** The schema version this build creates and reads. */
export const SCHEMA_VERSION = 1 + MIGRATIONS.length;

const quote = (text: string): string => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** Return `database.table`, or in cluster mode its `_local` twin, which stores the data. */
export function qualifiedName(config: Pick<ClickHouseStoreConfig, 'database' | 'table' | 'cluster'>, part: 'read' | 'local' = 'read'): string {
  const table = part === 'local' && config.cluster !== null ? `${config.table}_local` : config.table;
  return `${config.database}.${table}`;
}

export function onCluster(config: Pick<ClickHouseStoreConfig, 'cluster'>): string {
  return config.cluster === null ? '' : ` ON CLUSTER ${config.cluster}`;
}

export function createDatabaseStatement(config: ClickHouseStoreConfig): string {
  return `CREATE DATABASE IF NOT EXISTS ${config.database}${onCluster(config)}`;
}

/**
 * The CREATE TABLE statements, all `IF NOT EXISTS` so concurrent first runs
 * agree. Choices, with the reason for each:
 * - ReplacingMergeTree: a record delivered twice (a retry whose first attempt
 *   did arrive, or a spool delivered by two processes) has the same sorting
 *   key, and merges keep one copy. Reads use FINAL so unmerged copies are
 *   not counted twice.
 * - PARTITION BY month: old months can be dropped or moved as a whole, and a
 *   time-range read skips other months. Duplicates share `started_at`, so
 *   they never sit in different partitions.
 * - ORDER BY (day, model, started_at, id): time-range reads use the day
 *   prefix of the primary index, grouping by model reads sorted runs, and
 *   `id` last makes the key unique per record.
 * - Cluster mode: ReplicatedReplacingMergeTree tables named `<table>_local`
 *   on every node, and a Distributed table `<table>` over them that shards
 *   by `cityHash64(id)`, so copies of a record land on one shard and FINAL
 *   still collapses them.
 */
export function createTableStatements(config: ClickHouseStoreConfig): string[] {
  const columns = recordColumns(config).map((column) => `  ${column.name} ${column.type}${column.extra ? ` ${column.extra}` : ''}`);
  const indexes = [
    // Bloom filters let the duplicate check before an insert skip most granules.
    '  INDEX id_bloom id TYPE bloom_filter(0.01) GRANULARITY 4',
    '  INDEX request_id_bloom request_id TYPE bloom_filter(0.01) GRANULARITY 4',
    // Metrics exporters read only the records ingested since their last scrape.
    '  INDEX ingested_at_minmax ingested_at TYPE minmax GRANULARITY 1',
  ];
  const local = qualifiedName(config, 'local');
  const engine = config.cluster === null
    ? 'ReplacingMergeTree'
    : `ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/${config.database}/${config.table}_local', '{replica}')`;
  const rowTtl = config.rowTtlDays === null ? '' : `\nTTL toDateTime(started_at) + INTERVAL ${config.rowTtlDays} DAY`;
  const comment = quote(`${SCHEMA_COMMENT_PREFIX}${SCHEMA_VERSION}`);
  const statements = [
    `CREATE TABLE IF NOT EXISTS ${local}${onCluster(config)}\n(\n${[...columns, ...indexes].join(',\n')}\n)\n` +
      `ENGINE = ${engine}\nPARTITION BY toYYYYMM(started_at)\nORDER BY (toDate(started_at), model, started_at, id)${rowTtl}\nCOMMENT ${comment}`,
  ];
  if (config.cluster !== null) {
    statements.push(
      `CREATE TABLE IF NOT EXISTS ${qualifiedName(config)}${onCluster(config)} AS ${local}\n` +
        `ENGINE = Distributed(${config.cluster}, ${config.database}, ${config.table}_local, cityHash64(id))\nCOMMENT ${comment}`,
    );
  }
  return statements;
}

/** The statements that take a table from `fromVersion` to SCHEMA_VERSION, the comment update included. */
export function migrationStatements(config: ClickHouseStoreConfig, fromVersion: number): string[] {
  const statements: string[] = [];
  for (let version = fromVersion; version < SCHEMA_VERSION; version += 1) statements.push(...MIGRATIONS[version - 1]!(config));
  const comment = quote(`${SCHEMA_COMMENT_PREFIX}${SCHEMA_VERSION}`);
  const tables = config.cluster === null ? [qualifiedName(config)] : [qualifiedName(config, 'local'), qualifiedName(config)];
  for (const table of tables) statements.push(`ALTER TABLE ${table}${onCluster(config)} MODIFY COMMENT ${comment}`);
  return statements;
}

/** The schema version in a table comment, or null when the comment is not AnthroTrace's. */
export function versionFromComment(comment: string): number | null {
  const match = /^anthrotrace schema (\d+)$/.exec(comment.trim());
  return match ? Number(match[1]) : null;
}

/** Lists how existing columns differ from the expected ones; extra columns are allowed. */
export function describeColumnDifferences(expected: ColumnSpec[], actual: Map<string, string>): string[] {
  const normalize = (type: string) => type.replace(/\s+/g, '').replace(/"/g, "'");
  const differences: string[] = [];
  for (const column of expected) {
    const type = actual.get(column.name);
    if (type === undefined) differences.push(`column ${column.name} is missing`);
    else if (normalize(type) !== normalize(column.type)) differences.push(`column ${column.name} is ${type}, expected ${column.type}`);
  }
  return differences;
}
