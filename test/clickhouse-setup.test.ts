import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@clickhouse/client';
import { createLogger } from '../src/core/logger.js';
import { ClickHousePromptLogRepository } from '../src/store/clickhouse/repository.js';
import { ClickHouseEndpointProcess } from './support/clickhouse-process.js';
import { runCli } from './support/run-cli.js';

const directory = mkdtempSync(join(tmpdir(), 'anthrotrace-clickhouse-setup-'));
let endpoint: ClickHouseEndpointProcess;

before(async () => {
  endpoint = await ClickHouseEndpointProcess.start();
});
after(async () => {
  await endpoint.dispose();
  rmSync(directory, { recursive: true, force: true });
});

async function openAndClose(url: string): Promise<string[]> {
  const lines: string[] = [];
  const repository = ClickHousePromptLogRepository.fromUrl(url, { logger: createLogger('INFO', (line) => lines.push(line.trimEnd())) });
  await repository.init();
  await repository.close();
  return lines;
}

async function createTableQuery(table: string): Promise<string> {
  const client = createClient({ url: endpoint.url });
  try {
    const result = await client.query({
      query: `SELECT create_table_query FROM system.tables WHERE database = 'setup' AND name = {table:String}`,
      query_params: { table },
      format: 'JSONEachRow',
    });
    return (await result.json<{ create_table_query: string }>())[0]!.create_table_query;
  } finally {
    await client.close();
  }
}

describe('clickhouse setup', () => {
  it('TTLs applied to an existing table: 7 and 30 days', async () => {
    const spool = `&spool=${join(directory, 'ttl-spool.db')}`;
    await openAndClose(endpoint.storeUrl('setup', `?table=ttl${spool}`));
    assert.doesNotMatch(await createTableQuery('ttl'), /TTL/);

    const lines = await openAndClose(endpoint.storeUrl('setup', `?table=ttl&text_ttl_days=7&row_ttl_days=30${spool}`));
    assert.ok(lines.includes('changed the row TTL of ClickHouse table setup.ttl from none to 30 days'), lines.join('\n'));
    assert.ok(lines.includes('changed the TTL of column prompt_text in ClickHouse table setup.ttl from none to 7 days'), lines.join('\n'));
    assert.ok(lines.includes('changed the TTL of column response_summary in ClickHouse table setup.ttl from none to 7 days'), lines.join('\n'));
    const query = await createTableQuery('ttl');
    assert.match(query, /`prompt_text` [^,]*TTL toDateTime\(started_at\) \+ toIntervalDay\(7\)/);
    assert.match(query, /ENGINE = .* TTL toDateTime\(started_at\) \+ toIntervalDay\(30\)/);

    const unchanged = await openAndClose(endpoint.storeUrl('setup', `?table=ttl&text_ttl_days=7&row_ttl_days=30${spool}`));
    assert.deepEqual(unchanged, []);
    const changed = await openAndClose(endpoint.storeUrl('setup', `?table=ttl&row_ttl_days=60${spool}`));
    assert.deepEqual(changed, ['changed the row TTL of ClickHouse table setup.ttl from 30 days to 60 days']);
    assert.match(await createTableQuery('ttl'), /toIntervalDay\(7\).*ENGINE = .* TTL toDateTime\(started_at\) \+ toIntervalDay\(60\)/);
  });

  it('unknown cluster names remote_servers', async () => {
    const result = await runCli(['--store', endpoint.storeUrl('clus2', `?spool=${join(directory, 'cluster-spool.db')}`), '--cluster', 'mycluster', 'report']);
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stderr, /code 701/);
    assert.match(result.stderr, /not defined in the server's remote_servers configuration/);
    assert.doesNotMatch(result.stderr, /CREATE DATABASE/);
  });

  it('clickhouses:// on a plain HTTP port hints at TLS', async () => {
    const url = endpoint.storeUrl('setup', `?spool=${join(directory, 'tls-spool.db')}`).replace(/^clickhouse:/, 'clickhouses:');
    const result = await runCli(['--store', url, 'report']);
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stderr, /the server may not speak TLS on this port: use clickhouse:\/\//);
  });

  it('password with bad percent-encoding exits 2', async () => {
    const result = await runCli(['--store', 'clickhouse://default:s3c%ZZ@127.0.0.1:1/db', 'report']);
    assert.equal(result.status, 2, result.stderr);
    assert.match(result.stderr, /^error: invalid ClickHouse store URL "clickhouse:\/\/default:\*\*\*@127\.0\.0\.1:1\/db"/);
    assert.doesNotMatch(result.stderr, /s3c/);
  });
});
