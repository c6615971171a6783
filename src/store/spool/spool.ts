/**
 * The spool: a local SQLite file that keeps rows a remote store did not
 * accept, until a later run delivers them. Every call is synchronous
 * (better-sqlite3), so rows can be saved from a signal or `exit` handler,
 * where no promise would finish. Several processes may share the file: WAL
 * and a busy timeout let them append at the same time.
 *
 * Rows are kept per target (the store location without its password), so a
 * spool shared by two stores delivers each row only to the store it was
 * meant for.
 */
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { OperationError } from '../../core/errors.js';

/** Milliseconds a writer waits for another process's lock. */
const BUSY_TIMEOUT_MS = 5000;

export interface SpooledRow {
  /** Position in the spool, for `remove`. */
  seq: number;
  recordId: string;
  requestId: string | null;
  /** The row in the target's own JSON form. */
  rowJson: string;
}

export interface NewSpooledRow {
  recordId: string;
  requestId: string | null;
  rowJson: string;
}

// createRequire loads the driver synchronously, which the signal and exit paths need.
const require = createRequire(import.meta.url);

/** A spool file that SQLite cannot open or read, such as a damaged or foreign file. */
export class SpoolUnusableError extends OperationError {}

export class Spool {
  private database: BetterSqlite3.Database | null = null;

  constructor(readonly path: string) {}

  /** Opens the file on first use; throws SpoolUnusableError, leaving the file as it is, when SQLite cannot read it. */
  private get db(): BetterSqlite3.Database {
    if (this.database) return this.database;
    mkdirSync(dirname(this.path), { recursive: true });
    const Database = require('better-sqlite3') as typeof BetterSqlite3;
    let db: BetterSqlite3.Database | undefined;
    try {
      db = new Database(this.path, { timeout: BUSY_TIMEOUT_MS });
      db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      // The first read of the header fails here for a file that is not an SQLite database, before anything is written.
      db.pragma('journal_mode = WAL');
    } catch (error) {
      db?.close();
      const reason = error instanceof Error ? error.message : String(error);
      throw new SpoolUnusableError(
        `cannot open the spool ${this.path} (${reason}): move the file aside, for example to ${this.path}.damaged, and run the command again; a new spool is created in its place`,
        { cause: error },
      );
    }
    db.exec(`
      CREATE TABLE IF NOT EXISTS spooled_rows (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        target TEXT NOT NULL,
        record_id TEXT NOT NULL,
        request_id TEXT,
        row_json TEXT NOT NULL,
        spooled_at_ms INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS spooled_rows_target ON spooled_rows (target, seq);
    `);
    this.database = db;
    return db;
  }

  /** Appends rows in one transaction. */
  append(target: string, rows: readonly NewSpooledRow[]): void {
    if (rows.length === 0) return;
    const insert = this.db.prepare(
      'INSERT INTO spooled_rows (target, record_id, request_id, row_json, spooled_at_ms) VALUES (?, ?, ?, ?, ?)',
    );
    const now = Date.now();
    this.db.transaction(() => {
      for (const row of rows) insert.run(target, row.recordId, row.requestId, row.rowJson, now);
    }).immediate();
  }

  /** Returns the oldest `limit` rows for `target` after position `afterSeq`. */
  take(target: string, limit: number, afterSeq = 0): SpooledRow[] {
    return this.db
      .prepare(
        `SELECT seq, record_id AS recordId, request_id AS requestId, row_json AS rowJson
         FROM spooled_rows WHERE target = ? AND seq > ? ORDER BY seq LIMIT ?`,
      )
      .all(target, afterSeq, limit) as SpooledRow[];
  }

  remove(seqs: readonly number[]): void {
    if (seqs.length === 0) return;
    const remove = this.db.prepare('DELETE FROM spooled_rows WHERE seq = ?');
    this.db.transaction(() => {
      for (const seq of seqs) remove.run(seq);
    }).immediate();
  }

  count(target: string): number {
    const row = this.db.prepare('SELECT count(*) AS count FROM spooled_rows WHERE target = ?').get(target) as { count: number };
    return row.count;
  }

  /** Number of rows for every target. */
  total(): number {
    const row = this.db.prepare('SELECT count(*) AS count FROM spooled_rows').get() as { count: number };
    return row.count;
  }

  /**
   * Gives the file's free pages back to the file system once no row is left:
   * SQLite reuses deleted pages but never shrinks the file by itself. VACUUM
   * waits for, and fails on, readers of other processes, so a failure only
   * leaves the file at its size.
   */
  compactWhenEmpty(): boolean {
    if (this.total() > 0 || Number(this.db.pragma('freelist_count', { simple: true })) === 0) return false;
    try {
      this.db.exec('VACUUM');
      this.db.pragma('wal_checkpoint(TRUNCATE)');
      return true;
    } catch {
      return false;
    }
  }

  close(): void {
    this.database?.close();
    this.database = null;
  }
}
