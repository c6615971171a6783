import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../src/core/errors.js';
import { parseClickHouseUrl, DEFAULT_BATCH_SIZE, DEFAULT_TABLE } from '../src/store/clickhouse/config.js';
import { createDatabaseStatement, createTableStatements, migrationStatements, SCHEMA_VERSION } from '../src/store/clickhouse/schema.js';
import { bindQueryParameters } from './support/clickhouse-params.js';

describe('clickhouse store URL', () => {
  it('reads user, password, host, port and database', () => {
    const config = parseClickHouseUrl('clickhouse://writer:s%40cret@db.internal:9123/analytics', {});
    assert.equal(config.serverUrl, 'http://db.internal:9123');
    assert.equal(config.user, 'writer');
    assert.equal(config.password, 's@cret');
    assert.equal(config.database, 'analytics');
    assert.equal(config.table, DEFAULT_TABLE);
    assert.equal(config.batchSize, DEFAULT_BATCH_SIZE);
  });

  it('location never contains the password', () => {
    const config = parseClickHouseUrl('clickhouses://writer:hunter2@db.internal/analytics?table=calls', {});
    assert.equal(config.location, 'clickhouses://writer@db.internal:8443/analytics/calls');
    assert.equal(config.serverUrl, 'https://db.internal:8443');
    assert.ok(!config.location.includes('hunter2'));
  });

  it('environment fills what the URL leaves out', () => {
    const env = {
      CLICKHOUSE_HOST: 'ch.example',
      CLICKHOUSE_PORT: '18123',
      CLICKHOUSE_USER: 'env_user',
      CLICKHOUSE_PASSWORD: 'env-password',
      CLICKHOUSE_DATABASE: 'env_db',
      XDG_DATA_HOME: '/data',
    };
    const config = parseClickHouseUrl('clickhouse://', env);
    assert.equal(config.serverUrl, 'http://ch.example:18123');
    assert.deepEqual([config.user, config.password, config.database], ['env_user', 'env-password', 'env_db']);
    assert.equal(config.spoolPath, '/data/anthrotrace/clickhouse-spool.db');
    const explicit = parseClickHouseUrl('clickhouse://url_user:url_pw@url.host:1/url_db', env);
    assert.deepEqual([explicit.serverUrl, explicit.user, explicit.password, explicit.database], ['http://url.host:1', 'url_user', 'url_pw', 'url_db']);
  });

  it('options set table, cluster, TTLs, async inserts and batching', () => {
    const config = parseClickHouseUrl(
      'clickhouse://h/db?table=calls&cluster=main&text_ttl_days=30&row_ttl_days=400&async_insert=1&batch_size=500&flush_interval_ms=250&timeout_ms=2000&spool=/tmp/s.db',
      {},
    );
    assert.deepEqual(
      [config.table, config.cluster, config.textTtlDays, config.rowTtlDays, config.asyncInsert, config.batchSize, config.flushIntervalMs, config.timeoutMs, config.spoolPath],
      ['calls', 'main', 30, 400, true, 500, 250, 2000, '/tmp/s.db'],
    );
  });

  const invalid: [string, RegExp][] = [
    ['clickhouse://h/my-db', /invalid ClickHouse database name "my-db"/],
    ['clickhouse://h/db?table=calls;DROP', /invalid ClickHouse table name "calls;DROP"/],
    ['clickhouse://h/db?table=1calls', /invalid ClickHouse table name "1calls"/],
    ['clickhouse://h/db?cluster=a%20b', /invalid ClickHouse cluster name "a b"/],
    ['clickhouse://h/db?batch_size=0', /batch_size="0": use a whole number from 1/],
    ['clickhouse://h/db?text_ttl_days=soon', /text_ttl_days="soon"/],
    ['clickhouse://h/db?row_ttl_days=36500', /row_ttl_days="36500": use a whole number from 1 to 10000/],
    ['clickhouse://h/db?flush_interval_ms=60000', /flush_interval_ms="60000": use a whole number from 0 to 5000/],
    ['clickhouse://h/db?async_insert=yes', /async_insert="yes": use 1 or 0/],
    ['clickhouse://h/db?tabel=calls', /unknown ClickHouse store option "tabel"/],
    ['clickhouse://h:99999/db', /invalid ClickHouse store URL "clickhouse:\/\/h:99999\/db"/],
    ['clickhouse://u:pw@h:x/db', /invalid ClickHouse store URL "clickhouse:\/\/u:\*\*\*@h:x\/db"/],
    ['clickhouse://h/db?table=', /option table=: the value is empty/],
    ['clickhouse://h/db?cluster=', /option cluster=: the value is empty/],
    ['clickhouse://h/db?spool=', /option spool=: the value is empty/],
    ['clickhouse://h/db?table=a&table=b', /option table is given 2 times \("a", "b"\): give it once/],
    ['clickhouse://h/db?batch_size=10&batch_size=10', /option batch_size is given 2 times/],
    ['clickhouse://u:s3c%ZZ@h/db', /^invalid ClickHouse store URL "clickhouse:\/\/u:\*\*\*@h\/db": the password has an invalid percent-encoding/],
  ];
  for (const [url, message] of invalid) {
    it(`rejects ${url}`, () => {
      assert.throws(() => parseClickHouseUrl(url, {}), (error: unknown) => error instanceof InputError && message.test(error.message));
    });
  }

  it('redacted URL masks the password', () => {
    const config = parseClickHouseUrl('clickhouse://writer:hunter2@db.internal/analytics?spool=/tmp/s.db', {});
    assert.equal(config.redactedUrl, 'clickhouse://writer:***@db.internal/analytics?spool=/tmp/s.db');
  });
});

