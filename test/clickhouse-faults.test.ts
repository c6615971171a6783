import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@clickhouse/client';
import { createLogger } from '../src/core/logger.js';
import { stringifyJson } from '../src/core/json.js';
import { recordToJson } from '../src/core/record-json.js';
import type { PromptRecord } from '../src/core/record.js';
import { ClickHousePromptLogRepository } from '../src/store/clickhouse/repository.js';
import { recordToRow } from '../src/store/clickhouse/rows.js';
import { Spool } from '../src/store/spool/spool.js';
import { ClickHouseEndpointProcess } from './support/clickhouse-process.js';
import { collect } from './support/repository-contract.js';
import { randomRecords } from './support/records.js';
import { runCli } from './support/run-cli.js';

const directory = mkdtempSync(join(tmpdir(), 'anthrotrace-clickhouse-faults-'));
let endpoint: ClickHouseEndpointProcess;
let caseNumber = 0;

before(async () => {
  endpoint = await ClickHouseEndpointProcess.start();
});
after(async () => {
  await endpoint.dispose();
  rmSync(directory, { recursive: true, force: true });
});

/** Returns a store URL with a table and a spool of its own, so that cases do not see each other's records. */
function freshStore(options = ''): { url: string; spool: string; table: string } {
  caseNumber += 1;
  const table = `faults_${caseNumber}`;
  const spool = join(directory, `spool-${caseNumber}.db`);
  return { url: endpoint.storeUrl('faults', `?table=${table}&spool=${spool}${options}`), spool, table };
}

function capturingLogger() {
  const lines: string[] = [];
  return { lines, logger: createLogger('DEBUG', (line) => lines.push(line)) };
}

async function open(url: string, logger = createLogger('ERROR', () => undefined)): Promise<ClickHousePromptLogRepository> {
  const repository = ClickHousePromptLogRepository.fromUrl(url, { logger });
  await repository.init();
  return repository;
}

/** Stored ids read back through the store (FINAL), and the physical row count after merging every part. */
async function storedCopies(table: string): Promise<{ ids: string[]; physicalRows: number }> {
  const client = createClient({ url: endpoint.url });
  try {
    await client.command({ query: `OPTIMIZE TABLE faults.${table} FINAL` });
    const result = await client.query({ query: `SELECT id FROM faults.${table} ORDER BY id`, format: 'JSONEachRow' });
    const rows = await result.json<{ id: string }>();
    return { ids: rows.map((row) => row.id), physicalRows: rows.length };
  } finally {
    await client.close();
  }
}

const sortedIds = (records: PromptRecord[]) => records.map((record) => record.id).sort();

