/**
 * The ClickHouse store over @clickhouse/client (HTTP). Writes are buffered
 * and sent in batches. A batch that ClickHouse does not accept goes to the
 * local spool, and the command still succeeds with a warning. Reads flush
 * the buffer first and read with FINAL, so a record delivered twice counts once.
 */
import { existsSync } from 'node:fs';
import type { ClickHouseClient } from '@clickhouse/client';
import type { Logger } from '../../core/logger.js';
import { silentLogger } from '../../core/logger.js';
import type { PromptRecord } from '../../core/record.js';
import type {
  AggregateRequest,
  AggregateRow,
  InsertResult,
  QueryOptions,
  RecordFilter,
  RepositoryAdapter,
  StorageStats,
} from '../repository.js';
import { Spool, SpoolUnusableError } from '../spool/spool.js';
import { parseClickHouseUrl, type ClickHouseStoreConfig } from './config.js';
import { describeFailure, isUnreachable, translateError } from './errors.js';
import { epochSecondsText, recordToRow, rowToRecord, SELECT_COLUMNS, type SelectedRow } from './rows.js';
import { qualifiedName } from './schema.js';
import { ensureSchema } from './setup.js';
import { aggregateSql, checkBoundaries, filterSql, ParameterList } from './sql.js';
import { countRecords, SpoolDelivery, type DeliveryResult } from './delivery.js';
import { BatchWriter } from './writer.js';
import { aggregateRowFromColumns } from '../aggregate-row.js';

export interface ClickHouseRepositoryOptions {
  logger?: Logger;
  env?: NodeJS.ProcessEnv;
  /** Deliver spooled records during `init()`; `anthrotrace flush` turns this off to count them itself. Default true. */
  deliverSpoolOnInit?: boolean;
}

/** Settings for every read: exact 64-bit integers in JSON, and FINAL merged per partition, which is safe because copies share a partition. */
const READ_SETTINGS = { output_format_json_quote_64bit_integers: 1, do_not_merge_across_partitions_select_final: 1 } as const;

export class ClickHousePromptLogRepository implements RepositoryAdapter {
  readonly kind = 'clickhouse' as const;
  readonly location: string;
  private readonly logger: Logger;
  private client: ClickHouseClient | null = null;
  private schemaReady: Promise<void> | null = null;
  private readonly writer: BatchWriter;
  private readonly delivery: SpoolDelivery;
  private closed = false;

  constructor(
    readonly config: ClickHouseStoreConfig,
    private readonly options: ClickHouseRepositoryOptions = {},
  ) {
    this.location = config.location;
    this.logger = options.logger ?? silentLogger;
    this.delivery = new SpoolDelivery(config, new Spool(config.spoolPath), this.logger, () => this.connect());
    this.writer = new BatchWriter({
      batchSize: config.batchSize,
      flushIntervalMs: config.flushIntervalMs,
      deliver: (rows) => this.delivery.sendOrSpool(rows),
      spoolSync: (rows) => {
        this.delivery.spoolRows(rows, 'interrupted before delivery');
        // The exit hook runs after close() could warn, so it warns itself.
        if (this.closed) this.delivery.reportSpooled();
      },
      beforeSignalExit: () => this.delivery.reportSpooled(),
    });
  }

  /** Opens the store described by a `clickhouse://` or `clickhouses://` URL; nothing is contacted until `init()`. */
  static fromUrl(url: string, options: ClickHouseRepositoryOptions = {}): ClickHousePromptLogRepository {
    return new ClickHousePromptLogRepository(parseClickHouseUrl(url, options.env ?? process.env), options);
  }

