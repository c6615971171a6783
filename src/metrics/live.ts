/**
 * Live metrics for `send` and `bench`: the run's own counters, served while it
 * works (`--metrics-port`) and pushed once at the end (`--pushgateway`).
 * prom-client and the HTTP server are loaded only when one of them is asked for.
 */
import { Option, type Command } from 'commander';
import { InputError, OperationError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { PromptRecord } from '../core/record.js';
import { collectPushLabel, parsePort, parsePushgatewayUrl } from './cli-values.js';

/** The option values that `addLiveMetricsOptions` defines, as commander passes them to the action. */
export interface LiveMetricsOptions {
  metricsPort?: string;
  metricsHost?: string;
  pushgateway?: string;
  pushJob?: string;
  pushLabel?: Record<string, string>;
}

export interface LiveMetrics {
  /** The metrics URL while `--metrics-port` serves, else null. */
  readonly url: string | null;
  /** Count one record; pass it as the client's `onRecord` hook. */
  observe(record: PromptRecord): void;
  /** Push once (when `--pushgateway` is set), then stop serving. A failed push is a warning, never an error. */
  finish(): Promise<void>;
}

/** Add `--metrics-port`, `--metrics-host`, `--pushgateway`, `--push-job` and `--push-label` to a command. */
export function addLiveMetricsOptions(command: Command): Command {
  return command
    .option('--metrics-port <port>', 'serve this run\'s metrics at http://HOST:PORT/metrics while it works; 0 picks a free port')
    .option('--metrics-host <address>', 'address for --metrics-port', '127.0.0.1')
    .option('--pushgateway <url>', 'push this run\'s metrics once at the end to the Prometheus Pushgateway at this URL')
    .option('--push-job <name>', 'job label of the push', 'anthrotrace')
    .addOption(
      new Option('--push-label <name=value>', 'grouping label of the push; repeat for more').argParser((value: string, previous?: Record<string, string>) =>
        collectPushLabel(value, previous),
      ),
    );
}

const IDLE: LiveMetrics = { url: null, observe: () => undefined, finish: async () => undefined };

/** Start what the options ask for. Invalid values throw an `InputError` before any work starts. */
export async function startLiveMetrics(ctx: { logger: Logger }, options: LiveMetricsOptions): Promise<LiveMetrics> {
  const port = options.metricsPort === undefined ? undefined : parsePort(options.metricsPort, '--metrics-port');
  const pushUrl = options.pushgateway === undefined ? undefined : parsePushgatewayUrl(options.pushgateway);
  const job = options.pushJob ?? 'anthrotrace';
  if (job === '') throw new InputError('invalid --push-job "": use a non-empty job name such as anthrotrace');
  if (port === undefined && pushUrl === undefined) return IDLE;

  const { PrometheusMetricsExporter } = await import('./exporter.js');
  const exporter = new PrometheusMetricsExporter({ logger: ctx.logger });

  let server: { url: string; close(): Promise<void> } | null = null;
  if (port !== undefined) {
    const { startMetricsServer } = await import('./server.js');
    const host = options.metricsHost ?? '127.0.0.1';
    try {
      server = await startMetricsServer({ exporter, port, host, unref: true, logger: ctx.logger });
    } catch (error) {
      throw listenError(error, host, port);
    }
    ctx.logger.info(`serving this run's metrics at ${server.url}`);
  }

  return {
    url: server?.url ?? null,
    observe: (record) => exporter.observe(record),
    finish: async () => {
      if (pushUrl !== undefined) {
        const { pushMetrics } = await import('./push.js');
        await pushMetrics(exporter, { url: pushUrl, job, groupings: options.pushLabel ?? {} }, ctx.logger);
      }
      if (server) {
        await server.close();
        ctx.logger.info(`stopped serving metrics at ${server.url}`);
      }
    },
  };
}

/**
 * Restate a failure to listen in terms of the flags, so the user knows which
 * value to change. It fails the run before any API call is made.
 */
function listenError(error: unknown, host: string, port: number): OperationError {
  const code = ((error as Error).cause as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE') {
    return new OperationError(`--metrics-port ${port} is already in use on ${host}: pick another port, or --metrics-port 0 for a free one`, { cause: error });
  }
  const reason = code ?? (error as Error).message;
  return new OperationError(`cannot serve metrics on --metrics-host ${host} --metrics-port ${port}: ${reason}; check --metrics-host, or pick another port or 0`, {
    cause: error,
  });
}
