/**
 * The HTTP endpoint: `GET /metrics` in the Prometheus text format and
 * `GET /healthz`. A failed scrape gets status 500 with the reason, the
 * reason is logged, and the server keeps running. While the totals are not
 * ready yet, a scrape gets status 503 with the reason and a Retry-After.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { OperationError } from '../core/errors.js';
import { silentLogger, type Logger } from '../core/logger.js';
import type { PrometheusMetricsExporter } from './exporter.js';

/** Thrown by `beforeScrape` while no totals can be served yet; the scrape gets status 503. */
export class MetricsNotReadyError extends Error {
  constructor(
    message: string,
    /** Seconds for the Retry-After header. */
    readonly retryAfterSeconds = 5,
  ) {
    super(message);
    this.name = 'MetricsNotReadyError';
  }
}

export const DEFAULT_METRICS_PORT = 9464;
export const DEFAULT_METRICS_HOST = '127.0.0.1';

export interface MetricsServerOptions {
  exporter: PrometheusMetricsExporter;
  /** Port 0 picks a free port, which `url` then contains. */
  port: number;
  host: string;
  /**
   * Runs before every scrape, such as reading new records from the store. A
   * rejection fails that scrape with 500, or with 503 for `MetricsNotReadyError`.
   */
  beforeScrape?: () => Promise<void>;
  /** Let the process exit while the server still listens, as a run that serves its own metrics should. Default false. */
  unref?: boolean;
  logger?: Logger;
}

export interface MetricsServer {
  /** The URL of the metrics page, with the port actually bound. */
  readonly url: string;
  /** Number of scrapes served with status 200, failed with status 500 and rejected with status 503 (not ready) so far. */
  counts(): { scrapes: number; failures: number; notReady: number };
  close(): Promise<void>;
}

export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const logger = options.logger ?? silentLogger;
  let scrapes = 0;
  let failures = 0;
  let notReady = 0;

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      send(response, 405, 'only GET and HEAD are allowed\n', { Allow: 'GET, HEAD' });
      return;
    }
    if (path === '/healthz') {
      send(response, 200, 'ok\n');
      return;
    }
    if (path !== '/metrics') {
      send(response, 404, 'not found: use /metrics or /healthz\n');
      return;
    }

    try {
      await options.beforeScrape?.();
      const body = await options.exporter.metrics();
      scrapes += 1;
      send(response, 200, body, { 'Content-Type': options.exporter.contentType });
    } catch (error) {
      if (error instanceof MetricsNotReadyError) {
        notReady += 1;
        logger.info(`scrape rejected with status 503 (${notReady} so far): ${error.message}`);
        send(response, 503, `not ready: ${error.message}\n`, { 'Retry-After': String(error.retryAfterSeconds) });
        return;
      }
      failures += 1;
      const reason = error instanceof Error ? error.message : String(error);
      logger.error(`scrape failed (${failures} failed so far): ${reason}`);
      send(response, 500, `error: ${reason}\n`);
    }
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      logger.error(`metrics request failed: ${error instanceof Error ? error.message : String(error)}`);
      if (!response.headersSent) send(response, 500, 'error: internal error\n');
    });
  });
  await listen(server, options.port, options.host);
  if (options.unref) server.unref();

  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  const hostInUrl = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${hostInUrl}:${port}/metrics`,
    counts: () => ({ scrapes, failures, notReady }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Prometheus keeps its connection open between scrapes; do not wait for it.
        server.closeAllConnections();
      }),
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const reason = error.code === 'EADDRINUSE' ? 'the address is already in use' : error.message;
      reject(new OperationError(`cannot listen on ${host}:${port}: ${reason}; choose another port or host`, { cause: error }));
    });
    server.listen(port, host, () => resolve());
  });
}

function send(response: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
  response.end(body);
}