  /**
   * Connects and creates or migrates the schema, then delivers spooled
   * records. An unreachable server is not an error here: writes then go to
   * the spool and reads fail with the reason. Wrong credentials, a table of
   * another shape or a database that cannot be created throw.
   */
  async init(): Promise<void> {
    try {
      await this.connect();
    } catch (error) {
      if (!isUnreachable(error)) throw error;
      this.delivery.markUnreachable(error);
      this.logger.debug(`clickhouse: ${this.location} is unreachable at start (${describeFailure(error)})`);
      return;
    }
    if (this.options.deliverSpoolOnInit === false || !existsSync(this.config.spoolPath)) return;
    let result: DeliveryResult;
    try {
      result = await this.delivery.deliverSpool();
    } catch (error) {
      // Reads do not need the spool; a write that must spool fails later with the same advice.
      if (!(error instanceof SpoolUnusableError)) throw error;
      this.logger.warn(`${error.message}; until then spooled records are not delivered`);
      return;
    }
    if (result.delivered > 0 || result.remaining > 0) {
      this.logger.info(`delivered ${countRecords(result.delivered)} from the spool to ${this.location}; ${result.remaining} remain in ${this.config.spoolPath}`);
    }
  }

  /** Returns the client once the schema is in place; a failed attempt is retried on the next call. */
  private async connect(): Promise<ClickHouseClient> {
    if (!this.client) {
      const { createClient, ClickHouseLogLevel } = await import('@clickhouse/client');
      this.client = createClient({
        url: this.config.serverUrl,
        username: this.config.user,
        password: this.config.password,
        request_timeout: this.config.timeoutMs,
        application: 'anthrotrace',
        // The client's own logger would print request details to stderr; failures reach the user through our errors.
        log: { level: ClickHouseLogLevel.OFF },
      });
    }
    const client = this.client;
    if (!this.schemaReady) {
      this.schemaReady = ensureSchema(client, this.config, this.logger);
      this.schemaReady.catch(() => (this.schemaReady = null));
    }
    try {
      await this.schemaReady;
    } catch (error) {
      throw translateError(error, this.location, this.config.user, 'prepare the schema');
    }
    return client;
  }

  /**
   * Buffers the new records. A record whose id or request id is already
   * stored, buffered or earlier in `records` counts as a duplicate. When the
   * duplicate check itself fails, the records go to the spool and the check
   * runs again on delivery.
   */
  async insert(records: PromptRecord[]): Promise<InsertResult> {
    const candidates = this.delivery.withoutKnownKeys(records);
    if (candidates.length === 0) return { inserted: 0, duplicates: records.length };
    const { fresh, failure } = await this.delivery.withoutStored(candidates);
    // Buffered records count as received now; rows that end in the spool are stamped again on delivery.
    const receivedAt = epochSecondsText(Date.now());
    const rows = fresh.map((record) => ({ ...recordToRow(record), ingested_at: receivedAt }));
    this.delivery.remember(rows);
    if (failure !== null) this.delivery.spoolRows(rows, failure);
    else await this.writer.add(rows);
    return { inserted: fresh.length, duplicates: records.length - fresh.length };
  }

  /** Streams records in start-time order, ties by id, reading one response chunk at a time. */
  async *query(filter: RecordFilter, options: QueryOptions): AsyncIterable<PromptRecord> {
    const client = await this.readyForRead();
    const params = new ParameterList();
    const direction = options.order === 'desc' ? 'DESC' : 'ASC';
    let sql = `SELECT ${SELECT_COLUMNS} FROM ${qualifiedName(this.config)} FINAL WHERE ${filterSql(filter, params)} ORDER BY started_at ${direction}, id ${direction}`;
    if (options.limit !== undefined) sql += ` LIMIT ${params.add('UInt64', options.limit)}`;
    const result = await this.read(() => client.query({ query: sql, query_params: params.values, format: 'JSONEachRow', clickhouse_settings: READ_SETTINGS }));
    const chunks = result.stream<SelectedRow>()[Symbol.asyncIterator]();
    for (;;) {
      // A server that goes away mid-stream fails here; the error names the store like every other read.
      const next = await this.read(() => chunks.next());
      if (next.done) break;
      for (const row of next.value) yield rowToRecord(row.json());
    }
  }

  /** Returns the `limit` priced records with the highest total cost, dearest first; ties newer first, then by id. */
  async topByCost(filter: RecordFilter, limit: number): Promise<PromptRecord[]> {
    const client = await this.readyForRead();
    const params = new ParameterList();
    const sql =
      `SELECT ${SELECT_COLUMNS} FROM ${qualifiedName(this.config)} FINAL WHERE priced AND ${filterSql(filter, params)} ` +
      `ORDER BY cost_total_nanos DESC, started_at DESC, id ASC LIMIT ${params.add('UInt64', limit)}`;
    const rows = await this.read(async () => {
      const result = await client.query({ query: sql, query_params: params.values, format: 'JSONEachRow', clickhouse_settings: READ_SETTINGS });
      return result.json<SelectedRow>();
    });
    return rows.map(rowToRecord);
  }

