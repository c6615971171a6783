/**
 * Checks an existing file before the store opens it for writing. A file that
 * is not an AnthroTrace database is reported and left byte for byte as it
 * was, with no write, no new mtime and no -wal or -shm file beside it.
 *
 * The 100-byte SQLite header is read with plain file I/O, because SQLite
 * itself creates -wal and -shm files when it opens a WAL database, even
 * read-only. Header layout: https://www.sqlite.org/fileformat.html#the_database_header
 */
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { InputError, OperationError } from '../../core/errors.js';
import { APPLICATION_ID } from './schema.js';

const MAGIC = 'SQLite format 3\u0000';
const HEADER_BYTES = 100;

/** The kind of file at the store's path: none, an empty database to initialise, or an AnthroTrace database. */
export type StoreFileState = 'missing' | 'empty' | 'anthrotrace';

const notAnthroTrace = (path: string, reason: string) =>
  new InputError(`${path} is not an AnthroTrace database (${reason}): pass another file with --store or ANTHROTRACE_STORE`);

/** Report a damaged database; `detail` is SQLite's message or what the header check found. */
export const corruptDatabase = (path: string, detail: string, cause?: unknown) =>
  new OperationError(`${path} is a damaged AnthroTrace database (${detail}): restore it from a backup or pass another file with --store`, { cause });

function readHeader(path: string): Buffer {
  const descriptor = openSync(path, 'r');
  try {
    const header = Buffer.alloc(HEADER_BYTES);
    const length = readSync(descriptor, header, 0, HEADER_BYTES, 0);
    return header.subarray(0, length);
  } finally {
    closeSync(descriptor);
  }
}

/**
 * Classify the file at `path`. Throws `InputError` (exit 2) for a file that
 * is not an AnthroTrace database and `OperationError` (exit 1) for one of
 * ours whose header shows damage or that cannot be read.
 */
export function inspectStoreFile(path: string): StoreFileState {
  let size: number;
  try {
    const stats = statSync(path);
    if (stats.isDirectory()) throw new InputError(`${path} is a directory: pass a file path with --store or ANTHROTRACE_STORE`);
    size = stats.size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw error;
  }
  // SQLite treats an empty file as an empty database.
  if (size === 0) return 'empty';

  let header: Buffer;
  try {
    header = readHeader(path);
  } catch (error) {
    throw new OperationError(`cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  if (header.length < HEADER_BYTES || header.toString('latin1', 0, 16) !== MAGIC) {
    throw notAnthroTrace(path, 'not an SQLite database');
  }

  const applicationId = header.readUInt32BE(68);
  if (applicationId === APPLICATION_ID) {
    checkSize(path, header, size);
    return 'anthrotrace';
  }
  if (applicationId !== 0) throw notAnthroTrace(path, `an SQLite database with application id ${applicationId}`);
  // This store writes its application id before it switches a file to WAL,
  // so a WAL database without one belongs to another program.
  if (header[18] === 2) throw notAnthroTrace(path, 'an SQLite database of another program');
  return inspectTables(path);
}

/**
 * Compare the page count in the header with the file size, which catches a
 * truncated copy. Skipped while a -wal file exists: another process may be
 * checkpointing, which writes the header before it extends the file.
 */
function checkSize(path: string, header: Buffer, size: number): void {
  if (existsSync(`${path}-wal`)) return;
  const rawPageSize = header.readUInt16BE(16);
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
  const pages = header.readUInt32BE(28);
  // The page count is valid only when the change counter matches "version-valid-for".
  const pageCountValid = pages > 0 && header.readUInt32BE(24) === header.readUInt32BE(92);
  if (pageCountValid && size < pages * pageSize) {
    throw corruptDatabase(path, `the header lists ${pages} pages of ${pageSize} bytes but the file has ${size} bytes`);
  }
}

/**
 * Open a rollback-journal database read-only, which creates no files, and
 * accept it only when it has no tables yet or is ours by now.
 */
function inspectTables(path: string): StoreFileState {
  let names: string[];
  let applicationId: number;
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true, timeout: 5000 });
    try {
      names = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).pluck().all() as string[];
      applicationId = Number(db.pragma('application_id', { simple: true }));
    } finally {
      db.close();
    }
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') throw notAnthroTrace(path, (error as Error).message);
    throw new OperationError(`cannot open ${path}: ${(error as Error).message}`, { cause: error });
  }
  // Another process may have created the schema between the header read and this locked read.
  if (applicationId === APPLICATION_ID) return 'anthrotrace';
  if (names.length === 0) return 'empty';
  const listed = names.slice(0, 5).join(', ') + (names.length > 5 ? ', ...' : '');
  throw notAnthroTrace(path, `an SQLite database with other tables: ${listed}`);
}
