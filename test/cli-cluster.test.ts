import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from './support/run-cli.js';

test('--cluster without a ClickHouse store exits 2', async () => {
  const result = await runCli(['--cluster', 'main', '--store', '/tmp/anthrotrace-cluster-check.db', 'report']);
  assert.equal(result.status, 2);
  assert.match(result.stderr, /^error: --cluster "main" needs a ClickHouse store: add --store clickhouse:\/\/host:8123\/database\n$/);
});

test('--cluster name reaches the ClickHouse store settings', async () => {
  // The store validates the name before it connects, so no server is needed for this check.
  const result = await runCli(['--cluster', 'a b', '--store', 'clickhouse://writer:secret@127.0.0.1:1/logs', 'report']);
  assert.equal(result.status, 2);
  assert.match(result.stderr, /invalid ClickHouse cluster name "a b"/);
  assert.doesNotMatch(result.stderr, /secret/);
});
