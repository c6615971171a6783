import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SQLiteRepository } from '../src/store/sqlite/repository.js';
import { collect } from './support/repository-contract.js';
import { randomRecords } from './support/records.js';

const root = mkdtempSync(join(tmpdir(), 'anthrotrace-filecheck-'));
after(() => rmSync(root, { recursive: true, force: true }));
let caseNumber = 0;

/** Create a directory for one case, so that its listing shows any -wal or -shm file the store leaves. */
function caseDirectory(): string {
  const directory = join(root, `case-${(caseNumber += 1)}`);
  mkdirSync(directory);
  return directory;
}

function snapshot(path: string) {
  const directory = join(path, '..');
  return { bytes: readFileSync(path), mtimeMs: statSync(path).mtimeMs, files: readdirSync(directory).sort() };
}

async function expectRejected(path: string, message: RegExp, exitCode: number): Promise<void> {
  const before = snapshot(path);
  const repository = new SQLiteRepository(path);
  await assert.rejects(repository.init(), (error: Error & { exitCode?: number }) => {
    assert.match(error.message, message);
    assert.equal(error.exitCode, exitCode);
    assert.ok(!error.message.includes('\n'), 'the message is one line');
    return true;
  });
  const afterwards = snapshot(path);
  assert.ok(afterwards.bytes.equals(before.bytes), 'file bytes unchanged');
  assert.equal(afterwards.mtimeMs, before.mtimeMs);
  assert.deepEqual(afterwards.files, before.files);
}

async function makeStore(path: string, count: number): Promise<void> {
  const repository = new SQLiteRepository(path);
  await repository.init();
  await repository.insert(randomRecords(count));
  await repository.close();
}

describe('sqlite store rejects foreign files untouched', () => {
  it('text file, exit 2', async () => {
    const path = join(caseDirectory(), 'notes.txt');
    writeFileSync(path, 'these are notes, not a database\n'.repeat(20));
    await expectRejected(path, /notes\.txt is not an AnthroTrace database \(not an SQLite database\)/, 2);
  });

  it('short file, exit 2', async () => {
    const path = join(caseDirectory(), 'short.db');
    writeFileSync(path, 'SQLite');
    await expectRejected(path, /not an SQLite database/, 2);
  });

  it('SQLite database with other tables, exit 2', async () => {
    const path = join(caseDirectory(), 'other.db');
    const db = new Database(path);
    db.exec('CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users (name) VALUES (\'ada\')');
    db.close();
    await expectRejected(path, /an SQLite database with other tables: users/, 2);
  });

  it('WAL database of another program, exit 2', async () => {
    const path = join(caseDirectory(), 'wal.db');
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE events (at INTEGER)');
    db.close();
    await expectRejected(path, /is not an AnthroTrace database \(an SQLite database of another program\)/, 2);
  });

  it('database with another application id, exit 2', async () => {
    const path = join(caseDirectory(), 'app.db');
    const db = new Database(path);
    db.pragma('application_id = 1234');
    db.exec('CREATE TABLE t (x)');
    db.close();
    await expectRejected(path, /application id 1234/, 2);
  });

  it('directory, exit 2', async () => {
    const path = caseDirectory();
    const repository = new SQLiteRepository(path);
    await assert.rejects(repository.init(), /is a directory: pass a file path/);
  });

  it('truncated store, exit 1', async () => {
    const path = join(caseDirectory(), 'truncated.db');
    await makeStore(path, 2000);
    truncateSync(path, 8192);
    await expectRejected(path, /truncated\.db is a damaged AnthroTrace database \(the header lists \d+ pages/, 1);
  });

  it('damaged data pages fail the read with exit 1', async () => {
    const path = join(caseDirectory(), 'damaged-data.db');
    await makeStore(path, 2000);
    const bytes = readFileSync(path);
    bytes.fill(0xa5, Math.floor(bytes.length * 0.3), Math.floor(bytes.length * 0.7));
    writeFileSync(path, bytes);

    const repository = new SQLiteRepository(path);
    await repository.init();
    const expected = (error: Error & { exitCode?: number }) => {
      assert.match(error.message, /damaged-data\.db is a damaged AnthroTrace database \(database disk image is malformed\)/);
      assert.equal(error.exitCode, 1);
      return true;
    };
    await assert.rejects(repository.aggregate({ filter: {}, dimensions: ['model'] }), expected);
    await assert.rejects(collect(repository.query({}, { order: 'asc' })), expected);
    await repository.close();
  });

  it('store with a damaged schema page, exit 1', async () => {
    const path = join(caseDirectory(), 'damaged.db');
    await makeStore(path, 50);
    const bytes = readFileSync(path);
    // Page 1 contains the schema table after the 100-byte header.
    bytes.fill(0xa5, 100, 4096);
    writeFileSync(path, bytes);
    await expectRejected(path, /damaged\.db is a damaged AnthroTrace database \(.+\): restore it from a backup/, 1);
  });
});
