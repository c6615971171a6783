/**
 * The storage view: what the store reports about itself, and how many
 * records arrived per day. Rows per day ignore the category, model and other
 * filters, because the view is about the store, not about one slice of it.
 */
import type { RepositoryAdapter, StorageStats } from '../store/repository.js';
import { MS_PER_DAY } from '../time/zone.js';
import { computeBuckets } from '../time/buckets.js';
import type { StorageJson } from './types.js';

/**
 * Days drawn at most; a longer range shows its last 31 days. Counting per day
 * is a second pass over the records, so it is kept to a recent window.
 */
export const MAX_STORAGE_DAYS = 31;

export async function buildStorage(
  repository: RepositoryAdapter,
  stats: StorageStats,
  range: { fromMs: number; toMs: number } | null,
  timezone: string,
): Promise<StorageJson> {
  const json: StorageJson = {
    kind: repository.kind,
    location: repository.location,
    records: stats.records,
    bytes: stats.bytes,
    oldestAt: stats.oldest?.toISOString() ?? null,
    newestAt: stats.newest?.toISOString() ?? null,
    rowsPerDay: [],
    rowsPerDayRange: null,
  };
  if (range === null || stats.records === 0) return json;

  const fromMs = Math.max(range.fromMs, range.toMs - MAX_STORAGE_DAYS * MS_PER_DAY);
  const days = computeBuckets('day', timezone, fromMs, range.toMs);
  const rows = await repository.aggregate({
    filter: { fromMs, toMs: range.toMs },
    bucketBoundaries: days.boundaries,
    dimensions: [],
  });
  const counts = new Array<number>(days.labels.length).fill(0);
  for (const row of rows) {
    if (row.bucketIndex !== null && row.bucketIndex < counts.length) counts[row.bucketIndex]! += row.requests;
  }
  json.rowsPerDay = days.labels.map((label, index) => ({ label, records: counts[index]! }));
  json.rowsPerDayRange = { from: new Date(fromMs).toISOString(), to: new Date(range.toMs).toISOString() };
  return json;
}