describe('clickhouse DDL', () => {
  const single = parseClickHouseUrl('clickhouse://h/logs?table=calls&text_ttl_days=30&row_ttl_days=400', {});
  const cluster = parseClickHouseUrl('clickhouse://h/logs?table=calls&cluster=prod_cluster', {});

  it('single server: ReplacingMergeTree with partitions, key, codecs and TTLs', () => {
    const [table, ...rest] = createTableStatements(single);
    assert.equal(rest.length, 0);
    assert.match(table!, /^CREATE TABLE IF NOT EXISTS logs\.calls\n\(/);
    assert.match(table!, /\nENGINE = ReplacingMergeTree\n/);
    assert.match(table!, /\nPARTITION BY toYYYYMM\(started_at\)\n/);
    assert.match(table!, /\nORDER BY \(toDate\(started_at\), model, started_at, id\)\n/);
    assert.match(table!, /\nTTL toDateTime\(started_at\) \+ INTERVAL 400 DAY\n/);
    assert.match(table!, /\n {2}started_at DateTime64\(3, 'UTC'\),\n/);
    assert.match(table!, /\n {2}model LowCardinality\(String\),\n/);
    assert.match(table!, /\n {2}tags Map\(String, String\),\n/);
    assert.match(table!, /\n {2}cost_total_nanos Int64,\n/);
    assert.match(table!, /\n {2}prompt_text Nullable\(String\) CODEC\(ZSTD\(3\)\) TTL toDateTime\(started_at\) \+ INTERVAL 30 DAY,\n/);
    assert.match(table!, new RegExp(`\\nCOMMENT 'anthrotrace schema ${SCHEMA_VERSION}'$`));
    assert.ok(!table!.includes('ON CLUSTER'));
    assert.equal(createDatabaseStatement(single), 'CREATE DATABASE IF NOT EXISTS logs');
  });

  it('cluster: replicated local table ON CLUSTER and a Distributed table over it', () => {
    const [local, distributed, ...rest] = createTableStatements(cluster);
    assert.equal(rest.length, 0);
    assert.equal(createDatabaseStatement(cluster), 'CREATE DATABASE IF NOT EXISTS logs ON CLUSTER prod_cluster');
    assert.match(local!, /^CREATE TABLE IF NOT EXISTS logs\.calls_local ON CLUSTER prod_cluster\n\(/);
    assert.match(local!, /\nENGINE = ReplicatedReplacingMergeTree\('\/clickhouse\/tables\/\{shard\}\/logs\/calls_local', '\{replica\}'\)\n/);
    assert.match(local!, /\nPARTITION BY toYYYYMM\(started_at\)\nORDER BY \(toDate\(started_at\), model, started_at, id\)\n/);
    assert.ok(!local!.includes('TTL'), 'no TTL unless asked for');
    assert.equal(
      distributed,
      `CREATE TABLE IF NOT EXISTS logs.calls ON CLUSTER prod_cluster AS logs.calls_local\n` +
        `ENGINE = Distributed(prod_cluster, logs, calls_local, cityHash64(id))\nCOMMENT 'anthrotrace schema ${SCHEMA_VERSION}'`,
    );
    assert.deepEqual(migrationStatements(cluster, SCHEMA_VERSION), [
      `ALTER TABLE logs.calls_local ON CLUSTER prod_cluster MODIFY COMMENT 'anthrotrace schema ${SCHEMA_VERSION}'`,
      `ALTER TABLE logs.calls ON CLUSTER prod_cluster MODIFY COMMENT 'anthrotrace schema ${SCHEMA_VERSION}'`,
    ]);
  });
});

describe('clickhouse test endpoint parameters', () => {
  it('binds strings unescaped and arrays as text', () => {
    const params = new Map([
      ['s', "it\\'s a\\ttab"],
      ['a', "['x\\'y','b\\\\c']"],
      ['n', '\\N'],
    ]);
    assert.equal(
      bindQueryParameters('SELECT {s:String}, {a:Array(String)}, {n:Nullable(String)}', params),
      "SELECT CAST('it\\'s a\ttab' AS String), CAST('[\\'x\\\\\\'y\\',\\'b\\\\\\\\c\\']' AS Array(String)), CAST(NULL AS Nullable(String))",
    );
    assert.throws(() => bindQueryParameters('SELECT {missing:String}', params), /Substitution `missing` is not set/);
  });
});
