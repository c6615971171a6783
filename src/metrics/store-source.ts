/**
 * Feeds the exporter from the store, so the endpoint serves true totals that
 * survive restarts. Each refresh aggregates only the records the store
 * received since the previous refresh and adds them to the running totals:
 * the first refresh reads the whole window, later ones read a slice that is
 * usually empty or small.
 */
import { Counter, Gauge } from 'prom-client';
import { silentLogger, type Logger } from '../core/logger.js';
import type { AggregateRequest, AggregateRow, RecordFilter, RepositoryAdapter } from '../store/repository.js';
import { METRICS_DIMENSIONS, type PrometheusMetricsExporter } from './exporter.js';
import { MetricsNotReadyError } from './server.js';
import { CLICKHOUSE_INGEST_LAG_MS, DEFAULT_INGEST_LAG_MS } from './ingest-lag.js';
import { plural } from '../output/plural.js';

export { CLICKHOUSE_INGEST_LAG_MS, DEFAULT_INGEST_LAG_MS };

/** Returns the default ingest lag for a store kind. */
export function defaultIngestLagMs(kind: RepositoryAdapter['kind']): number {
  return kind === 'sqlite' ? DEFAULT_INGEST_LAG_MS : CLICKHOUSE_INGEST_LAG_MS;
}

/**
 * A scrape waits this long for a running first read before it gets status
 * 503: long enough for small stores to serve their first scrape, and well
 * under Prometheus's default scrape timeout of 10 seconds.
 */
export const DEFAULT_FIRST_READ_WAIT_MS = 5_000;

/** Scrapes within this long of the previous read reuse its totals, so a burst of scrapes costs one query. */
export const DEFAULT_MIN_READ_INTERVAL_MS = 1_000;

export interface StoreMetricsSourceOptions {
  /** The window and filters to expose (start-time bounds, categories, models and so on); ingestion bounds are set here. */
  filter?: RecordFilter;
  /** Default: `defaultIngestLagMs(repository.kind)`. */
  ingestLagMs?: number;
  minReadIntervalMs?: number;
  /** Default: `DEFAULT_FIRST_READ_WAIT_MS`. */
  firstReadWaitMs?: number;
  logger?: Logger;
  /** The clock, in UTC epoch milliseconds. */
  now?: () => number;
}

export class StoreMetricsSource {
  /** The filter of the latest successful read, ingestion bounds included. */
  lastFilter: RecordFilter | null = null;
  /** Records aggregated by all reads so far. */
  recordsRead = 0;
  private ingestedFromMs: number | undefined;
  private inFlight: Promise<void> | null = null;
  private lastReadStartedMs: number | undefined;
  private readonly baseFilter: RecordFilter;
  private readonly ingestLagMs: number;
  private readonly minReadIntervalMs: number;
  private readonly firstReadWaitMs: number;
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly recordsReadCounter: Counter;
  private readonly readSeconds: Gauge;
  /** performance.now() when the current first read started. */
  private firstReadStarted = 0;
  private firstReadFailed = false;

  constructor(
    private readonly repository: RepositoryAdapter,
    private readonly exporter: PrometheusMetricsExporter,
    options: StoreMetricsSourceOptions = {},
  ) {
    this.baseFilter = { ...options.filter };
    delete this.baseFilter.ingestedFromMs;
    delete this.baseFilter.ingestedToMs;
    this.ingestLagMs = options.ingestLagMs ?? defaultIngestLagMs(repository.kind);
    this.minReadIntervalMs = options.minReadIntervalMs ?? DEFAULT_MIN_READ_INTERVAL_MS;
    this.firstReadWaitMs = options.firstReadWaitMs ?? DEFAULT_FIRST_READ_WAIT_MS;
    this.logger = options.logger ?? silentLogger;
    this.now = options.now ?? Date.now;

    this.recordsReadCounter = new Counter({
      name: 'anthrotrace_metrics_records_read_total',
      help: 'Records aggregated from the store by this endpoint since it started; each record is read once.',
      registers: [exporter.registry],
    });
    this.readSeconds = new Gauge({
      name: 'anthrotrace_metrics_store_read_seconds',
      help: 'Duration of the latest successful read of new records from the store.',
      registers: [exporter.registry],
    });
  }

