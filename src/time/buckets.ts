/**
 * Time buckets in a zone's wall clock, computed once here and handed to the
 * store as sorted UTC boundaries (`RepositoryAdapter.aggregate`), so the
 * database never needs to know about zones or daylight saving.
 *
 * A day runs from one local midnight to the next, so it lasts 23 or 25 hours
 * on daylight saving changes. Weeks start on Monday (ISO 8601). The hour that
 * repeats when clocks fall back gives two buckets, distinguished by the offset in
 * their labels.
 */
import { InputError } from '../core/errors.js';
import { addDays, addMonths, civilDateAt, isoWeekday, startOfDay, type CivilDate } from './calendar.js';
import { formatOffset, formatWallDate } from './format.js';
import { MS_PER_MINUTE, nextOffsetChange, offsetMsAt, wallTimeAt } from './zone.js';

export type BucketUnit = 'hour' | 'day' | 'week' | 'month';
export const BUCKET_UNITS: readonly BucketUnit[] = ['hour', 'day', 'week', 'month'];

/** Upper limit on buckets in one report, so a mistaken `--by hour` over decades fails fast instead of building millions of rows. */
export const MAX_BUCKETS = 100_000;

export interface Buckets {
  unit: BucketUnit;
  zone: string;
  /** Sorted UTC epoch milliseconds, one more than there are buckets; bucket i is `[boundaries[i], boundaries[i + 1])`. */
  boundaries: number[];
  /** One label per bucket: `2026-03-08`, `2026-03-08T01:00-05:00`, the week's Monday, or `2026-03`. */
  labels: string[];
}

/**
 * Cover `[fromMs, toMs)` with whole buckets: the first starts at or before
 * `fromMs` and the last ends at or after `toMs`.
 */
export function computeBuckets(unit: BucketUnit, zone: string, fromMs: number, toMs: number): Buckets {
  if (!(fromMs < toMs)) throw new RangeError(`empty bucket range: ${fromMs} >= ${toMs}`);
  const boundaries = [bucketStart(unit, zone, fromMs)];
  const labels: string[] = [];
  let start = boundaries[0]!;
  while (start < toMs) {
    if (labels.length >= MAX_BUCKETS) {
      throw new InputError(
        `too many ${unit} buckets: the range needs more than ${MAX_BUCKETS}; narrow --from/--to or group by a longer period`,
      );
    }
    labels.push(bucketLabel(unit, zone, start));
    start = nextBucketStart(unit, zone, start);
    boundaries.push(start);
  }
  return { unit, zone, boundaries, labels };
}

/** Return the start of the bucket that contains the instant `ms`. */
export function bucketStart(unit: BucketUnit, zone: string, ms: number): number {
  if (unit === 'hour') return hourStart(zone, ms);
  return startOfDay(zone, firstDayOfBucket(unit, civilDateAt(zone, ms)));
}

/** Return the start of the bucket after the one that starts at `startMs`. */
export function nextBucketStart(unit: BucketUnit, zone: string, startMs: number): number {
  if (unit === 'hour') return nextHourStart(zone, startMs);
  let date = firstDayOfBucket(unit, civilDateAt(zone, startMs));
  // A day skipped entirely (Samoa went from 2011-12-29 to 2011-12-31) starts
  // where the next day starts, so keep stepping until time moves forward.
  for (;;) {
    date = unit === 'month' ? addMonths(date, 1) : addDays(date, unit === 'week' ? 7 : 1);
    const next = startOfDay(zone, date);
    if (next > startMs) return next;
  }
}

export function bucketLabel(unit: BucketUnit, zone: string, startMs: number): string {
  const date = civilDateAt(zone, startMs);
  if (unit === 'day') return formatWallDate(date);
  if (unit === 'week') return formatWallDate(firstDayOfBucket('week', date));
  if (unit === 'month') return formatWallDate(date).slice(0, 7);
  const wall = wallTimeAt(zone, startMs);
  const time = `${String(wall.hour).padStart(2, '0')}:${String(wall.minute).padStart(2, '0')}`;
  return `${formatWallDate(wall)}T${time}${formatOffset(offsetMsAt(zone, startMs))}`;
}

/** Find the index of the bucket that contains `ms` by binary search, or -1 when it lies outside them all. */
export function bucketIndexOf(boundaries: readonly number[], ms: number): number {
  if (boundaries.length < 2 || ms < boundaries[0]! || ms >= boundaries[boundaries.length - 1]!) return -1;
  let low = 0;
  let high = boundaries.length - 1;
  while (high - low > 1) {
    const middle = (low + high) >>> 1;
    if (boundaries[middle]! <= ms) low = middle;
    else high = middle;
  }
  return low;
}

function firstDayOfBucket(unit: Exclude<BucketUnit, 'hour'>, date: CivilDate): CivilDate {
  if (unit === 'day') return date;
  if (unit === 'week') return addDays(date, 1 - isoWeekday(date));
  return { year: date.year, month: date.month, day: 1 };
}

/**
 * Find the last instant at or before `ms` when the wall clock read a whole hour,
 * or the last offset change if that came later (a 30-minute shift, as on
 * Lord Howe Island, starts a bucket at half past).
 */
function hourStart(zone: string, ms: number): number {
  const wall = wallTimeAt(zone, ms);
  const start = ms - (wall.minute * MS_PER_MINUTE + wall.second * 1000 + wall.millisecond);
  return nextOffsetChange(zone, start, ms) ?? start;
}

function nextHourStart(zone: string, startMs: number): number {
  const wall = wallTimeAt(zone, startMs);
  const nextWholeHour = startMs + (60 - wall.minute) * MS_PER_MINUTE - wall.second * 1000 - wall.millisecond;
  return nextOffsetChange(zone, startMs, nextWholeHour) ?? nextWholeHour;
}
