/**
 * Prompt counts, tokens and dollars in the Prometheus text format, on a
 * private prom-client registry (never the global default one, so an
 * application embedding the library keeps its own metrics apart).
 *
 * The exporter keeps exact running totals itself: integers for counts and
 * tokens, bigint nano-dollars for cost. prom-client's counters are rebuilt
 * from those totals on every collection (see counters.ts), so 1,000 calls of
 * $0.00033 are written as 0.33 rather than the float sum 0.3299999999999973.
 */
import { Histogram, Registry } from 'prom-client';
import { silentLogger, type Logger } from '../core/logger.js';
import { emptyUsage, reportedModel, type PromptRecord } from '../core/record.js';
import type { AggregateRow, GroupDimension } from '../store/repository.js';
import { addUsage, registerPromptCounters, type PromptSeriesTotals } from './counters.js';
import { BoundedLabel, DEFAULT_MAX_CATEGORIES, DEFAULT_MAX_MODELS, categoryLabel } from './labels.js';

export type { PromptSeriesTotals } from './counters.js';

/** The dimensions `addAggregateRows` expects its rows to be grouped by, in this order. */
export const METRICS_DIMENSIONS: GroupDimension[] = ['model', 'category', 'status', 'source'];

/** Upper bounds in seconds. Messages API calls take from under a second to minutes for long outputs. */
export const DURATION_BUCKETS_SECONDS = [0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300];
export const TIME_TO_FIRST_TOKEN_BUCKETS_SECONDS = [0.1, 0.25, 0.5, 1, 2, 5, 10, 30];

export interface PrometheusMetricsExporterOptions {
  /** Distinct categories that keep their own label; later ones are counted as `other`. Default 50. */
  maxCategories?: number;
  /** Distinct models that keep their own label; later ones are counted as `other`. Default 50. */
  maxModels?: number;
  /**
   * Register the duration and time-to-first-token histograms. They need
   * per-record durations, which `observe` has and aggregate rows do not.
   * Default true.
   */
  histograms?: boolean;
  /** Receives the one warning logged when a label is first folded into `other`. */
  logger?: Logger;
  /** Names the options that raise the limits in that warning. */
  limitOptionNames?: { categories: string; models: string };
}

export class PrometheusMetricsExporter {
  /**
   * The private registry. Metrics registered here are served on the same
   * endpoint. Call `invalidate()` after changing them, because `metrics()`
   * reuses its last text until the exporter's own totals change.
   */
  readonly registry = new Registry();
  private readonly series = new Map<string, PromptSeriesTotals>();
  private revision = 0;
  private rendered: { revision: number; text: Promise<string> } | null = null;
  private readonly models: BoundedLabel;
  private readonly categories: BoundedLabel;
  private readonly duration: Histogram<'model' | 'category' | 'status'> | null = null;
  private readonly timeToFirstToken: Histogram<'model' | 'category'> | null = null;

  constructor(options: PrometheusMetricsExporterOptions = {}) {
    const logger = options.logger ?? silentLogger;
    const optionNames = options.limitOptionNames ?? { categories: 'maxCategories', models: 'maxModels' };
    this.categories = new BoundedLabel('category', options.maxCategories ?? DEFAULT_MAX_CATEGORIES, optionNames.categories, logger);
    this.models = new BoundedLabel('model', options.maxModels ?? DEFAULT_MAX_MODELS, optionNames.models, logger);
    registerPromptCounters(this.registry, () => this.series.values());

    if (options.histograms ?? true) {
      this.duration = new Histogram({
        name: 'anthrotrace_prompt_duration_seconds',
        help: 'Wall-clock duration of Messages API calls, retries included.',
        labelNames: ['model', 'category', 'status'],
        buckets: DURATION_BUCKETS_SECONDS,
        registers: [this.registry],
      });
      this.timeToFirstToken = new Histogram({
        name: 'anthrotrace_prompt_time_to_first_token_seconds',
        help: 'Time from the start of a streamed Messages API call to its first text.',
        labelNames: ['model', 'category'],
        buckets: TIME_TO_FIRST_TOKEN_BUCKETS_SECONDS,
        registers: [this.registry],
      });
    }
  }

  /** The Content-Type of `metrics()`: the Prometheus text format 0.0.4. */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** Count one logged call. This is the live path: `send` and `bench` feed it from the client's `onRecord` hook. */
  observe(record: PromptRecord): void {
    const model = this.models.valueFor(reportedModel(record));
    const category = categoryLabel(record.category, this.categories);
    const totals = this.seriesFor(model, category, record.status, record.source);
    totals.requests += 1;
    if (record.cost === null) totals.unpricedRequests += 1;
    else totals.costNanos += record.cost.total;
    addUsage(totals.usage, record.usage);

    this.duration?.observe({ model, category, status: record.status }, record.durationMs / 1000);
    if (record.timeToFirstTokenMs !== null) {
      this.timeToFirstToken?.observe({ model, category }, record.timeToFirstTokenMs / 1000);
    }
    this.invalidate();
  }

  /**
   * Add rows from `RepositoryAdapter.aggregate` grouped by `METRICS_DIMENSIONS`.
   * The busiest models and categories are labelled first, so they are the
   * ones that keep their own label when a limit is reached.
   */
  addAggregateRows(rows: readonly AggregateRow[]): void {
    const ordered = [...rows].sort((a, b) => b.requests - a.requests || compareValues(a, b));
    for (const row of ordered) {
      const [model, category, status, source] = row.dimensionValues;
      const totals = this.seriesFor(
        this.models.valueFor(model ?? 'unknown'),
        categoryLabel(category ?? null, this.categories),
        status ?? 'unknown',
        source ?? 'unknown',
      );
      totals.requests += row.requests;
      totals.unpricedRequests += row.unpricedRequests;
      totals.costNanos += row.costNanos;
      addUsage(totals.usage, row.usage);
    }
    this.invalidate();
  }

  /** Mark the exposition as changed, so the next `metrics()` renders it again. */
  invalidate(): void {
    this.revision += 1;
  }

  /** Return a copy of the running totals, one entry per prompt series. */
  totals(): PromptSeriesTotals[] {
    return [...this.series.values()].map((totals) => ({ ...totals, usage: { ...totals.usage } }));
  }

  /**
   * Render the exposition in the Prometheus text format. Rendering 40 series
   * took about 1 ms on a busy 2-core machine, so the text is reused until the
   * totals change: a burst of scrapes then costs little more than its HTTP requests.
   */
  metrics(): Promise<string> {
    if (this.rendered?.revision !== this.revision) {
      const text = this.registry.metrics();
      this.rendered = { revision: this.revision, text };
      // A failed render is not kept, so the next call tries again.
      text.catch(() => {
        if (this.rendered?.text === text) this.rendered = null;
      });
    }
    return this.rendered!.text;
  }

  private seriesFor(model: string, category: string, status: string, source: string): PromptSeriesTotals {
    const key = JSON.stringify([model, category, status, source]);
    let totals = this.series.get(key);
    if (!totals) {
      totals = { model, category, status, source, requests: 0, unpricedRequests: 0, usage: emptyUsage(), costNanos: 0n };
      this.series.set(key, totals);
    }
    return totals;
  }
}

function compareValues(a: AggregateRow, b: AggregateRow): number {
  const left = JSON.stringify(a.dimensionValues);
  const right = JSON.stringify(b.dimensionValues);
  if (left < right) return -1;
  if (left > right) return 1;
  return 0;
}
