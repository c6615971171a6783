/**
 * The HTTP endpoint: `GET /metrics` in the Prometheus text format and
 * `GET /healthz`. A failed scrape gets status 500 with the reason, the
 * reason is logged, and the server keeps running.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { OperationError } from '../core/errors.js';
import { silentLogger, type Logger } from '../core/logger.js';
import type { PrometheusMetricsExporter } from './exporter.js';

export const DEFAULT_METRICS_PORT = 9464;
export const DEFAULT_METRICS_HOST = '127.0.0.1';

export interface MetricsServerOptions {
  exporter: PrometheusMetricsExporter;
  /** Port 0 picks a free port, which `url` then contains. */
  port: number;
  host: string;
  /** Runs before every scrape, such as reading new records from the store. A rejection fails that scrape with 500. */
  beforeScrape?: () => Promise<void>;
  /** Let the process exit while the server still listens, as a run that serves its own metrics should. Default false. */
  unref?: boolean;
  logger?: Logger;
}

export interface MetricsServer {
  /** The URL of the metrics page, with the port actually bound. */
  readonly url: string;
  /** Number of scrapes served with status 200 and failed with status 500 so far. */
  counts(): { scrapes: number; failures: number };
  close(): Promise<void>;
}

export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const logger = options.logger ?? silentLogger;
  let scrapes = 0;
  let failures = 0;

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
    counts: () => ({ scrapes, failures }),
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
