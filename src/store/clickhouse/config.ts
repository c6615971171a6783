/**
 * The ClickHouse store's settings, read from a
 * `clickhouse://[user[:password]@]host[:port]/database?option=value` URL
 * (`clickhouses://` for TLS). CLICKHOUSE_HOST, CLICKHOUSE_PORT,
 * CLICKHOUSE_USER, CLICKHOUSE_PASSWORD and CLICKHOUSE_DATABASE fill in what
 * the URL leaves out. The options are listed in docs/clickhouse.md.
 */
import { dirname, join } from 'node:path';
import { InputError } from '../../core/errors.js';
import { defaultSqlitePath } from '../open.js';

export interface ClickHouseStoreConfig {
  /** `http://host:port` or `https://host:port`, without credentials. */
  serverUrl: string;
  user: string;
  password: string;
  database: string;
  table: string;
  /** Cluster name for `ON CLUSTER` DDL, replicated tables and a Distributed table; null for one server. */
  cluster: string | null;
  /** Days after `started_at` at which prompt and response text is cleared; null keeps it. */
  textTtlDays: number | null;
  /** Days after `started_at` at which whole rows are deleted; null keeps them. */
  rowTtlDays: number | null;
  /** Use ClickHouse async inserts (`async_insert=1, wait_for_async_insert=1`), for many processes each writing a few records. */
  asyncInsert: boolean;
  /** Records per INSERT. */
  batchSize: number;
  /** Maximum time a buffered record waits before it is sent, in milliseconds. */
  flushIntervalMs: number;
  /** Timeout of one HTTP request, in milliseconds, which bounds how long an unreachable server can stall a command. */
  timeoutMs: number;
  /** SQLite file that keeps records ClickHouse did not accept. */
  spoolPath: string;
  /** The store without its password, for messages: `clickhouse://user@host:port/database/table`. */
  location: string;
  /** The store URL as given, with the password replaced by `***`, for hints that repeat `--store`. */
  redactedUrl: string;
}

/** Chosen from measurements with bench/clickhouse-import.mjs (1,000 to 50,000 tried); see docs/benchmarks.md. */
export const DEFAULT_BATCH_SIZE = 50_000;
export const DEFAULT_FLUSH_INTERVAL_MS = 1_000;
export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_TABLE = 'anthrotrace_records';

const NO_HOST = 'no-host.invalid';
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
/**
 * TTL expressions are DateTime, whose range ends on 2106-02-07: a record's
 * start plus a longer TTL wraps around to a past instant, and ClickHouse then
 * deletes the row at once. 10,000 days (about 27 years) stays inside that range.
 */
const MAX_TTL_DAYS = 10_000;

/**
 * A record is stamped as ingested when insert() receives it, but reaches
 * ClickHouse only when its batch is sent. serve-metrics leaves records
 * younger than its ingest lag (10 s for ClickHouse) for a later read, so a
 * buffer must be sent well within that lag or its records are never counted.
 */
const MAX_FLUSH_INTERVAL_MS = 5_000;

const OPTIONS = new Set(['table', 'cluster', 'text_ttl_days', 'row_ttl_days', 'async_insert', 'batch_size', 'flush_interval_ms', 'timeout_ms', 'spool']);

/** Checks a database, table or cluster name, which is written into DDL unquoted. */
export function checkIdentifier(kind: string, name: string): string {
  if (!IDENTIFIER.test(name)) {
    throw new InputError(
      `invalid ClickHouse ${kind} name ${JSON.stringify(name)}: use 1 to 128 letters, digits and underscores, not starting with a digit`,
    );
  }
  return name;
}

function readInteger(name: string, text: string | null, fallback: number | null, min: number, max: number): number | null {
  if (text === null || text === '') return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new InputError(`invalid ClickHouse store option ${name}=${JSON.stringify(text)}: use a whole number from ${min} to ${max}`);
  }
  return value;
}

function readBoolean(name: string, text: string | null): boolean {
  if (text === null || text === '' || text === '0' || text === 'false') return false;
  if (text === '1' || text === 'true') return true;
  throw new InputError(`invalid ClickHouse store option ${name}=${JSON.stringify(text)}: use 1 or 0`);
}

const nonEmpty = (value: string | undefined): string | undefined => (value === undefined || value === '' ? undefined : value);

