import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SQLiteRepository } from '../src/store/sqlite/repository.js';
import { sampleRecord } from './support/records.js';

const directory = mkdtempSync(join(tmpdir(), 'anthrotrace-concurrency-'));
after(() => rmSync(directory, { recursive: true, force: true }));
const writer = new URL('./support/sqlite-writer.ts', import.meta.url).pathname;

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

function startWriter(args: string[], onStdout?: (text: string) => void): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writer, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      onStdout?.(stdout);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('sqlite store under concurrent writers', () => {
  it('8 processes inserting 500 records each store exactly 4,000 rows', async () => {
    // The file does not exist yet, so the processes also race to create the schema.
    const path = join(directory, 'shared.db');
    const results = await Promise.all(Array.from({ length: 8 }, (_, index) => startWriter(['insert', path, '500', `writer${index}`])));

    for (const result of results) {
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout.trim(), 'inserted 500');
      assert.doesNotMatch(result.stderr, /locked|SQLITE_BUSY/i);
    }
    const db = new Database(path, { readonly: true });
    assert.equal(db.prepare('SELECT count(*) FROM records').pluck().get(), 4000);
    assert.equal(db.prepare('SELECT count(DISTINCT id) FROM records').pluck().get(), 4000);
    db.close();
  });

  it('writer waits for a 1-second BEGIN IMMEDIATE instead of failing', async () => {
    const path = join(directory, 'held.db');
    const repository = new SQLiteRepository(path);
    await repository.init();

    let signalLocked: () => void;
    const locked = new Promise<void>((resolve) => (signalLocked = resolve));
    const holder = startWriter(['hold', path, '1000'], (text) => {
      if (text.includes('locked')) signalLocked();
    });
    await locked;

    const started = Date.now();
    const result = await repository.insert([sampleRecord()]);
    const waitedMs = Date.now() - started;
    assert.deepEqual(result, { inserted: 1, duplicates: 0 });
    assert.ok(waitedMs >= 500, `the insert waited ${waitedMs} ms for the lock`);
    const held = await holder;
    assert.equal(held.code, 0, held.stderr);
    assert.equal((await repository.stats()).records, 1);
    await repository.close();
  });
});
