import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bucketIndexOf, computeBuckets, MAX_BUCKETS } from '../src/time/buckets.js';
import { formatInstant } from '../src/time/format.js';

const HOUR = 3_600_000;
const utc = (text: string) => Date.parse(text);
const iso = (ms: number) => new Date(ms).toISOString();
const lengths = (boundaries: number[]) => boundaries.slice(1).map((end, index) => (end - boundaries[index]!) / HOUR);

describe('computeBuckets', () => {
  it('day buckets in New York last 23 and 25 hours', () => {
    const spring = computeBuckets('day', 'America/New_York', utc('2026-03-07T12:00Z'), utc('2026-03-09T12:00Z'));
    assert.deepEqual(spring.labels, ['2026-03-07', '2026-03-08', '2026-03-09']);
    assert.deepEqual(lengths(spring.boundaries), [24, 23, 24]);
    assert.equal(iso(spring.boundaries[1]!), '2026-03-08T05:00:00.000Z');

    const fall = computeBuckets('day', 'America/New_York', utc('2026-11-01T12:00Z'), utc('2026-11-01T13:00Z'));
    assert.deepEqual(fall.labels, ['2026-11-01']);
    assert.deepEqual(lengths(fall.boundaries), [25]);
  });

  it('day buckets in Berlin last 23 hours on 2026-03-29 and 25 on 2026-10-25', () => {
    const spring = computeBuckets('day', 'Europe/Berlin', utc('2026-03-29T00:00Z'), utc('2026-03-29T01:00Z'));
    assert.deepEqual(lengths(spring.boundaries), [23]);
    const fall = computeBuckets('day', 'Europe/Berlin', utc('2026-10-25T00:00Z'), utc('2026-10-25T01:00Z'));
    assert.deepEqual(lengths(fall.boundaries), [25]);
  });

  it('hour buckets give the repeated 01:00 twice, labelled by offset', () => {
    const buckets = computeBuckets('hour', 'America/New_York', utc('2026-11-01T04:00Z'), utc('2026-11-01T08:00Z'));
    assert.deepEqual(buckets.labels, ['2026-11-01T00:00-04:00', '2026-11-01T01:00-04:00', '2026-11-01T01:00-05:00', '2026-11-01T02:00-05:00']);
    assert.deepEqual(lengths(buckets.boundaries), [1, 1, 1, 1]);
  });

  it('hour buckets skip 02:00 on a spring-forward night, 23 per day', () => {
    const buckets = computeBuckets('hour', 'America/New_York', utc('2026-03-08T05:00Z'), utc('2026-03-09T04:00Z'));
    assert.equal(buckets.labels.length, 23);
    assert.deepEqual(buckets.labels.slice(1, 3), ['2026-03-08T01:00-05:00', '2026-03-08T03:00-04:00']);
  });

  it('hour buckets in Kathmandu start at a quarter past the UTC hour', () => {
    const buckets = computeBuckets('hour', 'Asia/Kathmandu', utc('2026-01-01T00:20Z'), utc('2026-01-01T01:00Z'));
    assert.deepEqual(buckets.labels, ['2026-01-01T06:00+05:45']);
    assert.equal(iso(buckets.boundaries[0]!), '2026-01-01T00:15:00.000Z');
  });

  it('hour buckets on Lord Howe Island split at the 30-minute change', () => {
    const buckets = computeBuckets('hour', 'Australia/Lord_Howe', utc('2025-10-04T14:00Z'), utc('2025-10-04T17:00Z'));
    assert.deepEqual(buckets.labels, ['2025-10-05T00:00+10:30', '2025-10-05T01:00+10:30', '2025-10-05T02:30+11:00', '2025-10-05T03:00+11:00']);
    assert.deepEqual(lengths(buckets.boundaries), [1, 1, 0.5, 1]);
  });

  it('week buckets start on Monday, across a year end', () => {
    const buckets = computeBuckets('week', 'UTC', utc('2026-01-01T00:00Z'), utc('2026-01-06T00:00Z'));
    assert.deepEqual(buckets.labels, ['2025-12-29', '2026-01-05']);
    assert.equal(iso(buckets.boundaries[0]!), '2025-12-29T00:00:00.000Z');
  });

  it('week buckets in New York hold the 23-hour day', () => {
    const buckets = computeBuckets('week', 'America/New_York', utc('2026-03-08T12:00Z'), utc('2026-03-08T13:00Z'));
    assert.deepEqual(buckets.labels, ['2026-03-02']);
    assert.deepEqual(lengths(buckets.boundaries), [7 * 24 - 1]);
  });

  it('month buckets follow the local calendar', () => {
    const buckets = computeBuckets('month', 'Asia/Shanghai', utc('2026-01-31T17:00Z'), utc('2026-03-01T00:00Z'));
    assert.deepEqual(buckets.labels, ['2026-02', '2026-03']);
    assert.equal(iso(buckets.boundaries[0]!), '2026-01-31T16:00:00.000Z');
    assert.equal(iso(buckets.boundaries[1]!), '2026-02-28T16:00:00.000Z');
  });

  it('day buckets skip 2011-12-30 in Samoa, which never happened there', () => {
    const buckets = computeBuckets('day', 'Pacific/Apia', utc('2011-12-29T12:00Z'), utc('2011-12-31T00:00Z'));
    assert.deepEqual(buckets.labels, ['2011-12-29', '2011-12-31']);
  });

  it('rejects ranges that need more than the bucket limit', () => {
    const from = utc('2000-01-01T00:00Z');
    assert.throws(() => computeBuckets('hour', 'UTC', from, from + (MAX_BUCKETS + 1) * HOUR), /too many hour buckets/);
  });
});

describe('bucketIndexOf', () => {
  const boundaries = [10, 20, 30];

  it('includes each lower boundary and excludes the upper', () => {
    assert.equal(bucketIndexOf(boundaries, 10), 0);
    assert.equal(bucketIndexOf(boundaries, 19), 0);
    assert.equal(bucketIndexOf(boundaries, 20), 1);
    assert.equal(bucketIndexOf(boundaries, 29), 1);
  });

  it('returns -1 outside the buckets', () => {
    assert.equal(bucketIndexOf(boundaries, 9), -1);
    assert.equal(bucketIndexOf(boundaries, 30), -1);
  });
});

describe('formatInstant', () => {
  it('writes the wall clock with its offset', () => {
    assert.equal(formatInstant(utc('2026-03-08T07:30Z'), 'America/New_York'), '2026-03-08T03:30:00.000-04:00');
    assert.equal(formatInstant(utc('2026-03-08T06:30Z'), 'America/New_York'), '2026-03-08T01:30:00.000-05:00');
    assert.equal(formatInstant(utc('2026-01-01T00:00:00.007Z'), 'Asia/Kathmandu'), '2026-01-01T05:45:00.007+05:45');
    assert.equal(formatInstant(utc('2026-01-01T00:00Z'), 'UTC'), '2026-01-01T00:00:00.000+00:00');
  });
});