/** Parses the store URL and fills the gaps from the environment; throws InputError naming the bad part. */
export function parseClickHouseUrl(text: string, env: NodeJS.ProcessEnv = process.env): ClickHouseStoreConfig {
  const match = /^(clickhouses?):\/\//i.exec(text);
  if (!match) throw new InputError(`invalid ClickHouse store URL: it must start with clickhouse:// or clickhouses://`);
  let url: URL;
  let rest = text.slice(match[0].length);
  // Without a host (`clickhouse:///db`, `clickhouse://`), CLICKHOUSE_HOST or localhost applies.
  const hostless = rest === '' || /^[/?]/.test(rest);
  if (hostless) rest = `${NO_HOST}${rest}`;
  try {
    // URL parses host, port and credentials only for special schemes such as http.
    url = new URL(`http://${rest}`);
  } catch {
    throw new InputError(`invalid ClickHouse store URL ${JSON.stringify(redactUrl(text))}: use clickhouse://[user[:password]@]host[:port]/database`);
  }
  const tls = match[1]!.toLowerCase() === 'clickhouses';
  for (const name of new Set(url.searchParams.keys())) {
    if (!OPTIONS.has(name)) throw new InputError(`unknown ClickHouse store option ${JSON.stringify(name)}: use one of ${[...OPTIONS].join(', ')}`);
    const values = url.searchParams.getAll(name);
    if (values.length > 1) {
      throw new InputError(`invalid ClickHouse store URL: option ${name} is given ${values.length} times (${values.map((value) => JSON.stringify(value)).join(', ')}): give it once`);
    }
  }
  for (const name of ['table', 'cluster', 'spool']) {
    if (url.searchParams.get(name) === '') throw new InputError(`invalid ClickHouse store option ${name}=: the value is empty; give a value or leave the option out`);
  }

  const host = (hostless ? undefined : nonEmpty(url.hostname)) ?? nonEmpty(env.CLICKHOUSE_HOST) ?? 'localhost';
  const portText = nonEmpty(url.port) ?? nonEmpty(env.CLICKHOUSE_PORT) ?? (tls ? '8443' : '8123');
  const port = readInteger('port', portText, null, 1, 65535)!;
  const decode = (part: string, value: string): string => {
    try {
      return decodeURIComponent(value);
    } catch {
      throw new InputError(
        `invalid ClickHouse store URL ${JSON.stringify(redactUrl(text))}: the ${part} has an invalid percent-encoding; write % as %25 and other special characters as %XX`,
      );
    }
  };
  const user = nonEmpty(decode('user', url.username)) ?? nonEmpty(env.CLICKHOUSE_USER) ?? 'default';
  const password = url.password !== '' ? decode('password', url.password) : (env.CLICKHOUSE_PASSWORD ?? '');
  const pathDatabase = decode('database', url.pathname.replace(/^\/+|\/+$/g, ''));
  const database = checkIdentifier('database', nonEmpty(pathDatabase) ?? nonEmpty(env.CLICKHOUSE_DATABASE) ?? 'default');
  const table = checkIdentifier('table', url.searchParams.get('table') || DEFAULT_TABLE);
  const clusterText = url.searchParams.get('cluster');
  const cluster = clusterText ? checkIdentifier('cluster', clusterText) : null;
  const options = url.searchParams;
  const hostPort = `${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${port}`;

  return {
    serverUrl: `${tls ? 'https' : 'http'}://${hostPort}`,
    user,
    password,
    database,
    table,
    cluster,
    textTtlDays: readInteger('text_ttl_days', options.get('text_ttl_days'), null, 1, MAX_TTL_DAYS),
    rowTtlDays: readInteger('row_ttl_days', options.get('row_ttl_days'), null, 1, MAX_TTL_DAYS),
    asyncInsert: readBoolean('async_insert', options.get('async_insert')),
    batchSize: readInteger('batch_size', options.get('batch_size'), DEFAULT_BATCH_SIZE, 1, 1_000_000)!,
    flushIntervalMs: readInteger('flush_interval_ms', options.get('flush_interval_ms'), DEFAULT_FLUSH_INTERVAL_MS, 0, MAX_FLUSH_INTERVAL_MS)!,
    timeoutMs: readInteger('timeout_ms', options.get('timeout_ms'), DEFAULT_TIMEOUT_MS, 100, 3_600_000)!,
    spoolPath: nonEmpty(options.get('spool') ?? undefined) ?? defaultSpoolPath(env),
    location: `${tls ? 'clickhouses' : 'clickhouse'}://${encodeURIComponent(user)}@${hostPort}/${database}/${table}`,
    redactedUrl: redactUrl(text),
  };
}

/** `clickhouse-spool.db` next to the default SQLite store. */
export function defaultSpoolPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(dirname(defaultSqlitePath(env)), 'clickhouse-spool.db');
}

/** Removes the password from a store URL so it can go into a message. */
export function redactUrl(text: string): string {
  return text.replace(/^([a-z]+:\/\/[^:/@]*):[^@/]*@/i, '$1:***@');
}
