/**
 * A ClickHouse-compatible HTTP endpoint over chDB, the ClickHouse engine
 * in-process (the `chdb` dev dependency). It is test infrastructure, not a
 * production server: one connection, one request at a time, no TLS, no
 * clusters, one user.
 *
 * It exists because Debian's clickhouse-server package is 18.16, which lacks
 * the `{name:Type}` query parameters the store relies on. It implements the
 * part of the HTTP interface that @clickhouse/client uses
 * (https://clickhouse.com/docs/interfaces/http): the query in the URL
 * (`query=`) or the body, insert data in the body after the URL query,
 * `param_*` query parameters, `database`, `default_format`, settings as URL
 * parameters, gzip request and response bodies, `/ping`, basic auth or the
 * X-ClickHouse-User / X-ClickHouse-Key headers, and errors as the server
 * writes them (`Code: N. DB::Exception: …` with X-ClickHouse-Exception-Code).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { gunzipSync, gzipSync, inflateSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { bindQueryParameters, EndpointError } from './clickhouse-params.js';

export interface EndpointOptions {
  /** Loopback only; 127.0.0.1 unless `::1` is wanted. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** chDB data directory; kept across restarts. */
  dataDir: string;
  user?: string;
  password?: string;
}

export interface RunningEndpoint {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** URL parameters that are part of the HTTP interface itself rather than settings. */
const RESERVED_PARAMETERS = new Set([
  'query', 'database', 'default_format', 'query_id', 'session_id', 'session_timeout', 'session_check',
  'user', 'password', 'quota_key', 'role', 'compress', 'decompress', 'buffer_size', 'wait_end_of_query',
  'enable_http_compression', 'http_zlib_compression_level', 'http_native_compression_disable_checksumming_on_decompress',
  'send_progress_in_http_headers', 'http_headers_progress_interval_ms', 'cancel_http_readonly_queries_on_client_close',
]);

/** `INSERT INTO db.table [(columns)] FORMAT f`, whose rows follow in the body. */
const RAW_INSERT = /^\s*INSERT\s+INTO\s+(?:TABLE\s+)?([\w.`]+)\s*(?:\(([\w\s,`]*)\))?\s*FORMAT\s+(JSONEachRow|JSONCompactEachRow|TabSeparated|TSV|CSV)\s*$/i;

/** HTTP status codes the real server uses for a few exception codes; everything else is 500. */
const STATUS_BY_CODE: Record<number, number> = { 60: 404, 81: 404, 62: 400, 516: 403, 456: 400 };

/** Faults a test can switch on through `POST /test-control?fail_inserts=N&delay_ms=N`. */
interface Faults {
  failInserts: number;
  delayMs: number;
}

