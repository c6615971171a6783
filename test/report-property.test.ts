import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { PromptRecord } from '../src/core/record.js';
import { buildReport, type ReportSums } from '../src/report/build.js';
import { parseGroupBy } from '../src/report/group-by.js';
import type { SQLiteRepository } from '../src/store/sqlite/repository.js';
import { bucketIndexOf } from '../src/time/buckets.js';
import { addDays, isoWeekday } from '../src/time/calendar.js';
import type { BucketUnit } from '../src/time/buckets.js';
import { formatWallDate } from '../src/time/format.js';
import { wallTimeAt } from '../src/time/zone.js';
import { randomRecords, seededRandom } from './support/records.js';
import { openStore, storeWith } from './support/report-store.js';

const ZONES = [
  'UTC',
  'America/New_York',
  'America/Los_Angeles',
  'America/Santiago',
  'Europe/Berlin',
  'Asia/Kathmandu',
  'Asia/Shanghai',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'Pacific/Kiritimati',
];
const CASES = 300;
const DAY = 86_400_000;

// Records every few hours to days across 2025, so every zone's changes fall inside.
const START = Date.UTC(2025, 0, 1);
const records = randomRecords(400, { seed: 7, startMs: START, maxGapMs: 2 * DAY });
const END = records[records.length - 1]!.startedAt.getTime() + 1;

function sumRecords(selected: PromptRecord[]): { requests: number; inputTokens: number; costNanos: bigint; unpriced: number } {
  let costNanos = 0n;
  let inputTokens = 0;
  for (const record of selected) {
    costNanos += record.cost?.total ?? 0n;
    inputTokens += record.usage.inputTokens;
  }
  return { requests: selected.length, inputTokens, costNanos, unpriced: selected.filter((record) => record.cost === null).length };
}

/** The label a record at `ms` must get, worked out from its local date alone. */
function expectedLabel(unit: BucketUnit, zone: string, ms: number): string {
  const date = wallTimeAt(zone, ms);
  if (unit === 'month') return formatWallDate(date).slice(0, 7);
  if (unit === 'week') return formatWallDate(addDays(date, 1 - isoWeekday(date)));
  return formatWallDate(date);
}

const summary = (sums: ReportSums) => ({ requests: sums.requests, inputTokens: sums.usage.inputTokens, costNanos: sums.costNanos, unpriced: sums.unpricedRequests });

describe('report time buckets over random ranges and zones', () => {
  let repository: SQLiteRepository;
  before(async () => {
    repository = await openStore(await storeWith(records));
  });
  after(async () => {
    await repository.close();
  });

  it(`puts every record in one bucket, ${CASES} cases`, async () => {
    const random = seededRandom(42);
    for (let index = 0; index < CASES; index++) {
      const timezone = ZONES[Math.floor(random() * ZONES.length)]!;
      // Mostly days, the unit the property is about. Weeks and months check the other calendar steps.
      const unit: BucketUnit = random() < 0.6 ? 'day' : random() < 0.5 ? 'week' : 'month';
      const a = START + Math.floor(random() * (END - START));
      const b = START + Math.floor(random() * (END - START));
      let fromMs: number | null = Math.min(a, b);
      let toMs: number | null = Math.max(a, b) + 1;
      if (random() < 0.15) fromMs = null;
      if (random() < 0.15) toMs = null;
      const context = `case ${index}: ${unit} in ${timezone} [${fromMs}, ${toMs})`;

      const filter = { ...(fromMs === null ? {} : { fromMs }), ...(toMs === null ? {} : { toMs }) };
      const report = await buildReport(repository, { timezone, fromMs, toMs, filter, groupBy: parseGroupBy(unit), fill: false });
      const inRange = records.filter((record) => {
        const t = record.startedAt.getTime();
        return (fromMs === null || t >= fromMs) && (toMs === null || t < toMs);
      });

      // The rows add up to the unbucketed total of the records in range.
      assert.deepEqual(summary(report.totals), sumRecords(inRange), context);

      // Each record's bucket, found by binary search, is the row for its local day, week or month.
      const boundaries = report.buckets?.boundaries ?? [];
      for (let i = 1; i < boundaries.length; i++) assert.ok(boundaries[i - 1]! < boundaries[i]!, `${context}: boundaries not increasing at ${i}`);
      const expectedCounts = new Map<string, number>();
      for (const record of inRange) {
        const t = record.startedAt.getTime();
        const bucket = bucketIndexOf(boundaries, t);
        assert.notEqual(bucket, -1, `${context}: ${record.startedAt.toISOString()} outside every bucket`);
        const label = report.buckets!.labels[bucket]!;
        assert.equal(label, expectedLabel(unit, timezone, t), `${context}: ${record.startedAt.toISOString()}`);
        expectedCounts.set(label, (expectedCounts.get(label) ?? 0) + 1);
      }
      const actualCounts = new Map(report.rows.map((row) => [row.bucket!.label, row.requests]));
      assert.deepEqual(actualCounts, expectedCounts, context);
    }
  });
});
