/**
 * Chooses and opens the store from `--store`, ANTHROTRACE_STORE or the default
 * SQLite file. Driver modules are imported only for the store in use.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { silentLogger } from '../core/logger.js';
import type { RepositoryAdapter } from './repository.js';

export type StoreSpec =
  | { kind: 'sqlite'; path: string }
  | { kind: 'clickhouse'; url: string };

/** `$XDG_DATA_HOME/anthrotrace/anthrotrace.db`, falling back to `~/.local/share`. */
export function defaultSqlitePath(env: NodeJS.ProcessEnv = process.env): string {
  const dataHome = env.XDG_DATA_HOME && env.XDG_DATA_HOME !== '' ? env.XDG_DATA_HOME : join(homedir(), '.local', 'share');
  return join(dataHome, 'anthrotrace', 'anthrotrace.db');
}

const ACCEPTED_FORMS = 'use a SQLite path, sqlite:PATH, clickhouse://HOST:PORT/DATABASE or clickhouses://HOST:PORT/DATABASE';

/**
 * A URL scheme before `://`. One letter is a Windows drive (`C://data`), not
 * a scheme.
 */
const URL_SCHEME = /^([a-z][a-z0-9+.-]+):\/\//i;

/**
 * Reject a SQLite path that opens a temporary database. SQLite opens an empty
 * path as a private temporary file and `:memory:` in memory, and deletes both
 * when the connection closes (https://www.sqlite.org/c3ref/open.html), so
 * every record written there would be lost.
 */
function checkSqlitePath(path: string, text: string, source: string, env: NodeJS.ProcessEnv): void {
  const leaveOut = source === '--store' ? 'leave out --store' : 'unset ANTHROTRACE_STORE or set it empty';
  const defaultAdvice = `or ${leaveOut} to use ${defaultSqlitePath(env)}`;
  if (path.trim() === '') {
    throw new InputError(`invalid ${source} ${JSON.stringify(text)}: the SQLite path is empty, which opens a temporary database that loses every record: pass a file path such as ./anthrotrace.db, ${defaultAdvice}`);
  }
  if (path === ':memory:') {
    throw new InputError(`invalid ${source} ${JSON.stringify(text)}: an in-memory database loses every record on exit: pass a file path such as ./anthrotrace.db, ${defaultAdvice}`);
  }
}

/**
 * Read the store from `flag` (--store), else ANTHROTRACE_STORE, else the
 * default SQLite file. An empty ANTHROTRACE_STORE counts as unset, as shells
 * write `ANTHROTRACE_STORE=` to clear a variable. An empty --store, an empty
 * path after `sqlite:`, `:memory:` and a URL with another scheme than
 * clickhouse or clickhouses are rejected with an `InputError`.
 */
export function resolveStoreSpec(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): StoreSpec {
  const fromEnv = env.ANTHROTRACE_STORE && env.ANTHROTRACE_STORE !== '' ? env.ANTHROTRACE_STORE : undefined;
  const text = flag ?? fromEnv;
  if (text === undefined) return { kind: 'sqlite', path: defaultSqlitePath(env) };
  const source = flag !== undefined ? '--store' : 'ANTHROTRACE_STORE';

  if (/^clickhouses?:\/\//i.test(text)) return { kind: 'clickhouse', url: text };
  if (/^clickhouses?:/i.test(text)) {
    throw new InputError(`invalid ${source} ${JSON.stringify(text)}: a ClickHouse store is a URL such as clickhouse://localhost:8123/anthrotrace`);
  }
  const path = text.startsWith('sqlite:') ? text.slice('sqlite:'.length) : text;
  const scheme = text.startsWith('sqlite:') ? null : URL_SCHEME.exec(text);
  if (scheme) {
    throw new InputError(`invalid ${source} ${JSON.stringify(text)}: unknown scheme "${scheme[1]}": ${ACCEPTED_FORMS}`);
  }
  checkSqlitePath(path, text, source, env);
  return { kind: 'sqlite', path };
}

export interface OpenOptions {
  logger?: Logger;
  env?: NodeJS.ProcessEnv;
}

/** Open the store and create or migrate its schema. */
export async function openRepository(spec: StoreSpec, options: OpenOptions = {}): Promise<RepositoryAdapter> {
  const logger = options.logger ?? silentLogger;
  const env = options.env ?? process.env;
  let repository: RepositoryAdapter;
  if (spec.kind === 'sqlite') {
    const { SQLiteRepository } = await import('./sqlite/repository.js');
    repository = new SQLiteRepository(spec.path, { logger });
  } else {
    const { ClickHousePromptLogRepository } = await import('./clickhouse/repository.js');
    repository = ClickHousePromptLogRepository.fromUrl(spec.url, { logger, env });
  }
  await repository.init();
  return repository;
}
