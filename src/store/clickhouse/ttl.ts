/**
 * Bringing the TTLs of an existing table to the ones the store URL requests
 * (`text_ttl_days`, `row_ttl_days`). A TTL the URL leaves out is kept as the
 * table has it, so a command without the option never removes one.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import type { Logger } from '../../core/logger.js';
import type { ClickHouseStoreConfig } from './config.js';
import { onCluster, qualifiedName, TEXT_COLUMNS } from './schema.js';

/** `toDateTime(started_at) + toIntervalDay(N)`, the form in which ClickHouse stores `+ INTERVAL N DAY`. */
const DAYS = String.raw`TTL toDateTime\(started_at\) \+ toIntervalDay\((\d+)\)`;

/** Days of the table TTL in `create_table_query`, null when there is none, or NaN for an expression of another form. */
export function rowTtlDays(createQuery: string): number | null {
  const engine = createQuery.slice(createQuery.lastIndexOf(' ENGINE = '));
  if (!/\bTTL\b/.test(engine)) return null;
  const match = new RegExp(DAYS).exec(engine);
  return match ? Number(match[1]) : Number.NaN;
}

/** Days of a column TTL in `create_table_query`, null when there is none, or NaN for an expression of another form. */
export function columnTtlDays(createQuery: string, column: string): number | null {
  const definition = new RegExp(`\`${column}\` ([^,]*?)(?:, |\\) ENGINE)`).exec(createQuery)?.[1] ?? '';
  if (!/\bTTL\b/.test(definition)) return null;
  const match = new RegExp(DAYS).exec(definition);
  return match ? Number(match[1]) : Number.NaN;
}

const describeDays = (days: number | null): string => (days === null ? 'none' : Number.isNaN(days) ? 'another expression' : `${days} days`);

/**
 * Applies the requested TTLs that differ from the table's with ALTER TABLE,
 * logging each change. ClickHouse then rewrites the affected parts in the
 * background (materialize_ttl_after_modify, on by default).
 */
export async function applyTtls(client: ClickHouseClient, config: ClickHouseStoreConfig, createQuery: string, logger: Logger): Promise<void> {
  const table = qualifiedName(config, 'local');
  const expression = (days: number) => `toDateTime(started_at) + INTERVAL ${days} DAY`;

  const rowDays = rowTtlDays(createQuery);
  if (config.rowTtlDays !== null && rowDays !== config.rowTtlDays) {
    await client.command({ query: `ALTER TABLE ${table}${onCluster(config)} MODIFY TTL ${expression(config.rowTtlDays)}` });
    logger.info(`changed the row TTL of ClickHouse table ${table} from ${describeDays(rowDays)} to ${config.rowTtlDays} days`);
  }

  if (config.textTtlDays === null) return;
  for (const column of TEXT_COLUMNS) {
    const columnDays = columnTtlDays(createQuery, column);
    if (columnDays === config.textTtlDays) continue;
    await client.command({ query: `ALTER TABLE ${table}${onCluster(config)} MODIFY COLUMN ${column} TTL ${expression(config.textTtlDays)}` });
    logger.info(`changed the TTL of column ${column} in ClickHouse table ${table} from ${describeDays(columnDays)} to ${config.textTtlDays} days`);
  }
}
