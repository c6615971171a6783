import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClickHousePromptLogRepository } from '../src/store/clickhouse/repository.js';
import { SQLiteRepository } from '../src/store/sqlite/repository.js';
import { ClickHouseEndpointProcess } from './support/clickhouse-process.js';
import { randomRecords } from './support/records.js';
import { runCli } from './support/run-cli.js';

// 50,000 records from 2026-03-01 over about 58 days: the US (8 March), EU (29 March) and
// Lord Howe (5 April, a 30-minute shift) daylight-saving changes all fall inside.
const RECORD_COUNT = 50_000;
const RANGE = ['--from', '2026-02-25', '--to', '2026-05-05'];
const CASES: { by: string; tz: string }[] = [
  { by: 'day', tz: 'Europe/Berlin' },
  { by: 'day,model', tz: 'America/New_York' },
  { by: 'hour,status', tz: 'Australia/Lord_Howe' },
  { by: 'week,category', tz: 'Asia/Kolkata' },
  { by: 'month,tag:team', tz: 'UTC' },
  { by: 'model,source,tag:env', tz: 'Europe/Berlin' },
];

const directory = mkdtempSync(join(tmpdir(), 'anthrotrace-clickhouse-diff-'));
const sqlitePath = join(directory, 'reference.db');
let endpoint: ClickHouseEndpointProcess;

before(async () => {
  endpoint = await ClickHouseEndpointProcess.start({ tz: 'Europe/Berlin' });
  const records = randomRecords(RECORD_COUNT, { seed: 2026, startMs: Date.UTC(2026, 2, 1), maxGapMs: 200_000 });
  const sqlite = new SQLiteRepository(sqlitePath);
  await sqlite.init();
  const clickhouse = ClickHousePromptLogRepository.fromUrl(endpoint.storeUrl('differential', `?spool=${join(directory, 'spool.db')}`));
  await clickhouse.init();
  for (let start = 0; start < records.length; start += 10_000) {
    const chunk = records.slice(start, start + 10_000);
    assert.deepEqual(await sqlite.insert(chunk), { inserted: chunk.length, duplicates: 0 });
    assert.deepEqual(await clickhouse.insert(chunk), { inserted: chunk.length, duplicates: 0 });
  }
  await sqlite.close();
  await clickhouse.close();
});
after(async () => {
  await endpoint.dispose();
  rmSync(directory, { recursive: true, force: true });
});

describe(`report over ${RECORD_COUNT.toLocaleString('en-US')} records in both stores`, () => {
  for (const { by, tz } of CASES) {
    it(`--by ${by} --tz ${tz} is byte-identical`, async () => {
      const args = ['report', '--by', by, '--tz', tz, ...RANGE, '--format', 'json'];
      const env = { XDG_DATA_HOME: directory };
      const [clickhouse, sqlite] = await Promise.all([
        runCli(['--store', endpoint.storeUrl('differential', `?spool=${join(directory, 'spool.db')}`), ...args], env),
        runCli(['--store', sqlitePath, ...args], env),
      ]);
      assert.equal(clickhouse.status, 0, clickhouse.stderr);
      assert.equal(sqlite.status, 0, sqlite.stderr);
      const report = JSON.parse(sqlite.stdout) as { rows: unknown[]; totals: { requests: number } };
      assert.ok(report.rows.length > 1, 'the case has several rows');
      assert.ok(report.totals.requests > RECORD_COUNT * 0.9, `totals cover the records: ${report.totals.requests}`);
      assert.equal(clickhouse.stdout, sqlite.stdout);
    });
  }
});
