import { Option, type Command } from 'commander';
import { InputError } from '../../core/errors.js';
import { createContext } from '../context.js';
import { parseDurationMs } from '../../metrics/duration.js';
import { DEFAULT_MAX_CATEGORIES, DEFAULT_MAX_MODELS } from '../../metrics/labels.js';
import { DEFAULT_METRICS_HOST, DEFAULT_METRICS_PORT } from '../../metrics/server.js';
import { parsePort, parsePositiveInteger } from '../../metrics/cli-values.js';
import { CLICKHOUSE_INGEST_LAG_MS, DEFAULT_INGEST_LAG_MS } from '../../metrics/ingest-lag.js';
import {
  addFilterOptions,
  addRangeOptions,
  describeRange,
  filterFromOptions,
  resolveRange,
  type FilterOptionValues,
  type RangeOptionValues,
} from '../range-options.js';

interface ServeMetricsOptions extends RangeOptionValues, FilterOptionValues {
  port: string;
  host: string;
  duration?: string;
  ingestLag?: string;
  maxCategories: string;
  maxModels: string;
}

export function registerServeMetrics(program: Command): void {
  const command = program
    .command('serve-metrics')
    .description('serve totals from the store to Prometheus at /metrics (and /healthz) until stopped')
    .option('--port <port>', 'TCP port to listen on; 0 picks a free one', String(DEFAULT_METRICS_PORT))
    .option('--host <address>', 'address to listen on; 0.0.0.0 or :: exposes it beyond this machine', DEFAULT_METRICS_HOST)
    .option('--duration <time>', 'stop after this long, such as 30s or 5m (default: until SIGINT or SIGTERM)')
    .addOption(
      new Option(
        '--ingest-lag <time>',
        `leave records stored less than this long ago for the next scrape, so slow writes are not missed (default: ${DEFAULT_INGEST_LAG_MS / 1000}s for SQLite, ${CLICKHOUSE_INGEST_LAG_MS / 1000}s for ClickHouse)`,
      ),
    )
    .option('--max-categories <n>', 'categories that keep their own label; later ones are counted as "other"', String(DEFAULT_MAX_CATEGORIES))
    .option('--max-models <n>', 'models that keep their own label; later ones are counted as "other"', String(DEFAULT_MAX_MODELS));
  addRangeOptions(command);
  addFilterOptions(command);

  command.action(async (options: ServeMetricsOptions, actionCommand: Command) => {
    const ctx = createContext(actionCommand);
    const port = parsePort(options.port, '--port');
    const durationMs = options.duration === undefined ? undefined : parseDurationMs(options.duration, '--duration');
    if (durationMs === 0) throw new InputError('invalid --duration "0s": use a positive duration such as 30s, or leave it out to run until stopped');
    const ingestLagMs = options.ingestLag === undefined ? undefined : parseDurationMs(options.ingestLag, '--ingest-lag');
    const maxCategories = parsePositiveInteger(options.maxCategories, '--max-categories');
    const maxModels = parsePositiveInteger(options.maxModels, '--max-models');
    // Relative times such as 7d are resolved once, at start: the window stays fixed while the server runs.
    const range = resolveRange(options, ctx.env);
    const filter = filterFromOptions(options, range);

    const { openRepository, resolveStoreSpec } = await import('../../store/open.js');
    const { PrometheusMetricsExporter } = await import('../../metrics/exporter.js');
    const { StoreMetricsSource } = await import('../../metrics/store-source.js');
    const { startMetricsServer } = await import('../../metrics/server.js');
    const { waitForStop } = await import('../../metrics/stop.js');

    const repository = await openRepository(resolveStoreSpec(ctx.options.store, ctx.env), { logger: ctx.logger, env: ctx.env });
    try {
      // Aggregate rows carry no per-record durations, so this endpoint serves counters only; the histograms exist in live mode.
      const exporter = new PrometheusMetricsExporter({
        histograms: false,
        maxCategories,
        maxModels,
        logger: ctx.logger,
        limitOptionNames: { categories: '--max-categories', models: '--max-models' },
      });
      const source = new StoreMetricsSource(repository, exporter, { filter, ingestLagMs, logger: ctx.logger });
      const server = await startMetricsServer({ exporter, port, host: options.host, beforeScrape: () => source.refresh(), logger: ctx.logger });
      ctx.logger.info(`serving metrics at ${server.url} from ${repository.location}, ${describeRange(range)}; stop with Ctrl-C`);

      // Read the existing totals now, so the first scrape does not wait for the whole window to be aggregated.
      source.refresh().catch((error: unknown) => {
        ctx.logger.error(`reading totals from ${repository.location} failed, will retry on the next scrape: ${error instanceof Error ? error.message : String(error)}`);
      });

      const reason = await waitForStop(durationMs);
      await server.close();
      const { scrapes, failures, notReady } = server.counts();
      ctx.logger.info(`stopped serving metrics at ${server.url} (${reason === 'duration' ? '--duration reached' : `${reason} received`}); scrapes: ${scrapes} served, ${failures} failed, ${notReady} not ready`);
    } finally {
      await repository.close();
    }
  });
}
