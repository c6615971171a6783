/**
 * The staging file of an import: a private SQLite file that contains every
 * parsed and priced record of the input as a row of the store's `records`
 * layout. The input is therefore parsed once, and nothing reaches the store
 * until the whole input has been read and checked. Rows keep input order
 * (rowid 1, 2, ...), and memory stays bounded because SQLite writes pages
 * beyond its cache to the file.
 */
import Database from 'better-sqlite3';
import type BetterSqlite3 from 'better-sqlite3';
import type { PromptRecord } from '../core/record.js';
import { INSERT_COLUMNS, recordToRow, rowToRecord, SELECT_COLUMNS, type RecordRow } from '../store/sqlite/rows.js';

const STAGING_TABLE = 'staged_records';

/** Columns declared INTEGER. Without this affinity SQLite would keep JS numbers, which better-sqlite3 binds as doubles, as REAL. */
const INTEGER_COLUMNS = new Set<string>([
  'started_at_ms', 'ingested_at_ms', 'duration_ms', 'time_to_first_token_ms', 'http_status', 'attempts',
  'input_tokens', 'output_tokens', 'cache_write_5m_tokens', 'cache_write_1h_tokens', 'cache_read_tokens',
  'web_search_requests', 'batch', 'cost_input_nanos', 'cost_output_nanos', 'cost_cache_write_5m_nanos',
  'cost_cache_write_1h_nanos', 'cost_cache_read_nanos', 'cost_web_search_nanos', 'cost_total_nanos',
]);

/** A new staging file that records are added to, and read back from for stores that cannot read the file. */
export class ImportStaging {
  /** The table of staged rows, which `SQLiteRepository.insertRowsFromFile` reads. */
  readonly table = STAGING_TABLE;
  private readonly db: BetterSqlite3.Database;
  private readonly insert: BetterSqlite3.Statement;
  private added = 0;

  /** Create the file at `path`; nothing may exist there yet. */
  constructor(readonly path: string) {
    this.db = new Database(path);
    // The file is private and deleted after the import, so it needs no journal and no fsync.
    this.db.pragma('journal_mode = OFF');
    this.db.pragma('synchronous = OFF');
    this.db.pragma('locking_mode = EXCLUSIVE');
    const columns = INSERT_COLUMNS.map((column) => `${column} ${INTEGER_COLUMNS.has(column) ? 'INTEGER' : 'TEXT'}`);
    this.db.exec(`CREATE TABLE ${STAGING_TABLE} (${columns.join(', ')})`);
    this.insert = this.db.prepare(`INSERT INTO ${STAGING_TABLE} (${INSERT_COLUMNS.join(', ')}) VALUES (${INSERT_COLUMNS.map(() => '?').join(', ')})`);
    // One transaction for all rows, because a commit per row would write each page many times.
    this.db.exec('BEGIN');
  }

  add(record: PromptRecord): void {
    // The store sets ingested_at_ms when the rows reach it, so 0 is a placeholder.
    this.insert.run(recordToRow(record, 0));
    this.added += 1;
  }

  /** Commit the added rows; call once, after the last `add`. */
  finish(): void {
    this.db.exec('COMMIT');
  }

  /** Yield the staged records in input order, `batchSize` at a time; call after `finish`. */
  *batches(batchSize: number): Generator<PromptRecord[]> {
    // Rowids run from 1 to the number added without gaps, because the table is new and nothing is deleted.
    const select = this.db
      .prepare(`SELECT ${SELECT_COLUMNS} FROM ${STAGING_TABLE} WHERE rowid > ? AND rowid <= ? ORDER BY rowid`)
      .safeIntegers(true);
    for (let after = 0; after < this.added; after += batchSize) {
      const rows = select.all(after, after + batchSize) as RecordRow[];
      yield rows.map(rowToRecord);
    }
  }

  /** Close the file, once or more; the caller deletes it. */
  close(): void {
    if (!this.db.open) return;
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
    this.db.close();
  }
}
