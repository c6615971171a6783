/**
 * The dashboard's HTTP server (node:http). It serves the page, its scripts
 * and styles, and a small JSON API of aggregates:
 *
 *   GET /api/summary?from=&to=&tz=&bucket=  cost, token and storage views
 *   GET /api/bench                          benchmark history and storage benchmark runs
 *   GET /api/top?from=&to=&tz=              the most expensive calls (a bounded top N)
 *   GET /api/records/ID                     one of those calls in full (record JSON)
 *   GET /api/changes                        record count and newest record, for polling
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { InputError } from '../core/errors.js';
import { stringifyJson } from '../core/json.js';
import type { Logger } from '../core/logger.js';
import type { PromptRecord } from '../core/record.js';
import { recordToJson } from '../core/record-json.js';
import type { RecordFilter } from '../store/repository.js';
import { resolveRange } from '../cli/range-options.js';
import { parseBucketUnit } from './buckets.js';
import { assetPath, presetFor, renderPage, SCRIPT_ASSETS, STYLE_ASSETS, type AssetName } from './page.js';
import { FailureLog, type StoreHandle } from './store-handle.js';
import { DEFAULT_TOP_LIMIT, findTopCalls } from './top.js';
import { buildBenchViews, buildViews, changeMark, drawnRange } from './views.js';

export interface DashboardServerOptions {
  host: string;
  port: number;
  store: StoreHandle;
  /** The command line's range flags and bucket, as the page starts with them. */
  defaults: { from?: string; to?: string; tz?: string; bucket?: string };
  /** The filter flags, fixed for the server's lifetime. */
  filter: RecordFilter;
  benchResults?: string;
  refreshSeconds: number;
  topLimit?: number;
  logger: Logger;
  env: NodeJS.ProcessEnv;
}

export interface RunningDashboard {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** Records behind recent top-N tables, kept so their links keep working; the oldest go first beyond this count. */
const MAX_CACHED_RECORDS = 500;

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/** The routes that read the store; only their success ends a run of logged store failures. */
const STORE_ROUTES = new Set(['/api/changes', '/api/summary', '/api/bench', '/api/top']);

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:",
  'cache-control': 'no-store',
};

export async function startDashboardServer(options: DashboardServerOptions): Promise<RunningDashboard> {
  const cachedRecords = new Map<string, PromptRecord>();
  const failures = new FailureLog(options.logger);
  const assets = new Set<string>([...STYLE_ASSETS, ...SCRIPT_ASSETS]);

  const send = (response: ServerResponse, status: number, type: string, body: string | Buffer) => {
    response.writeHead(status, { 'content-type': type, ...SECURITY_HEADERS });
    response.end(body);
  };
  const sendJson = (response: ServerResponse, status: number, value: unknown) =>
    send(response, status, 'application/json; charset=utf-8', stringifyJson(value));

  const rangeOf = (url: URL) => {
    const value = (name: string, fallback?: string) => {
      const requested = url.searchParams.get(name);
      const text = requested === null ? fallback : requested.trim();
      return text === '' ? undefined : text;
    };
    const range = resolveRange({ from: value('from', options.defaults.from), to: value('to', options.defaults.to), tz: value('tz', options.defaults.tz) }, options.env);
    return { range, bucket: parseBucketUnit(value('bucket', options.defaults.bucket), 'bucket') };
  };

  const routes = async (url: URL, response: ServerResponse): Promise<void> => {
    const path = url.pathname;
    if (path === '/' || path === '/index.html') {
      const from = options.defaults.from ?? '';
      const to = options.defaults.to ?? '';
      const page = await renderPage(
        {
          mode: 'live',
          refreshSeconds: options.refreshSeconds,
          range: { from, to, tz: options.defaults.tz ?? '', bucket: options.defaults.bucket ?? 'auto', preset: presetFor(from, to) },
        },
        'linked',
      );
      return send(response, 200, 'text/html; charset=utf-8', page);
    }
    if (path.startsWith('/static/') && assets.has(path.slice('/static/'.length))) {
      const name = path.slice('/static/'.length) as AssetName;
      return send(response, 200, CONTENT_TYPES[name.slice(name.lastIndexOf('.'))]!, await readFile(assetPath(name)));
    }
    if (path === '/api/changes') {
      const repository = await options.store.get();
      return sendJson(response, 200, changeMark(await repository.stats()));
    }
    if (path === '/api/summary') {
      const { range, bucket } = rangeOf(url);
      const repository = await options.store.get();
      return sendJson(response, 200, await buildViews(repository, { ...range, filter: options.filter, bucket }));
    }
    if (path === '/api/bench') {
      const repository = await options.store.get();
      return sendJson(response, 200, await buildBenchViews(repository, options.benchResults, options.logger));
    }
    if (path === '/api/top') {
      const { range } = rangeOf(url);
      const repository = await options.store.get();
      const drawn = drawnRange(range, await repository.stats());
      const filter = drawn === null ? options.filter : { ...options.filter, ...drawn };
      const top = await findTopCalls(repository, filter, options.topLimit ?? DEFAULT_TOP_LIMIT);
      for (const record of top.records) {
        cachedRecords.delete(record.id);
        cachedRecords.set(record.id, record);
      }
      while (cachedRecords.size > MAX_CACHED_RECORDS) cachedRecords.delete(cachedRecords.keys().next().value!);
      return sendJson(response, 200, top.json);
    }
    if (path.startsWith('/api/records/')) {
      const id = decodeRecordId(path.slice('/api/records/'.length));
      const record = cachedRecords.get(id);
      if (record === undefined) {
        return sendJson(response, 404, {
          error: `record ${JSON.stringify(id)} not found among the most expensive calls shown; use anthrotrace query to read any record`,
        });
      }
      return sendJson(response, 200, recordToJson(record));
    }
    return sendJson(response, 404, { error: `not found: ${path}` });
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('allow', 'GET, HEAD');
      return sendJson(response, 405, { error: `method ${request.method} not allowed: the dashboard only reads` });
    }
    if (!hostAllowed(request.headers.host, options.host)) {
      return sendJson(response, 421, { error: `unexpected Host header ${JSON.stringify(request.headers.host)}` });
    }
    const url = new URL(request.url ?? '/', 'http://dashboard.invalid');
    try {
      await routes(url, response);
      // A page or static file is served without the store, so its success does not mean the store recovered.
      if (STORE_ROUTES.has(url.pathname)) failures.succeeded();
    } catch (error) {
      // An invalid request is the page's to show; anything else is a failure of this server or the store.
      const status = error instanceof InputError ? 400 : 500;
      if (status === 500) failures.failed(url.pathname, (error as Error).message);
      if (!response.headersSent) sendJson(response, status, { error: (error as Error).message });
      else response.end();
    }
  };

  const server = createServer((request, response) => void handle(request, response));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostText = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${hostText}:${address.port}/`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function decodeRecordId(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new InputError(`invalid record id ${JSON.stringify(text)}: percent-encode it as the page's links do`);
  }
}

/**
 * Accept only requests addressed to this server by a loopback name or the
 * bound address, so a web page on another site cannot reach the API through
 * a DNS name re-pointed at 127.0.0.1 (DNS rebinding).
 */
export function hostAllowed(header: string | undefined, boundHost: string): boolean {
  if (header === undefined) return false;
  if (boundHost === '0.0.0.0' || boundHost === '::') return true;
  const name = header.replace(/:\d+$/, '').replace(/^\[|\]$/g, '').toLowerCase();
  return name === 'localhost' || name === '127.0.0.1' || name === '::1' || name === boundHost.replace(/^\[|\]$/g, '').toLowerCase();
}
