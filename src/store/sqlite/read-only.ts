/**
 * Read-only use of an existing store file that this user cannot write, such
 * as a database owned by another user or on a read-only mount. Reads work,
 * and nothing is written: no migration, no switch to WAL, no insert.
 *
 * SQLite reads a WAL database only through its -shm file, which it creates
 * when missing, even on a read-only connection. Without a writable directory
 * a read therefore works only while another connection keeps -wal and -shm
 * in place. This is the behaviour of SQLite 3.53.2 in better-sqlite3 12.11,
 * which test/sqlite-readonly.test.ts checks as the nobody user.
 */
import { accessSync, constants } from 'node:fs';
import { dirname } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { OperationError } from '../../core/errors.js';
import { SCHEMA_VERSION } from './schema.js';

export type OpenMode = 'read-write' | 'read-only';

/** Return whether this process may write `path`, by `access(2)`. A missing path is not writable. */
export function canWrite(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Choose how to open the existing store file at `path`. Writing needs the
 * file and either a writable directory, where SQLite creates the -wal, -shm
 * or -journal file, or existing writable -wal and -shm files. `isWritable`
 * is replaceable for tests, because root passes every `access` check.
 */
export function chooseOpenMode(path: string, isWritable: (path: string) => boolean = canWrite): OpenMode {
  if (!isWritable(path)) return 'read-only';
  if (isWritable(dirname(path))) return 'read-write';
  return isWritable(`${path}-wal`) && isWritable(`${path}-shm`) ? 'read-write' : 'read-only';
}

/**
 * Check the schema version of a read-only store: an older schema cannot be
 * migrated without write permission, and a newer one cannot be read.
 */
export function checkReadOnlySchema(db: BetterSqlite3.Database, path: string): void {
  const version = Number(db.pragma('user_version', { simple: true }));
  if (version > SCHEMA_VERSION) {
    throw new OperationError(`${path} has schema version ${version}, newer than version ${SCHEMA_VERSION} that this AnthroTrace reads: upgrade anthrotrace`);
  }
  if (version < SCHEMA_VERSION) {
    throw new OperationError(
      `${path} has schema version ${version}, older than version ${SCHEMA_VERSION}, and is read-only for this user: ` +
        'open it once as a user who can write the file and its directory to migrate it, or copy it to a writable directory',
    );
  }
}

/**
 * Report an insert into a store opened read-only. `send` and `bench` raise it
 * through `assertWritable` before their first API call.
 */
export function readOnlyInsertError(path: string): OperationError {
  return new OperationError(
    `cannot insert into ${path}: the store is read-only because this user cannot write the file or its directory: ` +
      'make both writable, or pass another file with --store',
  );
}

/**
 * Turn SQLite's failure to create or open the -shm file of a WAL database
 * into a message that names the fix, or return undefined for other errors.
 */
export function sharedMemoryError(error: unknown, path: string): OperationError | undefined {
  const code = (error as { code?: string }).code ?? '';
  if (code !== 'SQLITE_READONLY_DIRECTORY' && code !== 'SQLITE_READONLY_CANTINIT') return undefined;
  return new OperationError(
    `cannot read ${path}: SQLite must create or write ${path}-shm to read a WAL database, which this user cannot do (${code}): ` +
      'make the directory writable, or copy the file to a writable directory',
    { cause: error },
  );
}