/** Starts the endpoint in this process. chDB binds one data directory per process. */
export async function serveClickHouseEndpoint(options: EndpointOptions): Promise<RunningEndpoint> {
  const { Session } = await import('chdb');
  const session = new Session(options.dataDir);
  // The HTTP interface has no max_query_size limit on parameters, but this endpoint inlines them.
  await session.queryAsync('SET max_query_size = 104857600', { format: 'TabSeparated' });
  const user = options.user ?? 'default';
  const password = options.password ?? '';
  const faults: Faults = { failInserts: 0, delayMs: 0 };
  let queue: Promise<void> = Promise.resolve();

  const execute = async (sql: string, format: string): Promise<Uint8Array> => {
    const result = await session.queryAsync(sql, { format });
    return result.bytes();
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://endpoint');
    if (url.pathname === '/ping' || (url.pathname === '/' && request.method === 'GET' && !url.searchParams.has('query'))) {
      response.writeHead(200, { 'Content-Type': 'text/plain; charset=UTF-8' }).end('Ok.\n');
      return;
    }
    if (url.pathname === '/test-control') {
      faults.failInserts = Number(url.searchParams.get('fail_inserts') ?? faults.failInserts);
      faults.delayMs = Number(url.searchParams.get('delay_ms') ?? faults.delayMs);
      response.writeHead(200).end('Ok.\n');
      return;
    }
    if (url.pathname !== '/') throw new EndpointError(0, `There is no handle ${url.pathname}`, 'UNKNOWN_HANDLER', 404);
    checkCredentials(request, url, user, password);

    const body = decodeBody(request, await readBody(request));
    const urlQuery = url.searchParams.get('query');
    const queryText = urlQuery ?? body.toString('utf8');
    const params = new Map<string, string>();
    for (const [name, value] of url.searchParams) if (name.startsWith('param_')) params.set(name.slice(6), value);
    let sql = bindQueryParameters(queryText, params);
    // Insert data in the body goes to chDB's raw insert, which parses it in C++ instead of as query text.
    const rawInsert = urlQuery !== null && body.length > 0 ? RAW_INSERT.exec(sql) : null;
    if (urlQuery !== null && body.length > 0 && !rawInsert) sql = `${sql}\n${body.toString('utf8')}`;
    if (sql.trim() === '') throw new EndpointError(62, 'Empty query', 'SYNTAX_ERROR');

    if (faults.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, faults.delayMs));
    if (/^\s*INSERT\b/i.test(sql) && faults.failInserts > 0) {
      faults.failInserts -= 1;
      throw new EndpointError(252, 'Too many parts (test fault). Merges are processing significantly slower than inserts', 'TOO_MANY_PARTS');
    }

    const settings = [...url.searchParams].filter(([name]) => !name.startsWith('param_') && !RESERVED_PARAMETERS.has(name));
    const format = url.searchParams.get('default_format') ?? 'TabSeparated';
    const output = await runSerialized(async () => {
      await execute(`USE ${quoteIdentifier(url.searchParams.get('database') ?? 'default')}`, 'TabSeparated');
      for (const [name, value] of settings) await execute(`SET ${quoteIdentifier(name)} = ${quoteLiteral(value)}`, 'TabSeparated');
      try {
        if (!rawInsert) return await execute(sql, format);
        const [, table, columns, insertFormat] = rawInsert;
        const columnList = columns?.split(',').map((column) => column.trim().replace(/^`|`$/g, ''));
        await session.insert({ table: table!.replace(/`/g, ''), values: body, format: insertFormat as 'JSONEachRow', ...(columnList ? { columns: columnList } : {}) });
        return new Uint8Array();
      } finally {
        for (const [name] of settings) await execute(`SET ${quoteIdentifier(name)} = DEFAULT`, 'TabSeparated').catch(() => undefined);
      }
    });

    const gzip = url.searchParams.get('enable_http_compression') === '1' && /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
    const headers: Record<string, string> = {
      'Content-Type': 'text/plain; charset=UTF-8',
      'X-ClickHouse-Query-Id': url.searchParams.get('query_id') ?? randomUUID(),
      'X-ClickHouse-Format': format,
      'X-ClickHouse-Timezone': Intl.DateTimeFormat().resolvedOptions().timeZone,
      'X-ClickHouse-Summary': JSON.stringify({ read_rows: '0', read_bytes: '0', written_rows: '0', written_bytes: '0', total_rows_to_read: '0', result_rows: '0', result_bytes: '0' }),
    };
    if (gzip) headers['Content-Encoding'] = 'gzip';
    response.writeHead(200, headers).end(gzip ? gzipSync(output) : Buffer.from(output));
  };

  // The session's current database and settings are shared state, so requests run one at a time.
  function runSerialized<T>(task: () => Promise<T>): Promise<T> {
    const run = queue.then(task);
    queue = run.then(() => undefined, () => undefined);
    return run;
  }

  const server: Server = createServer({ maxHeaderSize: 1024 * 1024 }, (request, response) => {
    handle(request, response).catch((error: unknown) => writeError(response, error));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await queue;
      session.close();
    },
  };
}

function checkCredentials(request: IncomingMessage, url: URL, user: string, password: string): void {
  let givenUser = url.searchParams.get('user') ?? 'default';
  let givenPassword = url.searchParams.get('password') ?? '';
  const authorization = request.headers.authorization;
  if (authorization?.startsWith('Basic ')) {
    const decoded = Buffer.from(authorization.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    givenUser = colon < 0 ? decoded : decoded.slice(0, colon);
    givenPassword = colon < 0 ? '' : decoded.slice(colon + 1);
  } else if (request.headers['x-clickhouse-user'] !== undefined) {
    givenUser = String(request.headers['x-clickhouse-user']);
    givenPassword = String(request.headers['x-clickhouse-key'] ?? '');
  }
  if (givenUser !== user || givenPassword !== password) {
    throw new EndpointError(516, `${givenUser}: Authentication failed: password is incorrect, or there is no user with such name`, 'AUTHENTICATION_FAILED');
  }
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function decodeBody(request: IncomingMessage, body: Buffer): Buffer {
  const encoding = String(request.headers['content-encoding'] ?? '').toLowerCase();
  if (encoding === 'gzip') return gunzipSync(body);
  if (encoding === 'deflate') return inflateSync(body);
  if (encoding !== '' && encoding !== 'identity') throw new EndpointError(1, `Unsupported Content-Encoding: ${encoding}`, 'UNKNOWN_COMPRESSION_METHOD');
  return body;
}

function writeError(response: ServerResponse, error: unknown): void {
  const known = error as { clickhouseCode?: number; message?: string };
  let code = 1001;
  let text: string;
  if (error instanceof EndpointError) {
    code = error.code;
    text = `Code: ${error.code}. DB::Exception: ${error.message}. (${error.codeName}) (version chdb endpoint)`;
  } else {
    code = typeof known.clickhouseCode === 'number' && known.clickhouseCode > 0 ? known.clickhouseCode : 1001;
    const message = known.message ?? String(error);
    text = /^Code: \d+\./.test(message) ? message : `Code: ${code}. DB::Exception: ${message}. (STD_EXCEPTION)`;
  }
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const status = (error instanceof EndpointError ? error.httpStatus : undefined) ?? STATUS_BY_CODE[code] ?? 500;
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=UTF-8', 'X-ClickHouse-Exception-Code': String(code) });
  response.end(`${text}\n`);
}

function quoteIdentifier(name: string): string {
  return `\`${name.replace(/\\/g, '\\\\').replace(/`/g, '\\`')}\``;
}

function quoteLiteral(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
