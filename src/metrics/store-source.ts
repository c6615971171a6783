/**
 * Feeds the exporter from the store, so the endpoint serves true totals that
 * survive restarts. Each refresh aggregates only the records the store
 * received since the previous refresh and adds them to the running totals:
 * the first refresh reads the whole window, later ones read a slice that is
 * usually empty or small.
 */
import { Counter, Gauge } from 'prom-client';
import { silentLogger, type Logger } from '../core/logger.js';
import type { AggregateRow, RecordFilter, RepositoryAdapter } from '../store/repository.js';
import { METRICS_DIMENSIONS, type PrometheusMetricsExporter } from './exporter.js';

/**
 * Records the store received less than this long ago are left for the next
 * refresh. A writer stamps the ingestion time before its insert becomes
 * visible: the SQLite store stamps it before waiting up to 5 seconds for the
 * write lock, and a ClickHouse insert can sit in a buffer. A record that
 * becomes visible after a refresh has passed its stamp would be missed for
 * good, so the lag covers that wait plus a margin, and any clock difference
 * between this process and a ClickHouse server.
 */
export const DEFAULT_INGEST_LAG_MS = 10_000;

/** Scrapes within this long of the previous read reuse its totals, so a burst of scrapes costs one query. */
export const DEFAULT_MIN_READ_INTERVAL_MS = 1_000;

export interface StoreMetricsSourceOptions {
  /** The window and filters to expose (start-time bounds, categories, models and so on); ingestion bounds are set here. */
  filter?: RecordFilter;
  ingestLagMs?: number;
  minReadIntervalMs?: number;
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
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly recordsReadCounter: Counter;
  private readonly readSeconds: Gauge;

  constructor(
    private readonly repository: RepositoryAdapter,
    private readonly exporter: PrometheusMetricsExporter,
    options: StoreMetricsSourceOptions = {},
  ) {
    this.baseFilter = { ...options.filter };
    delete this.baseFilter.ingestedFromMs;
    delete this.baseFilter.ingestedToMs;
    this.ingestLagMs = options.ingestLagMs ?? DEFAULT_INGEST_LAG_MS;
    this.minReadIntervalMs = options.minReadIntervalMs ?? DEFAULT_MIN_READ_INTERVAL_MS;
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
   */
  refresh(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    if (this.lastReadStartedMs !== undefined && this.now() - this.lastReadStartedMs < this.minReadIntervalMs) return Promise.resolve();
    this.inFlight = this.readNewRecords().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
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
      rows = await this.repository.aggregate({ filter, dimensions: METRICS_DIMENSIONS });
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
    this.logger.debug(`read ${records} new records from ${this.repository.location} in ${(seconds * 1000).toFixed(1)} ms`);
  }
}
