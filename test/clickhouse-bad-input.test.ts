import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { InputError, OperationError } from '../src/core/errors.js';
import { createLogger } from '../src/core/logger.js';
import { parseClickHouseUrl } from '../src/store/clickhouse/config.js';
import { ClickHousePromptLogRepository } from '../src/store/clickhouse/repository.js';
import { createTableStatements } from '../src/store/clickhouse/schema.js';
import { ClickHouseEndpointProcess } from './support/clickhouse-process.js';
import { randomRecords } from './support/records.js';
import { runCli } from './support/run-cli.js';

const PASSWORD = 'correct-horse';
const directory = mkdtempSync(join(tmpdir(), 'anthrotrace-clickhouse-input-'));
let endpoint: ClickHouseEndpointProcess;
let admin: ClickHouseClient;

before(async () => {
  endpoint = await ClickHouseEndpointProcess.start({ password: PASSWORD });
  admin = createClient({ url: endpoint.url, password: PASSWORD });
});
after(async () => {
  await admin.close();
  await endpoint.dispose();
  rmSync(directory, { recursive: true, force: true });
});

const spool = (name: string) => `&spool=${join(directory, `${name}.db`)}`;

async function count(table: string): Promise<number> {
  const result = await admin.query({ query: `SELECT count() AS n FROM ${table}`, format: 'JSONEachRow' });
  return Number((await result.json<{ n: string }>())[0]!.n);
}

describe('clickhouse bad input', () => {
  it('wrong password exits 2 without echoing it', async () => {
    const url = `clickhouse://default:wrong-secret@127.0.0.1:${endpoint.port}/input?table=records${spool('password')}`;
    const repository = ClickHousePromptLogRepository.fromUrl(url);
    await assert.rejects(repository.init(), (error: unknown) => {
      assert.ok(error instanceof InputError);
      assert.match(error.message, /rejected user "default" \(code 516: .*Authentication failed.*\): check the user and password/);
      assert.ok(!error.message.includes('wrong-secret'));
      return true;
    });
    await repository.close();

    const cli = await runCli(['--store', url, 'query'], { XDG_DATA_HOME: directory });
    assert.equal(cli.status, 2, cli.stderr);
    assert.match(cli.stderr, /^error: ClickHouse at clickhouse:\/\/default@127\.0\.0\.1:\d+\/input\/records rejected user "default"/);
    assert.ok(!cli.stderr.includes('wrong-secret'));
  });

  it('invalid identifiers exit 2 before any request', async () => {
    for (const [query, name] of [['?table=records%60x', 'table'], ['?cluster=a.b', 'cluster']] as const) {
      const cli = await runCli(['--store', `${endpoint.storeUrl('input', query)}`, 'query'], { XDG_DATA_HOME: directory });
      assert.equal(cli.status, 2, cli.stderr);
      assert.match(cli.stderr, new RegExp(`^error: invalid ClickHouse ${name} name`));
    }
    const database = await runCli(['--store', endpoint.storeUrl('bad-name'), 'report'], { XDG_DATA_HOME: directory });
    assert.equal(database.status, 2, database.stderr);
    assert.match(database.stderr, /^error: invalid ClickHouse database name "bad-name": use 1 to 128 letters, digits and underscores/);
  });

  it('incompatible existing table is named and left untouched', async () => {
    await admin.command({ query: 'CREATE DATABASE IF NOT EXISTS input' });
    await admin.command({
      query: "CREATE TABLE input.legacy (id String, started_at DateTime, cost_total_nanos Float64) ENGINE = MergeTree ORDER BY id",
    });
    await admin.insert({ table: 'input.legacy', values: [{ id: 'kept', started_at: '2025-01-01 00:00:00', cost_total_nanos: 1.5 }], format: 'JSONEachRow' });
    const repository = ClickHousePromptLogRepository.fromUrl(endpoint.storeUrl('input', `?table=legacy${spool('legacy')}`));
    await assert.rejects(repository.init(), (error: unknown) => {
      assert.ok(error instanceof OperationError);
      assert.match(error.message, /table input\.legacy .* does not match the AnthroTrace schema: engine is MergeTree, expected ReplacingMergeTree;/);
      assert.match(error.message, /column started_at is DateTime, expected DateTime64\(3, 'UTC'\)/);
      assert.match(error.message, /column cost_total_nanos is Float64, expected Int64/);
      assert.match(error.message, /column request_id is missing/);
      assert.match(error.message, /Nothing was changed: choose another table with \?table=NAME/);
      return true;
    });
    await repository.close();
    assert.equal(await count('input.legacy'), 1);
    const columns = await admin.query({ query: "SELECT count() AS n FROM system.columns WHERE database = 'input' AND table = 'legacy'", format: 'JSONEachRow' });
    assert.equal(Number((await columns.json<{ n: string }>())[0]!.n), 3);
  });

  it('newer schema version rejected', async () => {
    const config = parseClickHouseUrl(endpoint.storeUrl('input', '?table=future'), {});
    const [statement] = createTableStatements(config);
    await admin.command({ query: statement!.replace(/COMMENT 'anthrotrace schema \d+'/, "COMMENT 'anthrotrace schema 99'") });
    const repository = ClickHousePromptLogRepository.fromUrl(endpoint.storeUrl('input', `?table=future${spool('future')}`));
    await assert.rejects(repository.init(), /has schema version 99, newer than version 1 that this AnthroTrace reads: upgrade anthrotrace/);
    await repository.close();
  });

  it('missing database is created with a message', async () => {
    const lines: string[] = [];
    const repository = ClickHousePromptLogRepository.fromUrl(endpoint.storeUrl('brand_new', spool('new').replace('&', '?')), {
      logger: createLogger('INFO', (line) => lines.push(line)),
    });
    await repository.init();
    assert.deepEqual((await repository.insert(randomRecords(3, { seed: 201 }))).inserted, 3);
    await repository.close();
    assert.deepEqual(lines, [`created ClickHouse database brand_new at ${repository.location}\n`]);
    assert.equal(await count('brand_new.anthrotrace_records'), 3);
  });

  it('cluster DDL parses in ClickHouse 26', async () => {
    const config = parseClickHouseUrl('clickhouse://h/logs?table=calls&cluster=prod&text_ttl_days=7&row_ttl_days=90', {});
    for (const statement of createTableStatements(config)) {
      const result = await admin.query({ query: 'SELECT formatQuery({statement:String}) AS formatted', query_params: { statement }, format: 'JSONEachRow' });
      const [row] = await result.json<{ formatted: string }>();
      assert.match(row!.formatted, /^CREATE TABLE IF NOT EXISTS logs\.calls(_local)? ON CLUSTER prod/);
    }
  });
});
