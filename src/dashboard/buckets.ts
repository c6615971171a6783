/**
 * The bucket size for the drawn range. The boundaries themselves come from
 * the time module (`computeBuckets`), as they do for `report`, so the
 * dashboard's buckets are the report's buckets.
 */
import { InputError } from '../core/errors.js';
import { BUCKET_UNITS, computeBuckets, type Buckets, type BucketUnit } from '../time/buckets.js';
import { MS_PER_DAY } from '../time/zone.js';

export type { Buckets };

/** More bars than this are narrower than a pixel at 1280 px and slow the page down. */
export const MAX_DRAWN_BUCKETS = 5000;

/**
 * Pick the unit that gives a readable number of bars: hours up to 2 days (48 bars),
 * days up to 92 days, weeks up to 2 years (105 bars), months beyond.
 */
export function autoBucketUnit(fromMs: number, toMs: number): BucketUnit {
  const span = toMs - fromMs;
  if (span <= 2 * MS_PER_DAY) return 'hour';
  if (span <= 92 * MS_PER_DAY) return 'day';
  if (span <= 731 * MS_PER_DAY) return 'week';
  return 'month';
}

export function parseBucketUnit(text: string | undefined, flag = '--bucket'): BucketUnit | 'auto' {
  if (text === undefined || text === '' || text === 'auto') return 'auto';
  if ((BUCKET_UNITS as readonly string[]).includes(text)) return text as BucketUnit;
  throw new InputError(`invalid ${flag} ${JSON.stringify(text)}: use auto, hour, day, week or month`);
}

/** Buckets of `unit` in `zone` covering `[fromMs, toMs)`, with the drawing limit checked before any is computed. */
export function drawnBuckets(unit: BucketUnit | 'auto', zone: string, fromMs: number, toMs: number): Buckets {
  const chosen = unit === 'auto' ? autoBucketUnit(fromMs, toMs) : unit;
  // A lower estimate of the count (hours and days can be 23 or 25 hours long), cheap enough to check first.
  const approximate = Math.floor((toMs - fromMs) / APPROXIMATE_MS[chosen]);
  if (approximate > MAX_DRAWN_BUCKETS) {
    throw new InputError(
      `too many ${chosen} buckets to draw (about ${approximate}, at most ${MAX_DRAWN_BUCKETS}): choose a longer bucket or a shorter range`,
    );
  }
  return computeBuckets(chosen, zone, fromMs, toMs);
}

const APPROXIMATE_MS: Record<BucketUnit, number> = {
  hour: MS_PER_DAY / 24 + 1,
  day: MS_PER_DAY + 3_600_000,
  week: 7 * MS_PER_DAY + 3_600_000,
  month: 31 * MS_PER_DAY,
};
