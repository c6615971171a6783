import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SQLiteRepository } from '../src/store/sqlite/repository.js';
import { APPLICATION_ID, SCHEMA_VERSION } from '../src/store/sqlite/schema.js';
import { collect, describeRepositoryContract } from './support/repository-contract.js';
import { randomRecords } from './support/records.js';

const directory = mkdtempSync(join(tmpdir(), 'anthrotrace-sqlite-'));
after(() => rmSync(directory, { recursive: true, force: true }));
let fileNumber = 0;
const freshPath = () => join(directory, `store-${(fileNumber += 1)}.db`);

describeRepositoryContract('sqlite', async () => {
  const repository = new SQLiteRepository(freshPath());
  await repository.init();
  return repository;
});

describe('sqlite store file', () => {
  it('creates missing parent directories', async () => {
    const path = join(directory, 'nested', 'deeper', 'anthrotrace.db');
    const repository = new SQLiteRepository(path);
    await repository.init();
    await repository.insert(randomRecords(3));
    assert.equal((await repository.stats()).records, 3);
    await repository.close();
  });

  it('marks the file with application id and schema version', async () => {
    const path = freshPath();
    const repository = new SQLiteRepository(path);
    await repository.init();
    await repository.close();
    const db = new Database(path, { readonly: true });
    assert.equal(db.pragma('application_id', { simple: true }), APPLICATION_ID);
    assert.equal(db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    db.close();
  });

  it('reopening keeps records and adds no duplicates', async () => {
    const path = freshPath();
    const records = randomRecords(20, { seed: 9 });
    const first = new SQLiteRepository(path);
    await first.init();
    await first.insert(records);
    await first.close();

    const second = new SQLiteRepository(path);
    await second.init();
    assert.deepEqual(await second.insert(records), { inserted: 0, duplicates: 20 });
    assert.equal((await collect(second.query({}, { order: 'asc' }))).length, 20);
    await second.close();
  });

  it('empty existing file becomes a store', async () => {
    const path = freshPath();
    new Database(path).close();
    const repository = new SQLiteRepository(path);
    await repository.init();
    assert.equal((await repository.stats()).records, 0);
    await repository.close();
  });

  it('newer schema version is rejected with exit code 1', async () => {
    const path = freshPath();
    const repository = new SQLiteRepository(path);
    await repository.init();
    await repository.close();
    const db = new Database(path);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();

    const newer = new SQLiteRepository(path);
    await assert.rejects(newer.init(), (error: Error & { exitCode?: number }) => {
      assert.match(error.message, new RegExp(`schema version ${SCHEMA_VERSION + 1}.*upgrade anthrotrace`));
      assert.equal(error.exitCode, 1);
      return true;
    });
  });

  it('write after close fails with a clear message', async () => {
    const repository = new SQLiteRepository(freshPath());
    await repository.init();
    await repository.close();
    await assert.rejects(repository.insert(randomRecords(1)), /not open: call init\(\) first/);
  });

  it('leaves no -wal file after close', async () => {
    const path = freshPath();
    const repository = new SQLiteRepository(path);
    await repository.init();
    await repository.insert(randomRecords(5));
    await repository.close();
    const name = path.split('/').pop()!;
    assert.deepEqual(readdirSync(directory).filter((entry) => entry.startsWith(name)), [name]);
  });
});
