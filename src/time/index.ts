/**
 * The time module: reading `--from`/`--to` values, zones and their offsets,
 * wall-clock buckets, and writing instants. Nothing else does arithmetic on
 * local times.
 */
export { parseTimeInput, TIME_INPUT_EXAMPLES, type ParseTimeOptions, type RangeBound } from './parse.js';
export { computeBuckets, bucketIndexOf, bucketStart, nextBucketStart, bucketLabel, BUCKET_UNITS, MAX_BUCKETS, type Buckets, type BucketUnit } from './buckets.js';
export { formatInstant, formatOffset, formatUtc, formatUtcRange } from './format.js';
export { canonicalZoneName, instantFromWallTime, isKnownTimeZone, offsetMsAt, systemTimeZone, wallTimeAt, type WallTime } from './zone.js';
export { resolveNow, resolveTimeZone } from './settings.js';