  /**
   * Add the records received since the previous refresh. Concurrent callers
   * share one read, and calls within the minimum read interval of the last
   * successful read change nothing. On failure the totals stay as they were
   * and the same slice is read again next time.
   *
   * The first read aggregates the whole window, which takes tens of seconds
   * on stores of millions of records. A call made while it runs waits up to
   * the first-read wait for it and then rejects with `MetricsNotReadyError`,
   * so a scrape gets status 503 instead of running into Prometheus's scrape
   * timeout.
   */
  refresh(): Promise<void> {
    if (this.inFlight) return this.ingestedFromMs === undefined ? this.waitForFirstRead(this.inFlight) : this.inFlight;
    if (this.lastReadStartedMs !== undefined && this.now() - this.lastReadStartedMs < this.minReadIntervalMs) return Promise.resolve();

    const retry = this.ingestedFromMs === undefined && this.firstReadFailed;
    this.inFlight = this.readNewRecords().finally(() => {
      this.inFlight = null;
    });
    if (!retry) return this.inFlight;

    // The scrape that starts a retried first read waits no longer than the ones after it,
    // so the failure of the retry may reach no caller: log it here.
    this.inFlight.catch((error: unknown) => {
      this.logger.error(`reading the totals of ${this.repository.location} failed again, will retry on the next scrape: ${error instanceof Error ? error.message : String(error)}`);
    });
    return this.waitForFirstRead(this.inFlight);
  }

  private waitForFirstRead(firstRead: Promise<void>): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const seconds = ((performance.now() - this.firstReadStarted) / 1000).toFixed(0);
        reject(new MetricsNotReadyError(`the first read of ${this.repository.location} has run for ${seconds} s and is not done yet`));
      }, this.firstReadWaitMs);
      timer.unref();
      firstRead.then(resolve, reject).finally(() => clearTimeout(timer));
    });
  }

  /** Apply the category and model filters to a row grouped by `METRICS_DIMENSIONS`. */
  private matchesBaseFilter(row: AggregateRow): boolean {
    const [model, category] = row.dimensionValues;
    if (this.baseFilter.models && !this.baseFilter.models.includes(model ?? '')) return false;
    if (this.baseFilter.categories && (category === null || category === undefined || !this.baseFilter.categories.includes(category))) return false;
    return true;
  }

  private async readNewRecords(): Promise<void> {
    const started = performance.now();
    const startedMs = this.now();
    const ingestedToMs = startedMs - this.ingestLagMs;
    if (this.ingestedFromMs !== undefined && ingestedToMs <= this.ingestedFromMs) return;

    const filter: RecordFilter = { ...this.baseFilter, ingestedToMs };
    let rows: AggregateRow[];
    if (this.ingestedFromMs === undefined) {
      rows = await this.readWholeWindow(filter);
    } else {
      // With an equality on category or model, SQLite prefers that column's index over the
      // ingestion-time index and scans the whole window at every scrape (0.5 s per million
      // records). Later reads therefore leave those two filters to the grouped rows, which
      // carry both values, and give the same totals.
      filter.ingestedFromMs = this.ingestedFromMs;
      delete filter.categories;
      delete filter.models;
      rows = (await this.repository.aggregate({ filter, dimensions: METRICS_DIMENSIONS })).filter((row) => this.matchesBaseFilter(row));
    }

    this.exporter.addAggregateRows(rows);
    const records = rows.reduce((sum, row) => sum + row.requests, 0);
    this.recordsRead += records;
    this.recordsReadCounter.inc(records);
    this.ingestedFromMs = ingestedToMs;
    this.lastFilter = filter;
    this.lastReadStartedMs = startedMs;

    const seconds = (performance.now() - started) / 1000;
    this.readSeconds.set(seconds);
    this.exporter.invalidate();
    this.logger.debug(`read ${plural(records, 'new record')} from ${this.repository.location} in ${(seconds * 1000).toFixed(1)} ms`);
  }

  /**
   * Aggregate every record of the window received before `filter.ingestedToMs`.
   * A store that offers `aggregateOnWorker` (SQLite, whose driver blocks the
   * event loop) runs it on a worker thread, so /healthz and the 503 responses
   * stay prompt meanwhile.
   */
  private async readWholeWindow(filter: RecordFilter): Promise<AggregateRow[]> {
    this.firstReadStarted = performance.now();
    const request = { filter, dimensions: METRICS_DIMENSIONS };
    const onWorker = (this.repository as Partial<WorkerAggregator>).aggregateOnWorker;
    const waitSeconds = this.firstReadWaitMs / 1000;
    this.logger.info(
      `reading the totals of ${this.repository.location}${onWorker ? ' on a worker thread' : ''}; until this is done, scrapes get status 503 after waiting ${waitSeconds} s`,
    );

    let rows: AggregateRow[];
    try {
      rows = onWorker ? await onWorker.call(this.repository, request) : await this.repository.aggregate(request);
    } catch (error) {
      this.firstReadFailed = true;
      throw error;
    }
    const records = rows.reduce((sum, row) => sum + row.requests, 0);
    const seconds = (performance.now() - this.firstReadStarted) / 1000;
    this.logger.info(`read the totals of ${plural(records, 'record')} from ${this.repository.location} in ${seconds.toFixed(1)} s; /metrics is ready`);
    return rows;
  }
}

/** A store that can run `aggregate` off the event loop, as `SQLiteRepository` does. */
interface WorkerAggregator {
  aggregateOnWorker(request: AggregateRequest): Promise<AggregateRow[]>;
}
