import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClickHouseEndpointProcess } from './support/clickhouse-process.js';
import { runCli, type CliResult } from './support/run-cli.js';

// The server runs in Europe/Berlin and the CLI in Los Angeles: neither zone may change an instant or a bucket.
const SERVER_TZ = 'Europe/Berlin';
const CLI_ENV_TZ = 'America/Los_Angeles';
const directory = mkdtempSync(join(tmpdir(), 'anthrotrace-clickhouse-tz-'));
let endpoint: ClickHouseEndpointProcess;
let clickhouseStore: string;
const sqliteStore = join(directory, 'reference.db');
const env = { XDG_DATA_HOME: directory, TZ: CLI_ENV_TZ };

const run = (store: string, args: string[]): Promise<CliResult> => runCli(['--store', store, ...args], env);

before(async () => {
  endpoint = await ClickHouseEndpointProcess.start({ tz: SERVER_TZ });
  clickhouseStore = endpoint.storeUrl('zones');
  const file = join(directory, 'late-evening.jsonl');
  writeFileSync(file, '{"ts":"2025-01-15T23:30:00Z","model":"claude-sonnet-4-5","usage":{"input_tokens":1200,"output_tokens":300},"request_id":"req_late_evening"}\n');
  for (const store of [clickhouseStore, sqliteStore]) {
    const imported = await run(store, ['import', file]);
    assert.equal(imported.status, 0, imported.stderr);
  }
});
after(async () => {
  await endpoint.dispose();
  rmSync(directory, { recursive: true, force: true });
});

/** Runs the command on both stores, checks that it succeeded and that the output is byte-identical, and returns it. */
async function sameOnBothStores(args: string[]): Promise<string> {
  const clickhouse = await run(clickhouseStore, args);
  const sqlite = await run(sqliteStore, args);
  assert.equal(clickhouse.status, 0, clickhouse.stderr);
  assert.equal(sqlite.status, 0, sqlite.stderr);
  assert.equal(clickhouse.stdout, sqlite.stdout);
  return clickhouse.stdout;
}

describe('clickhouse server in Europe/Berlin', () => {
  it('endpoint reports Europe/Berlin as its time zone', async () => {
    const response = await fetch(`${endpoint.url}/?query=${encodeURIComponent('SELECT timezone()')}`);
    assert.equal((await response.text()).trim(), SERVER_TZ);
  });

  it('query of 2025-01-15 in UTC finds the 23:30Z record once', async () => {
    const output = await sameOnBothStores(['query', '--from', '2025-01-15', '--to', '2025-01-15', '--tz', 'UTC', '--format', 'jsonl']);
    const lines = output.trim().split('\n');
    assert.equal(lines.length, 1);
    assert.equal((JSON.parse(lines[0]!) as { started_at: string }).started_at, '2025-01-15T23:30:00.000Z');
    await sameOnBothStores(['query', '--from', '2025-01-15', '--to', '2025-01-15', '--tz', 'UTC']);
  });

  it('report by day puts it on 2025-01-15 in UTC and 2025-01-16 in Berlin', async () => {
    const range = ['--from', '2025-01-01', '--to', '2025-01-31', '--format', 'json'];
    const utc = JSON.parse(await sameOnBothStores(['report', '--by', 'day', '--tz', 'UTC', ...range])) as { rows: { day: string; requests: number }[] };
    assert.deepEqual(utc.rows.map((row) => [row.day, row.requests]), [['2025-01-15', 1]]);
    const berlin = JSON.parse(await sameOnBothStores(['report', '--by', 'day', '--tz', 'Europe/Berlin', ...range])) as { rows: { day: string; requests: number }[] };
    assert.deepEqual(berlin.rows.map((row) => [row.day, row.requests]), [['2025-01-16', 1]]);
  });
});
