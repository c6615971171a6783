import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClickHousePromptLogRepository } from '../src/store/clickhouse/repository.js';
import { collect, describeRepositoryContract } from './support/repository-contract.js';
import { randomRecords, sampleRecord } from './support/records.js';
import { ClickHouseEndpointProcess } from './support/clickhouse-process.js';

const directory = mkdtempSync(join(tmpdir(), 'anthrotrace-clickhouse-contract-'));
let endpoint: Promise<ClickHouseEndpointProcess> | undefined;
let tableNumber = 0;

after(async () => {
  if (endpoint) await (await endpoint).dispose();
  rmSync(directory, { recursive: true, force: true });
});

describeRepositoryContract('clickhouse', async () => {
  endpoint ??= ClickHouseEndpointProcess.start({ password: 'contract-secret' });
  const running = await endpoint;
  tableNumber += 1;
  const spool = join(directory, 'spool.db');
  const repository = ClickHousePromptLogRepository.fromUrl(running.storeUrl('contract', `?table=records_${tableNumber}&spool=${spool}`));
  await repository.init();
  return repository;
});

describe('clickhouse topByCost', () => {
  it('returns the 10 dearest priced records, ties newer first', async () => {
    endpoint ??= ClickHouseEndpointProcess.start({ password: 'contract-secret' });
    const running = await endpoint;
    const repository = ClickHousePromptLogRepository.fromUrl(running.storeUrl('contract', `?table=top_cost&spool=${join(directory, 'top.db')}`));
    await repository.init();
    const records = randomRecords(200, { seed: 31 });
    const dearest = records.filter((record) => record.cost !== null).sort((a, b) => Number(b.cost!.total - a.cost!.total))[0]!;
    // Same cost as the dearest record, one hour later: it must rank first.
    const tie = sampleRecord({ cost: dearest.cost, startedAt: new Date(dearest.startedAt.getTime() + 3_600_000) });
    await repository.insert([...records, tie]);

    const expected = [...records, tie]
      .filter((record) => record.cost !== null)
      .sort((a, b) => {
        const byCost = b.cost!.total - a.cost!.total;
        if (byCost !== 0n) return byCost > 0n ? 1 : -1;
        return b.startedAt.getTime() - a.startedAt.getTime() || (a.id < b.id ? -1 : 1);
      })
      .slice(0, 10);
    const top = await repository.topByCost({}, 10);
    assert.deepEqual(top.map((record) => record.id), expected.map((record) => record.id));
    assert.equal(top[0]!.id, tie.id);
    assert.deepEqual(top[1], dearest);
    await repository.close();
  });
});

describe('clickhouse store options', () => {
  it('async inserts and TTL table store 25 records', async () => {
    endpoint ??= ClickHouseEndpointProcess.start({ password: 'contract-secret' });
    const running = await endpoint;
    const options = `?table=with_ttl&async_insert=1&text_ttl_days=30&row_ttl_days=10000&spool=${join(directory, 'ttl.db')}`;
    const repository = ClickHousePromptLogRepository.fromUrl(running.storeUrl('contract', options));
    await repository.init();
    // Start times near now, so the 30-day text TTL keeps the text during the test.
    const records = randomRecords(25, { seed: 41, startMs: Date.now() - 3_600_000 });
    assert.deepEqual(await repository.insert(records), { inserted: 25, duplicates: 0 });
    const stored = await collect(repository.query({}, { order: 'asc' }));
    assert.deepEqual(stored, records);
    await repository.close();
  });
});
