/**
 * Bringing the server to the schema: creating a missing database and table,
 * migrating an older table, and refusing, before anything is written, a table
 * this build cannot use.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { OperationError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { ClickHouseStoreConfig } from './config.js';
import { describeFailure, isAuthenticationError, isUnreachable, unknownClusterError } from './errors.js';
import {
  createDatabaseStatement,
  createTableStatements,
  describeColumnDifferences,
  migrationStatements,
  recordColumns,
  SCHEMA_VERSION,
  versionFromComment,
} from './schema.js';
import { applyTtls } from './ttl.js';

async function selectRows<T>(client: ClickHouseClient, query: string, params: Record<string, unknown>): Promise<T[]> {
  const result = await client.query({ query, query_params: params, format: 'JSONEachRow' });
  return result.json<T>();
}

async function ensureDatabase(client: ClickHouseClient, config: ClickHouseStoreConfig, logger: Logger): Promise<void> {
  const found = await selectRows(client, 'SELECT name FROM system.databases WHERE name = {database:String}', { database: config.database });
  if (found.length > 0) return;
  try {
    await client.command({ query: createDatabaseStatement(config) });
  } catch (error) {
    if (isUnreachable(error) || isAuthenticationError(error)) throw error;
    const cluster = unknownClusterError(error, config.location);
    if (cluster !== null) throw cluster;
    throw new OperationError(
      `ClickHouse database ${config.database} does not exist at ${config.location} and could not be created (${describeFailure(error)}): ` +
        `create it with CREATE DATABASE ${config.database}, or name an existing database in the store URL`,
      { cause: error },
    );
  }
  logger.info(`created ClickHouse database ${config.database} at ${config.location}`);
}

interface TableRow {
  name: string;
  engine: string;
  comment: string;
}

/**
 * Checks an existing table: its engine, its columns and the schema version in
 * its comment. Throws, naming every difference, when the table cannot be used.
 */
async function checkTable(client: ClickHouseClient, config: ClickHouseStoreConfig, table: TableRow): Promise<number | null> {
  const expectedEngine = config.cluster === null ? 'ReplacingMergeTree' : 'Distributed';
  const differences: string[] = [];
  if (table.engine !== expectedEngine) differences.push(`engine is ${table.engine}, expected ${expectedEngine}`);
  const columns = await selectRows<{ name: string; type: string }>(
    client,
    'SELECT name, type FROM system.columns WHERE database = {database:String} AND table = {table:String}',
    { database: config.database, table: config.table },
  );
  differences.push(...describeColumnDifferences(recordColumns(config), new Map(columns.map((column) => [column.name, column.type]))));
  const version = versionFromComment(table.comment);
  if (differences.length > 0 && !(version !== null && version < SCHEMA_VERSION)) {
    throw new OperationError(
      `ClickHouse table ${config.database}.${config.table} at ${config.location} does not match the AnthroTrace schema: ${differences.join('; ')}. ` +
        'Nothing was changed: choose another table with ?table=NAME in the store URL, or rename or drop this one',
    );
  }
  if (version !== null && version > SCHEMA_VERSION) {
    throw new OperationError(
      `ClickHouse table ${config.database}.${config.table} has schema version ${version}, newer than version ${SCHEMA_VERSION} that this AnthroTrace reads: upgrade anthrotrace`,
    );
  }
  return version;
}

/** Creates or migrates the database and table; leaves a table it cannot use untouched and throws. */
export async function ensureSchema(client: ClickHouseClient, config: ClickHouseStoreConfig, logger: Logger): Promise<void> {
  await ensureDatabase(client, config, logger);
  const tables = await selectRows<TableRow>(
    client,
    'SELECT name, engine, comment FROM system.tables WHERE database = {database:String} AND name = {table:String}',
    { database: config.database, table: config.table },
  );
  const existing = tables[0];
  if (existing === undefined) {
    for (const statement of createTableStatements(config)) await client.command({ query: statement });
    logger.debug(`clickhouse: created table ${config.database}.${config.table} (schema version ${SCHEMA_VERSION})`);
    return;
  }
  const version = await checkTable(client, config, existing);
  if (version !== null && version < SCHEMA_VERSION) {
    for (const statement of migrationStatements(config, version)) await client.command({ query: statement });
    logger.info(`migrated ClickHouse table ${config.database}.${config.table} from schema version ${version} to ${SCHEMA_VERSION}`);
  }
  if (config.textTtlDays === null && config.rowTtlDays === null) return;
  // In cluster mode the TTLs belong to the local tables that hold the rows.
  const [local] = await selectRows<{ create_table_query: string }>(
    client,
    'SELECT create_table_query FROM system.tables WHERE database = {database:String} AND name = {table:String}',
    { database: config.database, table: config.cluster === null ? config.table : `${config.table}_local` },
  );
  if (local !== undefined) await applyTtls(client, config, local.create_table_query, logger);
}
