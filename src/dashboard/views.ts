/**
 * Builds the dashboard's views for one range, zone and filter. The server
 * returns them from `/api/summary` and `/api/bench`, and `report --html`
 * inlines them.
 */
import type { Logger } from '../core/logger.js';
import type { RecordFilter, RepositoryAdapter, StorageStats } from '../store/repository.js';
import type { BucketUnit } from '../time/buckets.js';
import { benchHistoryJson } from './bench-history.js';
import { benchResultsFromStore, readBenchFiles } from './bench-sources.js';
import { drawnBuckets, type Buckets } from './buckets.js';
import { buildStorage } from './storage.js';
import { buildSummary } from './summary.js';
import type { BenchHistoryJson, ChangeMarkJson, StorageBenchJson, StorageJson, SummaryJson } from './types.js';

export interface ViewRequest {
  timezone: string;
  /** The requested range (UTC epoch ms, half-open); null takes the bound from the oldest or newest record. */
  fromMs: number | null;
  toMs: number | null;
  /** The filter flags, without the range bounds. */
  filter: RecordFilter;
  bucket: BucketUnit | 'auto';
}

export interface Views {
  summary: SummaryJson;
  storage: StorageJson;
  mark: ChangeMarkJson;
}

/** The benchmark views, served apart from the others because reading the history can take a while. */
export interface BenchViews {
  history: BenchHistoryJson;
  /** Storage benchmark runs from `--bench-results`, oldest first; empty without it. */
  storageRuns: StorageBenchJson[];
}

export async function buildViews(repository: RepositoryAdapter, request: ViewRequest): Promise<Views> {
  const stats = await repository.stats();
  const range = drawnRange(request, stats);
  const buckets: Buckets =
    range === null
      ? { unit: request.bucket === 'auto' ? 'day' : request.bucket, zone: request.timezone, boundaries: [], labels: [] }
      : drawnBuckets(request.bucket, request.timezone, range.fromMs, range.toMs);
  const filter = { ...request.filter, ...(range === null ? {} : { fromMs: range.fromMs, toMs: range.toMs }) };

  const summary = await buildSummary(repository, { filter, timezone: request.timezone, buckets });
  const storage = await buildStorage(repository, stats, range, request.timezone);
  return { summary, storage, mark: changeMark(stats) };
}

/**
 * Build the benchmark history from `benchResults` (a result file or a
 * directory of them), else from all the store's benchmark records, whatever
 * range is drawn, so the baseline run stays in view.
 */
export async function buildBenchViews(repository: RepositoryAdapter, benchResults: string | undefined, logger: Logger): Promise<BenchViews> {
  if (benchResults === undefined) {
    return { history: benchHistoryJson(await benchResultsFromStore(repository, {}), 'store'), storageRuns: [] };
  }
  const files = await readBenchFiles(benchResults, logger);
  return { history: benchHistoryJson(files.results, 'results'), storageRuns: files.storage };
}

/**
 * Choose the range to draw. A missing bound comes from the oldest or newest
 * stored record, as in `report`. Returns null when the store is empty and a
 * bound is missing.
 */
export function drawnRange(request: Pick<ViewRequest, 'fromMs' | 'toMs'>, stats: StorageStats): { fromMs: number; toMs: number } | null {
  const fromMs = request.fromMs ?? stats.oldest?.getTime() ?? null;
  // The newest record must fall inside, and the range is half-open.
  const toMs = request.toMs ?? (stats.newest === null ? null : stats.newest.getTime() + 1);
  if (fromMs === null || toMs === null || fromMs >= toMs) return null;
  return { fromMs, toMs };
}

export function changeMark(stats: StorageStats): ChangeMarkJson {
  return { records: stats.records, newestAt: stats.newest?.toISOString() ?? null };
}
