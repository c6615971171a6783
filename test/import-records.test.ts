import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringifyJson } from '../src/core/json.js';
import { silentLogger } from '../src/core/logger.js';
import type { PromptRecord } from '../src/core/record.js';
import { recordToJson } from '../src/core/record-json.js';
import { importRecords, type ImportOptions } from '../src/import/import-records.js';
import { readLineGroups } from '../src/import/read-lines.js';
import type { RepositoryAdapter } from '../src/store/repository.js';
import { SQLiteRepository } from '../src/store/sqlite/repository.js';
import { MemoryRepository } from './support/memory-repository.js';
import { collect } from './support/repository-contract.js';
import { randomRecords, sampleRecord } from './support/records.js';
import { stubPricer } from './support/stub-pricer.js';

const directory = mkdtempSync(join(tmpdir(), 'anthrotrace-import-records-'));
after(() => rmSync(directory, { recursive: true, force: true }));

/** A store that is not SQLite to `importRecords`, so it receives records through `insert`; it notes each batch size. */
class BatchRecordingRepository extends MemoryRepository {
  readonly batchSizes: number[] = [];

  override async insert(records: PromptRecord[]) {
    this.batchSizes.push(records.length);
    return super.insert(records);
  }
}

function writeLines(name: string, lines: string[]): string {
  const path = join(directory, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

function options(repository: RepositoryAdapter, batchSize: number): ImportOptions {
  return { repository, pricer: stubPricer, logger: silentLogger, skipInvalid: false, batchSize, unpricedWarning: (model) => `no price for ${model}` };
}

/** Full records, one above 2^53 nano-dollars, which must come back unchanged. */
function fullRecords(): PromptRecord[] {
  const big = 2n ** 53n + 1n;
  return [
    ...randomRecords(24, { seed: 7 }),
    sampleRecord({ cost: { input: big, output: 0n, cacheWrite5m: 0n, cacheWrite1h: 0n, cacheRead: 0n, webSearch: 0n, total: big } }),
  ];
}

describe('importRecords', () => {
  it('store without a file copy gets 25 records in batches of 10', async () => {
    const records = fullRecords();
    const file = writeLines('full.jsonl', records.map((record) => stringifyJson(recordToJson(record))));
    const repository = new BatchRecordingRepository();

    const summary = await importRecords(file, options(repository, 10));

    assert.deepEqual(summary, { imported: 25, alreadyStored: 0, skipped: 0, unpriced: records.filter((record) => record.cost === null).length });
    assert.deepEqual(repository.batchSizes, [10, 10, 5]);
    assert.deepEqual(repository.records, records);
  });

  it('SQLite store imports 25 records once', async () => {
    const records = fullRecords();
    const file = writeLines('full-sqlite.jsonl', records.map((record) => stringifyJson(recordToJson(record))));
    const repository = new SQLiteRepository(join(directory, 'batches.db'));
    await repository.init();
    const startedMs = Date.now();

    const first = await importRecords(file, options(repository, 10));
    const second = await importRecords(file, options(repository, 10));

    assert.equal(first.imported, 25);
    assert.equal(second.imported, 0);
    assert.equal(second.alreadyStored, 25);
    const byId = new Map((await collect(repository.query({}, { order: 'asc' }))).map((record) => [record.id, record]));
    assert.equal(byId.size, 25);
    for (const record of records) assert.deepEqual(byId.get(record.id), record);
    // The staged rows carry no ingestion time; the store sets it per batch.
    const ingestedSinceStart = await collect(repository.query({ ingestedFromMs: startedMs }, { order: 'asc' }));
    assert.equal(ingestedSinceStart.length, 25);
    await repository.close();
  });

  it('minimal lines are priced at their ts and keep input order', async () => {
    const lines = Array.from({ length: 12 }, (_, index) =>
      JSON.stringify({ ts: `2026-02-01T00:00:${String(index).padStart(2, '0')}Z`, model: 'claude-haiku-4-5', usage: { input_tokens: 1000 + index, output_tokens: 10 } }),
    );
    const repository = new BatchRecordingRepository();

    await importRecords(writeLines('minimal.jsonl', lines), options(repository, 5));

    assert.deepEqual(repository.batchSizes, [5, 5, 2]);
    assert.deepEqual(
      repository.records.map((record) => record.startedAt.toISOString()),
      lines.map((line) => (JSON.parse(line) as { ts: string }).ts.replace('Z', '.000Z')),
    );
    // Haiku 4.5 in the stub price list: 1,000 nano-dollars per input token, 5,000 per output token.
    assert.equal(repository.records[11]!.cost?.total, 1011n * 1000n + 10n * 5000n);
  });

  it('invalid line 2 stores nothing and leaves no staging file', async () => {
    const staging = join(directory, 'tmp');
    mkdirSync(staging);
    const previous = process.env.TMPDIR;
    process.env.TMPDIR = staging;
    const repository = new BatchRecordingRepository();
    const lines = ['{"ts":"2026-02-01T00:00:00Z","model":"claude-haiku-4-5","usage":{"input_tokens":1,"output_tokens":1}}', '{"ts": oops}'];
    try {
      await assert.rejects(importRecords(writeLines('bad.jsonl', lines), options(repository, 10)), { name: 'ImportLineError', message: /^line 2: invalid JSON/ });
    } finally {
      if (previous === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = previous;
    }

    assert.deepEqual(repository.batchSizes, []);
    assert.deepEqual(readdirSync(staging), []);
  });
});

describe('readLineGroups', () => {
  async function readAll(content: string, chunkBytes: number): Promise<string[]> {
    const path = join(directory, `lines-${chunkBytes}.txt`);
    writeFileSync(path, content);
    const lines: string[] = [];
    for await (const group of readLineGroups(createReadStream(path, { highWaterMark: chunkBytes }))) lines.push(...group);
    return lines;
  }

  it('CR LF split across 1-byte chunks ends one line', async () => {
    const content = '\uFEFFfirst\r\nsecond\rthird\n\r\nlast';
    const expected = ['first', 'second', 'third', '', 'last'];
    for (const chunkBytes of [1, 2, 3, 64]) assert.deepEqual(await readAll(content, chunkBytes), expected, `chunks of ${chunkBytes} bytes`);
  });

  it('trailing line break adds no empty line', async () => {
    assert.deepEqual(await readAll('a\nb\n', 1), ['a', 'b']);
    assert.deepEqual(await readAll('a\r\nb\r', 1), ['a', 'b']);
  });

  it('multi-byte characters survive 1-byte chunks', async () => {
    assert.deepEqual(await readAll('{"tags":{"team":"Zürich €"}}\n', 1), ['{"tags":{"team":"Zürich €"}}']);
  });
});
