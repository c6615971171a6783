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
import { corruptDatabase, inspectStoreFile } from './file-check.js';
import { filterSql } from './filter.js';
import { INSERT_SQL, recordToRow, rowToRecord, SELECT_COLUMNS, type RecordRow } from './rows.js';
import { migrate, SCHEMA_VERSION } from './schema.js';

/** Milliseconds a connection waits for another process's lock before SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 5000;

export interface SQLiteRepositoryOptions {
  logger?: Logger;
}

export class SQLiteRepository implements RepositoryAdapter {
  readonly kind = 'sqlite' as const;
  readonly location: string;
  private readonly logger: Logger;
  private database: BetterSqlite3.Database | null = null;
  private insertStatement: BetterSqlite3.Statement | null = null;

  constructor(
    readonly path: string,
    options: SQLiteRepositoryOptions = {},
  ) {
    this.location = path;
    this.logger = options.logger ?? silentLogger;
  }

  /**
   * Open the file, creating it and its parent directory when missing, and
   * create or migrate the schema. Throws `InputError` for a file that is not
   * an AnthroTrace database. Throws `OperationError` for a damaged one or a
   * schema newer than this build. In both cases the file is not modified.
   */
  async init(): Promise<void> {
    if (this.database) return;
    const state = inspectStoreFile(this.path);
    if (state === 'missing') mkdirSync(dirname(this.path), { recursive: true });

    const db = new Database(this.path, { timeout: BUSY_TIMEOUT_MS });
    try {
      // The timeout must be in force before the switch to WAL, which itself takes a lock.
      db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      this.checkReadable(db);
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
      // Up to 64 MiB of page cache (the default is 2 MiB), so batch inserts touch fewer index pages on disk.
      db.pragma('cache_size = -65536');
    } catch (error) {
      db.close();
      throw this.translate(error);
    }
    this.database = db;
    this.insertStatement = db.prepare(INSERT_SQL);
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
    return error;
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
    const statement = this.insertStatement!;
    const ingestedAtMs = Date.now();
    const run = this.db.transaction(() => {
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
    try {
      for (const row of statement.iterate(...params)) yield rowToRecord(row as RecordRow);
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
