/**
 * The embedded store: one SQLite file through better-sqlite3. Several
 * processes may write to the same file at once: WAL lets readers and one
 * writer work side by side, and a 5-second busy timeout makes a writer wait
 * for the lock instead of failing with SQLITE_BUSY.
 */
import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type BetterSqlite3 from 'better-sqlite3';
import type { Logger } from '../../core/logger.js';
import { silentLogger } from '../../core/logger.js';
import { OperationError } from '../../core/errors.js';
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
import { aggregateRecords } from './aggregate.js';
import { aggregateOnWorker } from './aggregate-worker.js';
import { corruptDatabase, inspectStoreFile } from './file-check.js';
import { filterSql } from './filter.js';
import { checkReadOnlySchema, chooseOpenMode, readOnlyInsertError, sharedMemoryError } from './read-only.js';
import { INSERT_COLUMNS, INSERT_SQL, recordToRow, rowToRecord, SELECT_COLUMNS, type RecordRow } from './rows.js';
import { migrate, SCHEMA_VERSION } from './schema.js';

/** Milliseconds a connection waits for another process's lock before SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 5000;

/** Batch sizes of `insertRowsFromFile`, which holds the write lock once per batch. */
export interface RowBatching {
  /** Rows in the first transaction. */
  firstBatch: number;
  /**
   * Milliseconds each later transaction should take: the next batch is sized
   * from the last one's rows per millisecond, at most twice as many rows.
   * Without it every batch has `firstBatch` rows.
   */
  targetMs?: number;
}

/**
 * Page cache sizes for `PRAGMA cache_size` (negative: KiB). Batch inserts get
 * up to 64 MiB so that they touch fewer index pages on disk. A streamed
 * `query` reads each page about once, so while it runs the cache drops to
 * SQLite's default of 2,000 KiB: a 64 MiB cache filled by a full scan made
 * `query --format jsonl` over 1,000,000 records peak above 150 MB RSS.
 */
const WRITE_CACHE_SIZE = -65536;
const SCAN_CACHE_SIZE = -2000;

export interface SQLiteRepositoryOptions {
  logger?: Logger;
}

export class SQLiteRepository implements RepositoryAdapter {
  readonly kind = 'sqlite' as const;
  readonly location: string;
  private readonly logger: Logger;
  private database: BetterSqlite3.Database | null = null;
  private insertStatement: BetterSqlite3.Statement | null = null;
  /** Set by `init` when this user cannot write the file or its directory. */
  private readOnly = false;

  constructor(
    readonly path: string,
    options: SQLiteRepositoryOptions = {},
  ) {
    this.location = path;
    this.logger = options.logger ?? silentLogger;
  }

  /**
   * Open the file, creating it and its parent directory when missing, and
   * create or migrate the schema. An existing file that this user cannot
   * write, or whose directory it cannot write, is opened read-only with no
   * migration. Throws `InputError` for a file that is not an AnthroTrace
   * database. Throws `OperationError` for a damaged one, a schema newer than
   * this build, or an older schema in a read-only file. In all these cases
   * the file is not modified.
   */
  async init(): Promise<void> {
    if (this.database) return;
    const state = inspectStoreFile(this.path);
    if (state === 'missing') mkdirSync(dirname(this.path), { recursive: true });
    const readOnly = state !== 'missing' && chooseOpenMode(this.path) === 'read-only';
    if (readOnly) this.logger.debug(`sqlite: ${this.path} or its directory is not writable: opening it read-only`);

    const db = new Database(this.path, { timeout: BUSY_TIMEOUT_MS, readonly: readOnly, fileMustExist: readOnly });
    try {
      // The timeout must be in force before the switch to WAL, which itself takes a lock.
      db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      this.checkReadable(db);
      if (readOnly) {
        checkReadOnlySchema(db, this.path);
        db.pragma(`cache_size = ${WRITE_CACHE_SIZE}`);
      } else {
        this.prepareForWriting(db);
      }
    } catch (error) {
      db.close();
      throw this.translate(error);
    }
    this.database = db;
    this.readOnly = readOnly;
    this.insertStatement = db.prepare(INSERT_SQL);
  }