  async aggregate(request: AggregateRequest): Promise<AggregateRow[]> {
    const boundaries = request.bucketBoundaries;
    if (boundaries !== undefined) {
      checkBoundaries(boundaries);
      if (boundaries.length < 2) return [];
    }
    const client = await this.readyForRead();
    const statement = aggregateSql(qualifiedName(this.config), request);
    const rows = await this.read(async () => {
      const result = await client.query({ query: statement.sql, query_params: statement.params, format: 'JSONEachRow', clickhouse_settings: READ_SETTINGS });
      return result.json<Record<string, string | number | null>>();
    });
    // Equal boundaries make empty buckets; the record belongs to the later index, as in the SQLite store.
    const bucketByLower = new Map<number, number>();
    if (boundaries !== undefined) for (let index = 0; index + 1 < boundaries.length; index += 1) bucketByLower.set(boundaries[index]!, index);
    return rows.map((row) =>
      aggregateRowFromColumns(
        row,
        request.dimensions.length,
        row.bucket_lower_ms === null ? null : bucketByLower.get(Number(row.bucket_lower_ms))!,
        BigInt(String(row.cost_nanos)),
      ),
    );
  }

  async stats(): Promise<StorageStats> {
    const client = await this.readyForRead();
    const row = await this.read(async () => {
      const result = await client.query({
        query: `SELECT count() AS records, toString(min(toUnixTimestamp64Milli(started_at))) AS oldest, toString(max(toUnixTimestamp64Milli(started_at))) AS newest FROM ${qualifiedName(this.config)} FINAL`,
        format: 'JSONEachRow',
        clickhouse_settings: READ_SETTINGS,
      });
      return (await result.json<{ records: string; oldest: string; newest: string }>())[0]!;
    });
    const records = Number(row.records);
    return {
      records,
      bytes: await this.storedBytes(client),
      oldest: records === 0 ? null : new Date(Number(row.oldest)),
      newest: records === 0 ? null : new Date(Number(row.newest)),
    };
  }

  /** Returns the bytes on disk of the active parts, or null in cluster mode, where system.parts lists only the parts of the node that runs the query. */
  private async storedBytes(client: ClickHouseClient): Promise<number | null> {
    if (this.config.cluster !== null) return null;
    const result = await this.read(() =>
      client.query({
        query: 'SELECT toString(sum(bytes_on_disk)) AS bytes FROM system.parts WHERE active AND database = {database:String} AND table = {table:String}',
        query_params: { database: this.config.database, table: this.config.table },
        format: 'JSONEachRow',
      }),
    );
    const [row] = await result.json<{ bytes: string }>();
    return row === undefined ? null : Number(row.bytes);
  }

  /** Sends every buffered record; records ClickHouse does not accept go to the spool. */
  async flush(): Promise<void> {
    await this.writer.flush();
  }

  /** Delivers the spool to ClickHouse; throws OperationError when it stays unreachable, keeping the spool. */
  async deliverSpool(): Promise<DeliveryResult> {
    await this.flush();
    return this.delivery.deliverSpool({ throwWhenUnreachable: true });
  }

  /** Records this process saved to the spool instead of ClickHouse. */
  get spooledRecords(): number {
    return this.delivery.spooled;
  }

  /** The command that delivers the spool to this store, with the password masked. */
  get flushCommand(): string {
    return this.delivery.flushCommand;
  }

  /** Sends the buffer, then warns once about every record this process had to spool. */
  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      this.closed = true;
      this.delivery.reportSpooled();
    }
    this.delivery.close();
    await this.client?.close();
    this.client = null;
  }

  /** Flushes the buffer, so that a read includes this process's own writes, and connects. */
  private async readyForRead(): Promise<ClickHouseClient> {
    await this.flush();
    return this.connect();
  }

  private async read<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw translateError(error, this.location, this.config.user, 'read records');
    }
  }
}
