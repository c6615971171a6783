/**
 * Opening the store that `--store` or ANTHROTRACE_STORE names (default: the
 * SQLite file under $XDG_DATA_HOME), with driver errors turned into one-line
 * messages.
 *
 * Exit code 2 means the path is not an AnthroTrace database: another file,
 * another program's SQLite database or a directory. Exit code 1 means the
 * store failed: a damaged database, a schema from a newer AnthroTrace, no
 * permission, a full disk or a server that cannot be reached.
 */
import { AnthroTraceError, OperationError } from '../core/errors.js';
import type { RepositoryAdapter } from '../store/repository.js';
import type { StoreSpec } from '../store/open.js';
import type { CliContext } from './context.js';

const SQLITE_ADVICE: Record<string, string> = {
  SQLITE_CANTOPEN: 'check that the directory exists and is writable',
  SQLITE_READONLY: 'check that the file and its directory are writable',
  SQLITE_PERM: 'check the file permissions',
  SQLITE_FULL: 'free disk space',
  SQLITE_IOERR: 'check the disk and the file system',
  SQLITE_BUSY: 'another process held the database lock for more than 5 seconds: retry',
  EACCES: 'check the permissions of the path',
  EROFS: 'the file system is read-only: choose another path',
  ENOSPC: 'free disk space',
};

function describeSpec(spec: StoreSpec): string {
  // Drop any password from a ClickHouse URL before it reaches a message.
  if (spec.kind === 'clickhouse') return spec.url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
  return spec.path;
}

/** Turn a driver or file-system error into an `OperationError` naming the store; AnthroTrace errors pass through. */
export function storeError(error: unknown, location: string): AnthroTraceError {
  if (error instanceof AnthroTraceError) return error;
  const code = (error as { code?: string }).code ?? '';
  const message = error instanceof Error ? error.message : String(error);
  const baseCode = code.replace(/^(SQLITE_[A-Z]+)_.*$/, '$1');
  const advice = SQLITE_ADVICE[baseCode];
  return new OperationError(`store ${location} failed: ${message}${advice ? `: ${advice}` : ''}`, { cause: error });
}

/**
 * Open the store chosen by `--store`, ANTHROTRACE_STORE or the default path,
 * and create or migrate its schema. A SQLite file that this user cannot write
 * is opened read-only, so reports and queries work but inserts fail.
 */
export async function openStoreFromContext(ctx: CliContext): Promise<RepositoryAdapter> {
  const { openRepository, resolveStoreSpec } = await import('../store/open.js');
  const spec = resolveStoreSpec(ctx.options.store, ctx.env);
  ctx.logger.debug(`store: ${spec.kind} ${describeSpec(spec)}`);
  try {
    return await openRepository(spec, { logger: ctx.logger, env: ctx.env });
  } catch (error) {
    throw storeError(error, describeSpec(spec));
  }
}
