/**
 * Cost of the schema-version-2 indexes (records_cost, records_source) on
 * batch inserts: 100,000 records in batches of 500 into a fresh store, with
 * the version-2 indexes and with them dropped (the version-1 schema).
 * Usage: node --import tsx bench/sqlite-index-insert-cost.ts [runs] [uuid|sequential]
 * With `uuid` (the default) the ids and request ids are random, as `send`
 * writes them; with `sequential` they are in insertion order.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { SQLiteRepository } from '../src/store/sqlite/repository.js';
import { randomRecords } from '../test/support/records.js';

const runs = Number(process.argv[2] ?? 3);
const ids = process.argv[3] ?? 'uuid';
const records = randomRecords(100_000, { seed: 5, maxGapMs: 1000 }).map((record) =>
  ids === 'uuid' ? { ...record, id: randomUUID(), requestId: record.requestId === null ? null : `req_${randomUUID().replaceAll('-', '')}` } : record,
);

const SCHEMAS: Record<string, string> = {
  'version 1 indexes': 'DROP INDEX records_cost; DROP INDEX records_source',
  'version 2 indexes': '',
};

async function insertAll(schema: string): Promise<number> {
  mkdirSync('.bench-data', { recursive: true });
  const path = '.bench-data/index-insert-cost.db';
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  const repository = new SQLiteRepository(path);
  await repository.init();
  if (SCHEMAS[schema]) {
    const db = new Database(path);
    db.exec(SCHEMAS[schema]!);
    db.close();
  }
  const started = performance.now();
  for (let index = 0; index < records.length; index += 500) repository.insertSync(records.slice(index, index + 500));
  const elapsed = performance.now() - started;
  await repository.close();
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  return elapsed;
}

const times: Record<string, number[]> = {};
for (let run = 0; run < runs; run++) {
  for (const schema of Object.keys(SCHEMAS)) (times[schema] ??= []).push(await insertAll(schema));
}
const median = (items: number[]) => [...items].sort((a, b) => a - b)[Math.floor(items.length / 2)]!;
const baseline = median(times['version 1 indexes']!);
for (const [schema, values] of Object.entries(times)) {
  console.log(`${schema}: median ${median(values).toFixed(0)} ms [${values.map((value) => value.toFixed(0)).join(', ')}], ratio ${(median(values) / baseline).toFixed(2)}`);
}