  /** Create or migrate the schema, then switch to WAL and set the write pragmas. */
  private prepareForWriting(db: BetterSqlite3.Database): void {
    const result = migrate(db);
    if (result.kind === 'newer') {
      throw new OperationError(
        `${this.path} has schema version ${result.version}, newer than version ${SCHEMA_VERSION} that this AnthroTrace reads: upgrade anthrotrace`,
      );
    }
    if (result.kind === 'migrated') this.logger.debug(`sqlite: schema of ${this.path} migrated from version ${result.from} to ${result.to}`);
    db.pragma('journal_mode = WAL');
    // NORMAL is durable across process crashes in WAL mode; only a power loss can drop the last commits.
    db.pragma('synchronous = NORMAL');
    db.pragma(`cache_size = ${WRITE_CACHE_SIZE}`);
  }

  /** Read the schema and the first table page, which reports a damaged file before anything is written. */
  private checkReadable(db: BetterSqlite3.Database): void {
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    const hasRecords = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'records'`).get();
    if (hasRecords) db.prepare('SELECT seq FROM records LIMIT 1').get();
  }

  private translate(error: unknown): unknown {
    const code = (error as { code?: string }).code;
    if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') return corruptDatabase(this.path, (error as Error).message, error);
    return sharedMemoryError(error, this.path) ?? error;
  }

  private get db(): BetterSqlite3.Database {
    if (!this.database) throw new OperationError(`the SQLite store ${this.path} is not open: call init() first`);
    return this.database;
  }

  /** Insert in one transaction; a record whose id or request id is already stored is counted as a duplicate. */
  async insert(records: PromptRecord[]): Promise<InsertResult> {
    return this.insertSync(records);
  }

  /** Insert like `insert`, synchronously, for callers that batch inside their own loop. */
  insertSync(records: PromptRecord[]): InsertResult {
    if (records.length === 0) return { inserted: 0, duplicates: 0 };
    if (this.readOnly) throw readOnlyInsertError(this.path);
    const statement = this.insertStatement!;
    const run = this.db.transaction(() => {
      // Stamped after BEGIN IMMEDIATE has taken the write lock, so the rows become visible
      // at most one transaction's duration after this time (see DEFAULT_INGEST_LAG_MS).
      const ingestedAtMs = Date.now();
      let inserted = 0;
      for (const record of records) inserted += statement.run(recordToRow(record, ingestedAtMs)).changes;
      return inserted;
    });
    try {
      // IMMEDIATE takes the write lock at BEGIN, where the busy timeout applies, instead of failing on upgrade.
      const inserted = run.immediate();
      return { inserted, duplicates: records.length - inserted };
    } catch (error) {
      throw this.translate(error);
    }
  }

  /**
   * Insert the rows of `table` in the SQLite file at `path`, which has the
   * columns of `INSERT_COLUMNS` and rowids 1 to n, in rowid order. Each batch
   * is one transaction, so other processes can write between batches. SQLite
   * copies the rows itself, with no JavaScript object per row. A row whose id
   * or request id is already stored is counted as a duplicate.
   */
  insertRowsFromFile(path: string, table: string, batching: RowBatching): InsertResult {
    const db = this.db;
    if (this.readOnly) throw readOnlyInsertError(this.path);
    try {
      db.prepare('ATTACH DATABASE ? AS staged').run(path);
    } catch (error) {
      throw this.translate(error);
    }
    try {
      const total = Number(db.prepare(`SELECT count(*) FROM staged.${table}`).pluck().get());
      const values = INSERT_COLUMNS.map((column) => (column === 'ingested_at_ms' ? '@ingestedAtMs' : column));
      const copy = db.prepare(
        `INSERT OR IGNORE INTO main.records (${INSERT_COLUMNS.join(', ')}) SELECT ${values.join(', ')} ` +
          `FROM staged.${table} WHERE rowid > @after AND rowid <= @through ORDER BY rowid`,
      );
      const run = db.transaction((after: number, through: number) => copy.run({ ingestedAtMs: Date.now(), after, through }).changes);
      let inserted = 0;
      let batchSize = batching.firstBatch;
      for (let after = 0; after < total; ) {
        const through = Math.min(after + batchSize, total);
        const startedMs = performance.now();
        // IMMEDIATE, as in insertSync, so that waiting for another writer falls under the busy timeout.
        inserted += run.immediate(after, through);
        if (batching.targetMs !== undefined) {
          const rowsPerMs = (through - after) / Math.max(performance.now() - startedMs, 1);
          batchSize = Math.max(1, Math.min(Math.round(rowsPerMs * batching.targetMs), 2 * batchSize));
        }
        after = through;
      }
      return { inserted, duplicates: total - inserted };
    } catch (error) {
      throw this.translate(error);
    } finally {
      db.exec('DETACH DATABASE staged');
    }
  }

  /**
   * Stream matching records with `Statement.iterate`, one row at a time. Ties
   * in start time are ordered by id. The connection cannot write while the
   * iteration is open, so finish or break out of it before inserting.
   */
  async *query(filter: RecordFilter, options: QueryOptions): AsyncIterable<PromptRecord> {
    const where = filterSql(filter);
    const direction = options.order === 'desc' ? 'DESC' : 'ASC';
    const params: (string | number)[] = [...where.params];
    let sql = `SELECT ${SELECT_COLUMNS} FROM records r WHERE ${where.sql} ORDER BY r.started_at_ms ${direction}, r.id ${direction}`;
    if (options.limit !== undefined) {
      sql += ' LIMIT ?';
      params.push(options.limit);
    }
    const statement = this.db.prepare(sql).safeIntegers(true);
    // SQLite frees the cached pages beyond the new size.
    this.db.pragma(`cache_size = ${SCAN_CACHE_SIZE}`);
    try {
      for (const row of statement.iterate(...params)) yield rowToRecord(row as RecordRow);
    } catch (error) {
      throw this.translate(error);
    } finally {
      this.database?.pragma(`cache_size = ${WRITE_CACHE_SIZE}`);
    }
  }

  /**
   * Return the `limit` priced records with the highest total cost, dearest
   * first, then newer first, then by id, as the ClickHouse store orders them.
   * Without filters or with time bounds only, SQLite reads the `records_cost`
   * index in this order and stops after `limit` matches. With a category or
   * model filter it may choose that column's index and sort the matches.
   */
  async topByCost(filter: RecordFilter, limit: number): Promise<PromptRecord[]> {
    const where = filterSql(filter);
    const sql =
      `SELECT ${SELECT_COLUMNS} FROM records r WHERE r.cost_total_nanos IS NOT NULL AND ${where.sql} ` +
      'ORDER BY r.cost_total_nanos DESC, r.started_at_ms DESC, r.id ASC LIMIT ?';
    try {
      const rows = this.db.prepare(sql).safeIntegers(true).all(...where.params, limit) as RecordRow[];
      return rows.map(rowToRecord);
    } catch (error) {
      throw this.translate(error);
    }
  }

  async aggregate(request: AggregateRequest): Promise<AggregateRow[]> {
    try {
      return aggregateRecords(this.db, request);
    } catch (error) {
      throw this.translate(error);
    }
  }

  /**
   * Aggregate like `aggregate`, on a worker thread with its own connection, so
   * the event loop stays free while a long aggregation runs. The records
   * committed when the worker's statement starts are read.
   */
  aggregateOnWorker(request: AggregateRequest): Promise<AggregateRow[]> {
    return aggregateOnWorker(this.path, request);
  }

  assertWritable(): void {
    if (this.readOnly) throw readOnlyInsertError(this.path);
  }

  async stats(): Promise<StorageStats> {
    let row: { records: number; oldest: number | null; newest: number | null };
    try {
      row = this.db
        .prepare('SELECT count(*) AS records, min(started_at_ms) AS oldest, max(started_at_ms) AS newest FROM records')
        .get() as typeof row;
    } catch (error) {
      throw this.translate(error);
    }
    return {
      records: row.records,
      bytes: fileSize(this.path) + fileSize(`${this.path}-wal`),
      oldest: row.oldest === null ? null : new Date(row.oldest),
      newest: row.newest === null ? null : new Date(row.newest),
    };
  }

  /** Every insert is committed before it returns, so there is nothing to flush. */
  async flush(): Promise<void> {}

  async close(): Promise<void> {
    this.database?.close();
    this.database = null;
    this.insertStatement = null;
  }
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
