import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { PromptRecord } from '../src/core/record.js';
import type { RecordFilter } from '../src/store/repository.js';
import { SQLiteRepository } from '../src/store/sqlite/repository.js';
import { INSERT_SQL, recordToRow } from '../src/store/sqlite/rows.js';
import { APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION } from '../src/store/sqlite/schema.js';
import { collect } from './support/repository-contract.js';
import { randomRecords, sampleRecord } from './support/records.js';

const directory = mkdtempSync(join(tmpdir(), 'anthrotrace-sqlite-top-'));
after(() => rmSync(directory, { recursive: true, force: true }));
let fileNumber = 0;
const freshPath = () => join(directory, `store-${(fileNumber += 1)}.db`);

/** Computes the top `limit` ids in JavaScript: priced only, dearest first, then newer, then smaller id. */
function expectedTop(records: PromptRecord[], filter: (record: PromptRecord) => boolean, limit: number): string[] {
  return records
    .filter((record) => record.cost !== null && filter(record))
    .sort((a, b) => {
      if (a.cost!.total !== b.cost!.total) return a.cost!.total > b.cost!.total ? -1 : 1;
      if (a.startedAt.getTime() !== b.startedAt.getTime()) return b.startedAt.getTime() - a.startedAt.getTime();
      return a.id < b.id ? -1 : 1;
    })
    .slice(0, limit)
    .map((record) => record.id);
}

/** Records with equal costs and equal start times, so every tie-break is exercised. */
function tiedRecords(): PromptRecord[] {
  const cost = (total: bigint) => ({ input: total, output: 0n, cacheWrite5m: 0n, cacheWrite1h: 0n, cacheRead: 0n, webSearch: 0n, total });
  const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms);
  return [
    sampleRecord({ id: 'tie-b', requestId: null, startedAt: at(1000), cost: cost(5_000n) }),
    sampleRecord({ id: 'tie-a', requestId: null, startedAt: at(1000), cost: cost(5_000n) }),
    sampleRecord({ id: 'tie-older', requestId: null, startedAt: at(0), cost: cost(5_000n) }),
    sampleRecord({ id: 'dearest', requestId: null, startedAt: at(0), cost: cost(2n ** 60n) }),
    sampleRecord({ id: 'unpriced', requestId: null, startedAt: at(2000), cost: null, priceEntry: null }),
  ];
}

describe('sqlite topByCost', () => {
  it('orders by cost, then newer, then id', async () => {
    const repository = new SQLiteRepository(freshPath());
    await repository.init();
    await repository.insert(tiedRecords());
    const top = await repository.topByCost({}, 10);
    assert.deepEqual(top.map((record) => record.id), ['dearest', 'tie-a', 'tie-b', 'tie-older']);
    assert.equal(top[0]!.cost!.total, 2n ** 60n);
    await repository.close();
  });

  it('matches a full sort over 500 records with filters', async () => {
    const repository = new SQLiteRepository(freshPath());
    await repository.init();
    const records = randomRecords(500, { seed: 7 });
    await repository.insert(records);
    const middle = records[250]!.startedAt.getTime();
    const cases: [RecordFilter, (record: PromptRecord) => boolean][] = [
      [{}, () => true],
      [{ fromMs: middle }, (record) => record.startedAt.getTime() >= middle],
      [{ toMs: middle, categories: ['chat'] }, (record) => record.startedAt.getTime() < middle && record.category === 'chat'],
      [{ tags: { team: 'ml' } }, (record) => record.tags.team === 'ml'],
      [{ categories: [] }, () => false],
    ];
    for (const [filter, predicate] of cases) {
      for (const limit of [0, 1, 20, 1000]) {
        const top = await repository.topByCost(filter, limit);
        assert.deepEqual(top.map((record) => record.id), expectedTop(records, predicate, limit), `${JSON.stringify(filter)} limit ${limit}`);
      }
    }
    const byId = new Map(records.map((record) => [record.id, record]));
    for (const record of await repository.topByCost({}, 5)) assert.deepEqual(record, byId.get(record.id));
    await repository.close();
  });
});

describe('sqlite schema migration', () => {
  it('migrates a version 1 file to version 2 and keeps its records', async () => {
    const path = freshPath();
    const records = [...randomRecords(50, { seed: 3 }), ...tiedRecords()];
    const old = new Database(path);
    old.exec(MIGRATIONS[0]!);
    old.pragma(`application_id = ${APPLICATION_ID}`);
    old.pragma('user_version = 1');
    old.pragma('journal_mode = WAL');
    const insert = old.prepare(INSERT_SQL);
    for (const record of records) insert.run(recordToRow(record, Date.now()));
    old.close();

    const repository = new SQLiteRepository(path);
    await repository.init();
    const stored = await collect(repository.query({}, { order: 'asc' }));
    assert.equal(stored.length, records.length);
    const byId = new Map(records.map((record) => [record.id, record]));
    for (const record of stored) assert.deepEqual(record, byId.get(record.id));
    const top = await repository.topByCost({}, 3);
    assert.deepEqual(top.map((record) => record.id), expectedTop(records, () => true, 3));
    await repository.close();

    const db = new Database(path, { readonly: true });
    assert.equal(SCHEMA_VERSION, 2);
    assert.equal(db.pragma('user_version', { simple: true }), 2);
    const indexes = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'records'`).all() as { name: string }[]).map((row) => row.name);
    assert.ok(indexes.includes('records_cost'), indexes.join(', '));
    assert.ok(indexes.includes('records_source'), indexes.join(', '));
    const plan = db.prepare(`EXPLAIN QUERY PLAN SELECT id FROM records r WHERE r.source IN (?) ORDER BY r.started_at_ms`).all('bench') as { detail: string }[];
    assert.match(plan.map((row) => row.detail).join('\n'), /records_source/);
    db.close();
  });
});
