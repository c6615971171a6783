/**
 * Chooses and opens the store from `--store`, ANTHROTRACE_STORE or the default
 * SQLite file. Driver modules are imported only for the store in use.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
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

export function resolveStoreSpec(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): StoreSpec {
  const text = flag ?? (env.ANTHROTRACE_STORE && env.ANTHROTRACE_STORE !== '' ? env.ANTHROTRACE_STORE : undefined);
  if (text === undefined) return { kind: 'sqlite', path: defaultSqlitePath(env) };
  if (/^clickhouses?:\/\//i.test(text)) return { kind: 'clickhouse', url: text };
  if (text.startsWith('sqlite:')) return { kind: 'sqlite', path: text.slice('sqlite:'.length) };
  return { kind: 'sqlite', path: text };
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
