/**
 * The behaviour every RepositoryAdapter must share, as one suite that each
 * store runs against a fresh, empty repository of its own kind.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { PromptRecord } from '../../src/core/record.js';
import { reportedModel } from '../../src/core/record.js';
import type { AggregateRow, GroupDimension, RecordFilter, RepositoryAdapter } from '../../src/store/repository.js';
import { randomRecords, sampleRecord } from './records.js';

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/** Compare by start time, then by id in byte order, the order the stores return. */
function byStart(a: PromptRecord, b: PromptRecord): number {
  const difference = a.startedAt.getTime() - b.startedAt.getTime();
  if (difference !== 0) return difference;
  if (a.id === b.id) return 0;
  return a.id < b.id ? -1 : 1;
}

const ids = (records: PromptRecord[]) => records.map((record) => record.id);

/** Group key and sums computed in JavaScript, to compare with the store's aggregate. */
function expectedAggregate(records: PromptRecord[], dimensions: GroupDimension[], boundaries?: number[]) {
  const groups = new Map<string, { requests: number; unpriced: number; input: number; cost: bigint }>();
  for (const record of records) {
    let bucket: number | null = null;
    if (boundaries) {
      const t = record.startedAt.getTime();
      const index = boundaries.findIndex((lower, i) => i + 1 < boundaries.length && lower <= t && t < boundaries[i + 1]!);
      if (index < 0) continue;
      bucket = index;
    }
    const values = dimensions.map((dimension) => dimensionValue(record, dimension));
    const key = JSON.stringify([bucket, ...values]);
    const group = groups.get(key) ?? { requests: 0, unpriced: 0, input: 0, cost: 0n };
    group.requests += 1;
    group.unpriced += record.cost === null ? 1 : 0;
    group.input += record.usage.inputTokens;
    group.cost += record.cost?.total ?? 0n;
    groups.set(key, group);
  }
  return groups;
}

function dimensionValue(record: PromptRecord, dimension: GroupDimension): string | null {
  if (dimension === 'model') return reportedModel(record);
  if (dimension === 'category') return record.category;
  if (dimension === 'status') return record.status;
  if (dimension === 'source') return record.source;
  return record.tags[dimension.slice(4)] ?? null;
}

function actualAggregate(rows: AggregateRow[]) {
  const groups = new Map<string, { requests: number; unpriced: number; input: number; cost: bigint }>();
  for (const row of rows) {
    const key = JSON.stringify([row.bucketIndex, ...row.dimensionValues]);
    assert.ok(!groups.has(key), `aggregate returned group ${key} twice`);
    groups.set(key, { requests: row.requests, unpriced: row.unpricedRequests, input: row.usage.inputTokens, cost: row.costNanos });
  }
  return groups;
}

/**
 * Register the contract suite. `openFreshRepository` returns an initialised,
 * empty repository; the suite closes each one it opens.
 */