describe('clickhouse faults', () => {
  it('stopped before run: 20 records delivered once', async () => {
    const store = freshStore();
    const records = randomRecords(20, { seed: 101 });
    const file = join(directory, 'twenty.jsonl');
    writeFileSync(file, records.map((record) => stringifyJson(recordToJson(record))).join('\n') + '\n');
    const env = { XDG_DATA_HOME: join(directory, 'xdg') };
    // Create the table first, so the delivery below writes into the schema this build made.
    await (await open(store.url)).close();
    await endpoint.stop();

    const imported = await runCli(['--store', store.url, 'import', file], env);
    assert.equal(imported.status, 0, imported.stderr);
    assert.match(imported.stderr, /20 records not delivered .*unreachable.*anthrotrace --store ".*" flush/s);
    assert.match(imported.stderr, /imported 20 \(20 kept in the spool until ClickHouse is reachable: run anthrotrace --store ".*" flush\)/);

    const refused = await runCli(['--store', store.url, 'flush'], env);
    assert.equal(refused.status, 1, refused.stderr);
    assert.match(refused.stderr, /unreachable.*20 records remain/s);

    await endpoint.restart();
    const flushed = await runCli(['--store', store.url, 'flush', '--format', 'json'], env);
    assert.equal(flushed.status, 0, flushed.stderr);
    const summary = JSON.parse(flushed.stdout) as { delivered: number; already_stored: number; remaining: number };
    assert.deepEqual([summary.delivered, summary.already_stored, summary.remaining], [20, 0, 0]);

    const again = await runCli(['--store', store.url, 'flush'], env);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /^delivered 0 records/);
    const stored = await storedCopies(store.table);
    assert.deepEqual(stored.ids, sortedIds(records));
  });

  it('stopped mid-run: 1,000 records kept', async () => {
    const store = freshStore('&batch_size=100&flush_interval_ms=5000');
    const records = randomRecords(1000, { seed: 102 });
    const { lines, logger } = capturingLogger();
    const repository = await open(store.url, logger);
    for (let start = 0; start < records.length; start += 100) {
      if (start === 500) {
        // Stop while a batch is on its way: the response is delayed, and the process dies before it responds.
        await endpoint.delayResponses(2000);
        const inFlight = repository.insert(records.slice(start, start + 100));
        await new Promise((resolve) => setTimeout(resolve, 300));
        await endpoint.stop();
        await inFlight;
        continue;
      }
      const result = await repository.insert(records.slice(start, start + 100));
      assert.equal(result.inserted, 100);
    }
    await repository.close();
    assert.ok(lines.some((line) => line.startsWith('warning: ') && line.includes('spool')), lines.join('\n'));

    await endpoint.restart();
    const next = await open(store.url);
    assert.equal((await next.stats()).records, 1000);
    assert.deepEqual(sortedIds(await collect(next.query({}, { order: 'asc' }))), sortedIds(records));
    await next.close();
    const stored = await storedCopies(store.table);
    assert.equal(stored.physicalRows, 1000);
  });

  it('rejected batches: 300 records stored once', async () => {
    const store = freshStore('&batch_size=100');
    const records = randomRecords(300, { seed: 103 });
    const { lines, logger } = capturingLogger();
    const repository = await open(store.url, logger);
    await endpoint.failNextInserts(2);
    assert.deepEqual(await repository.insert(records), { inserted: 300, duplicates: 0 });
    await repository.flush();
    assert.equal((await repository.stats()).records, 100);

    const result = await repository.deliverSpool();
    assert.deepEqual(result, { delivered: 200, alreadyStored: 0, remaining: 0 });
    await repository.close();
    // One warning at close for both spooled batches, with the reason of the first.
    const warnings = lines.filter((line) => line.startsWith('warning: '));
    assert.equal(warnings.length, 1, lines.join('\n'));
    assert.match(warnings[0]!, /^warning: 200 records not delivered .*code 252/);
    assert.deepEqual((await storedCopies(store.table)).ids, sortedIds(records));
  });

  it('spooled copies of stored records dropped', async () => {
    const store = freshStore();
    const records = randomRecords(50, { seed: 104 });
    const repository = await open(store.url);
    await repository.insert(records);
    await repository.flush();
    // As if an INSERT had landed but its response was lost, so the batch was spooled as well.
    const spool = new Spool(store.spool);
    spool.append(repository.location, records.map((record) => ({ recordId: record.id, requestId: record.requestId, rowJson: JSON.stringify(recordToRow(record)) })));
    spool.close();
    assert.deepEqual(await repository.deliverSpool(), { delivered: 0, alreadyStored: 50, remaining: 0 });
    await repository.close();
    assert.equal((await storedCopies(store.table)).physicalRows, 50);
  });

  it('slow server spooled after 500 ms timeout', async () => {
    const store = freshStore('&timeout_ms=500');
    await (await open(store.url)).close();
    await endpoint.delayResponses(3000);
    try {
      const { lines, logger } = capturingLogger();
      const started = Date.now();
      const repository = await open(store.url, logger);
      assert.deepEqual(await repository.insert(randomRecords(1, { seed: 105 })), { inserted: 1, duplicates: 0 });
      await repository.close();
      assert.ok(Date.now() - started < 2500, `took ${Date.now() - started} ms`);
      assert.ok(lines.some((line) => line.startsWith('warning: 1 record not delivered')), lines.join('\n'));
    } finally {
      await endpoint.delayResponses(0);
    }
    const next = await open(store.url);
    assert.equal((await next.stats()).records, 1);
    await next.close();
  });

  it('SIGTERM keeps 30 buffered records', async () => {
    const store = freshStore('&flush_interval_ms=5000');
    const script = join(directory, 'buffered-writer.mts');
    const repositoryModule = new URL('../src/store/clickhouse/repository.ts', import.meta.url).href;
    const recordsModule = new URL('./support/records.ts', import.meta.url).href;
    writeFileSync(
      script,
      `import { ClickHousePromptLogRepository } from ${JSON.stringify(repositoryModule)};
import { randomRecords } from ${JSON.stringify(recordsModule)};
const repository = ClickHousePromptLogRepository.fromUrl(${JSON.stringify(store.url)});
await repository.init();
await repository.insert(randomRecords(30, { seed: 106 }));
process.stdout.write('buffered\\n');
setInterval(() => undefined, 1000);
`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('buffered') && resolve());
      void exited.then(() => reject(new Error('the writer exited before it buffered its records')));
    });
    child.kill('SIGTERM');
    assert.equal(await exited, 'SIGTERM');
    assert.deepEqual((await storedCopies(store.table)).ids, sortedIds(randomRecords(30, { seed: 106 })));
  });
});