export function describeRepositoryContract(name: string, openFreshRepository: () => Promise<RepositoryAdapter>): void {
  describe(`${name} repository contract`, () => {
    const opened: RepositoryAdapter[] = [];
    const fresh = async () => {
      const repository = await openFreshRepository();
      opened.push(repository);
      return repository;
    };
    after(async () => {
      for (const repository of opened) await repository.close();
    });

    it('insert counts inserted records and stores them unchanged', async () => {
      const repository = await fresh();
      const records = randomRecords(40, { seed: 7 });
      assert.deepEqual(await repository.insert(records), { inserted: 40, duplicates: 0 });
      assert.deepEqual(await collect(repository.query({}, { order: 'asc' })), [...records].sort(byStart));
    });

    it('insert of a stored id changes nothing', async () => {
      const repository = await fresh();
      const original = sampleRecord({ category: 'first' });
      await repository.insert([original]);
      const again = { ...original, requestId: 'req_other', category: 'second' };
      assert.deepEqual(await repository.insert([again]), { inserted: 0, duplicates: 1 });
      const stored = await collect(repository.query({}, { order: 'asc' }));
      assert.deepEqual(stored, [original]);
    });

    it('insert of a stored request id changes nothing', async () => {
      const repository = await fresh();
      const original = sampleRecord();
      const sameRequest = sampleRecord({ requestId: original.requestId });
      assert.deepEqual(await repository.insert([original, sameRequest]), { inserted: 1, duplicates: 1 });
      assert.deepEqual(ids(await collect(repository.query({}, { order: 'asc' }))), [original.id]);
    });

    it('records without request id never collide', async () => {
      const repository = await fresh();
      const records = [sampleRecord({ requestId: null }), sampleRecord({ requestId: null })];
      assert.deepEqual(await repository.insert(records), { inserted: 2, duplicates: 0 });
      assert.deepEqual(await repository.insert([]), { inserted: 0, duplicates: 0 });
    });

    describe('query filters', () => {
      const records = randomRecords(300, { seed: 11, maxGapMs: 3_600_000 });
      const sorted = [...records].sort(byStart);
      let repository: RepositoryAdapter;
      before(async () => {
        repository = await fresh();
        await repository.insert(records);
      });

      const check = async (filter: RecordFilter, keep: (record: PromptRecord) => boolean) => {
        const expected = ids(sorted.filter(keep));
        assert.ok(expected.length > 0, 'the filter case selects some records');
        assert.ok(expected.length < sorted.length, 'the filter case leaves some records out');
        assert.deepEqual(ids(await collect(repository.query(filter, { order: 'asc' }))), expected);
      };

      it('time range is half-open at both ends', async () => {
        const from = sorted[50]!.startedAt.getTime();
        const to = sorted[120]!.startedAt.getTime();
        await check({ fromMs: from, toMs: to }, (r) => r.startedAt.getTime() >= from && r.startedAt.getTime() < to);
        const onBoundary = await collect(repository.query({ fromMs: to, toMs: to + 1 }, { order: 'asc' }));
        assert.ok(onBoundary.some((record) => record.id === sorted[120]!.id), 'a record at toMs belongs to the next range');
      });

      it('categories, models, statuses and sources', async () => {
        await check({ categories: ['chat', 'extract'] }, (r) => r.category === 'chat' || r.category === 'extract');
        await check({ models: ['claude-haiku-4-5-20250929'] }, (r) => reportedModel(r) === 'claude-haiku-4-5-20250929');
        await check({ models: ['unpriced-model'] }, (r) => reportedModel(r) === 'unpriced-model');
        await check({ statuses: ['error'] }, (r) => r.status === 'error');
        await check({ sources: ['bench', 'import'] }, (r) => r.source !== 'send');
      });

      it('tag filter matches every pair', async () => {
        await check({ tags: { team: 'ml' } }, (r) => r.tags.team === 'ml');
        await check({ tags: { team: 'ml', env: 'prod' } }, (r) => r.tags.team === 'ml' && r.tags.env === 'prod');
      });

      it('combined filters', async () => {
        const from = sorted[100]!.startedAt.getTime();
        await check({ fromMs: from, statuses: ['ok'], tags: { team: 'search' } }, (r) => r.startedAt.getTime() >= from && r.status === 'ok' && r.tags.team === 'search');
      });

      it('empty list filter matches nothing', async () => {
        assert.deepEqual(await collect(repository.query({ categories: [] }, { order: 'asc' })), []);
      });

      it('descending order and limit 5', async () => {
        const newest = await collect(repository.query({}, { order: 'desc', limit: 5 }));
        assert.deepEqual(ids(newest), ids([...sorted].reverse().slice(0, 5)));
        const oldest = await collect(repository.query({}, { order: 'asc', limit: 5 }));
        assert.deepEqual(ids(oldest), ids(sorted.slice(0, 5)));
      });
    });

    it('ingested time selects only later inserts', async () => {
      const repository = await fresh();
      const first = randomRecords(5, { seed: 21 });
      const second = randomRecords(5, { seed: 22 });
      await repository.insert(first);
      await new Promise((resolve) => setTimeout(resolve, 20));
      const between = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 20));
      await repository.insert(second);
      const later = await collect(repository.query({ ingestedFromMs: between }, { order: 'asc' }));
      assert.deepEqual(ids(later).sort(), ids(second).sort());
      const earlier = await collect(repository.query({ ingestedToMs: between }, { order: 'asc' }));
      assert.deepEqual(ids(earlier).sort(), ids(first).sort());
    });

    describe('aggregate', () => {
      const records = randomRecords(400, { seed: 5, maxGapMs: 900_000 });
      let repository: RepositoryAdapter;
      before(async () => {
        repository = await fresh();
        await repository.insert(records);
      });

      const dimensionCases: GroupDimension[][] = [[], ['model'], ['category'], ['status'], ['source'], ['tag:team'], ['model', 'tag:env']];
      for (const dimensions of dimensionCases) {
        it(`groups by [${dimensions.join(', ')}]`, async () => {
          const rows = await repository.aggregate({ filter: {}, dimensions });
          assert.deepEqual(actualAggregate(rows), expectedAggregate(records, dimensions));
        });
      }

      it('filter applies before grouping', async () => {
        const filter: RecordFilter = { statuses: ['ok'], tags: { team: 'billing' } };
        const matching = records.filter((r) => r.status === 'ok' && r.tags.team === 'billing');
        const rows = await repository.aggregate({ filter, dimensions: ['model'] });
        assert.deepEqual(actualAggregate(rows), expectedAggregate(matching, ['model']));
      });

      it('bucket boundary belongs to the later bucket', async () => {
        const sorted = [...records].sort(byStart);
        // Boundaries exactly on record start times, leaving records before the first and after the last.
        const boundaries = [sorted[30]!, sorted[100]!, sorted[101]!, sorted[250]!, sorted[390]!].map((r) => r.startedAt.getTime());
        const rows = await repository.aggregate({ filter: {}, dimensions: ['category'], bucketBoundaries: boundaries });
        assert.deepEqual(actualAggregate(rows), expectedAggregate(records, ['category'], boundaries));
        const total = rows.reduce((sum, row) => sum + row.requests, 0);
        const inside = records.filter((r) => r.startedAt.getTime() >= boundaries[0]! && r.startedAt.getTime() < boundaries[4]!);
        assert.equal(total, inside.length);
      });

      it('empty store and no buckets give no rows', async () => {
        const empty = await fresh();
        assert.deepEqual(await empty.aggregate({ filter: {}, dimensions: ['model'] }), []);
        assert.deepEqual(await repository.aggregate({ filter: {}, dimensions: [], bucketBoundaries: [0] }), []);
      });
    });

    it('tag keys with dots and quotes', async () => {
      const repository = await fresh();
      const tagged = sampleRecord({ tags: { 'app.name': 'web', 'say "hi"': 'yes' } });
      await repository.insert([tagged, sampleRecord({ tags: { app: 'web' } })]);
      const byDottedKey = await collect(repository.query({ tags: { 'app.name': 'web' } }, { order: 'asc' }));
      assert.deepEqual(ids(byDottedKey), [tagged.id]);
      const byQuotedKey = await collect(repository.query({ tags: { 'say "hi"': 'yes' } }, { order: 'asc' }));
      assert.deepEqual(ids(byQuotedKey), [tagged.id]);
      const rows = await repository.aggregate({ filter: {}, dimensions: ['tag:say "hi"'] });
      const counts = Object.fromEntries(rows.map((row) => [String(row.dimensionValues[0]), row.requests]));
      assert.deepEqual(counts, { yes: 1, null: 1 });
    });

    it('counts unpriced requests apart from cost', async () => {
      const repository = await fresh();
      await repository.insert([sampleRecord(), sampleRecord({ cost: null, priceEntry: null }), sampleRecord({ cost: null, priceEntry: null })]);
      const [row] = await repository.aggregate({ filter: {}, dimensions: [] });
      assert.equal(row!.requests, 3);
      assert.equal(row!.unpricedRequests, 2);
      assert.equal(row!.costNanos, 6_000_000n);
    });

    it('cost sum stays exact beyond 2^53 nano-dollars', async () => {
      const repository = await fresh();
      const big = 2n ** 53n + 1n;
      const cost = { input: big, output: 0n, cacheWrite5m: 0n, cacheWrite1h: 0n, cacheRead: 0n, webSearch: 0n, total: big };
      await repository.insert([sampleRecord({ cost }), sampleRecord({ cost }), sampleRecord({ cost: { ...cost, total: 3n, input: 3n } })]);
      const [row] = await repository.aggregate({ filter: {}, dimensions: [] });
      assert.equal(row!.costNanos, 2n * big + 3n);
      const stored = await collect(repository.query({}, { order: 'asc' }));
      assert.equal(stored[0]!.cost!.total, big);
    });

    it('stats report count, size and time span', async () => {
      const repository = await fresh();
      const empty = await repository.stats();
      assert.equal(empty.records, 0);
      assert.equal(empty.oldest, null);
      assert.equal(empty.newest, null);
      const records = randomRecords(25, { seed: 3 });
      await repository.insert(records);
      const stats = await repository.stats();
      const sorted = [...records].sort(byStart);
      assert.equal(stats.records, 25);
      assert.deepEqual(stats.oldest, sorted[0]!.startedAt);
      assert.deepEqual(stats.newest, sorted[24]!.startedAt);
      assert.ok(stats.bytes === null || stats.bytes > 0, `bytes ${stats.bytes}`);
    });
  });
}
