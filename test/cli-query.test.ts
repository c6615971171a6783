import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { pricedRecord, storeWith } from './support/report-store.js';
import { runCli } from './support/run-cli.js';

const ENV = { TZ: 'UTC', ANTHROTRACE_NOW: '2026-01-01T00:00:00Z' };

interface QueryJson {
  timezone: string;
  from: string | null;
  to: string | null;
  records: { id: string; started_at: string; model: string; category: string | null; cost_usd: { total: number } | null }[];
}

async function queryJson(store: string, args: string[]): Promise<QueryJson> {
  const result = await runCli(['--store', store, 'query', '--format', 'json', ...args], ENV);
  assert.equal(result.stderr, '');
  assert.equal(result.status, 0);
  return JSON.parse(result.stdout) as QueryJson;
}

const at = (time: string, overrides = {}) => pricedRecord({ at: time, usage: { inputTokens: 1000, outputTokens: 100 }, overrides });
const startTimes = (document: QueryJson) => document.records.map((record) => record.started_at);

describe('query ranges', () => {
  it('reads spring-forward 03:00 to 04:00 as 10:00Z to 11:00Z', async () => {
    const store = await storeWith([await at('2025-03-09T09:30:00Z'), await at('2025-03-09T10:30:00Z'), await at('2025-03-09T11:30:00Z')]);
    const document = await queryJson(store, ['--from', '2025-03-09T03:00', '--to', '2025-03-09T04:00', '--tz', 'America/Los_Angeles']);
    assert.equal(document.from, '2025-03-09T10:00:00.000Z');
    assert.equal(document.to, '2025-03-09T11:00:00.000Z');
    assert.deepEqual(startTimes(document), ['2025-03-09T10:30:00.000Z']);
  });

  describe('a --to date includes the whole day', () => {
    let store: string;
    before(async () => {
      const times = ['2025-12-30T23:30:00Z', '2025-12-31T00:00:00Z', '2025-12-31T14:00:00Z', '2025-12-31T23:59:59.999Z', '2026-01-01T00:00:00Z'];
      store = await storeWith(await Promise.all(times.map((time) => at(time))));
    });

    it('takes 00:00Z to 23:59:59.999Z in UTC', async () => {
      const document = await queryJson(store, ['--from', '2025-12-31', '--to', '2025-12-31', '--tz', 'UTC', '--order', 'asc']);
      assert.equal(document.to, '2026-01-01T00:00:00.000Z');
      assert.deepEqual(startTimes(document), ['2025-12-31T00:00:00.000Z', '2025-12-31T14:00:00.000Z', '2025-12-31T23:59:59.999Z']);
    });

    it('takes 2025-12-30T23:00Z to 2025-12-31T23:00Z in Berlin', async () => {
      const document = await queryJson(store, ['--from', '2025-12-31', '--to', '2025-12-31', '--tz', 'Europe/Berlin', '--order', 'asc']);
      assert.equal(document.from, '2025-12-30T23:00:00.000Z');
      assert.equal(document.to, '2025-12-31T23:00:00.000Z');
      assert.deepEqual(startTimes(document), ['2025-12-30T23:30:00.000Z', '2025-12-31T00:00:00.000Z', '2025-12-31T14:00:00.000Z']);
    });

    it('lists newest first by default and honours --limit 2', async () => {
      const document = await queryJson(store, ['--limit', '2']);
      assert.deepEqual(startTimes(document), ['2026-01-01T00:00:00.000Z', '2025-12-31T23:59:59.999Z']);
    });

    it('reads yesterday against ANTHROTRACE_NOW', async () => {
      const document = await queryJson(store, ['--from', 'yesterday', '--to', 'yesterday']);
      assert.equal(document.records.length, 3);
    });
  });
});

describe('query filters and formats', () => {
  let store: string;
  before(async () => {
    store = await storeWith([
      await at('2026-03-08T06:30:00Z', { id: 'chat-1', category: 'chat', tags: { team: 'search' } }),
      await at('2026-03-08T07:30:00Z', { id: 'extract-1', category: 'extract', status: 'error', tags: { team: 'billing' } }),
      await pricedRecord({ at: '2026-03-08T09:30:00Z', model: 'claude-haiku-4-5', usage: { inputTokens: 100 }, overrides: { id: 'haiku-1', source: 'bench' } }),
    ]);
  });

  const ids = (document: QueryJson) => document.records.map((record) => record.id);

  it('filters by category, status, source, model and tag', async () => {
    assert.deepEqual(ids(await queryJson(store, ['--category', 'chat'])), ['chat-1']);
    assert.deepEqual(ids(await queryJson(store, ['--category', 'chat', '--category', 'extract', '--order', 'asc'])), ['chat-1', 'extract-1']);
    assert.deepEqual(ids(await queryJson(store, ['--status', 'error'])), ['extract-1']);
    assert.deepEqual(ids(await queryJson(store, ['--source', 'bench'])), ['haiku-1']);
    assert.deepEqual(ids(await queryJson(store, ['--model', 'claude-haiku-4-5'])), ['haiku-1']);
    assert.deepEqual(ids(await queryJson(store, ['--tag', 'team=billing'])), ['extract-1']);
  });

  it('writes the same JSON shape when nothing matches', async () => {
    const result = await runCli(['--store', store, 'query', '--format', 'json', '--category', 'none'], ENV);
    assert.deepEqual(JSON.parse(result.stdout), { timezone: 'UTC', from: null, to: null, records: [] });
  });

  it('writes JSON Lines, one record per line with exact costs', async () => {
    const result = await runCli(['--store', store, 'query', '--format', 'jsonl', '--order', 'asc'], ENV);
    assert.equal(result.status, 0);
    const lines = result.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 3);
    const first = JSON.parse(lines[0]!) as QueryJson['records'][number];
    assert.equal(first.id, 'chat-1');
    assert.match(lines[0]!, /"total":0\.0045[,}]/);
    assert.match(result.stderr, /^range \[-∞, \+∞\) UTC, read in UTC\n$/);
  });

  it('writes JSON Lines that import reads back unchanged', async () => {
    const exported = await runCli(['--store', store, 'query', '--format', 'jsonl', '--order', 'asc', '--quiet'], ENV);
    const file = join(mkdtempSync(join(tmpdir(), 'anthrotrace-roundtrip-')), 'records.jsonl');
    writeFileSync(file, exported.stdout);
    const copy = join(dirname(file), 'copy.db');

    const imported = await runCli(['--store', copy, 'import', file, '--quiet'], ENV);
    assert.equal(imported.status, 0, imported.stderr);
    const reexported = await runCli(['--store', copy, 'query', '--format', 'jsonl', '--order', 'asc', '--quiet'], ENV);
    assert.equal(reexported.stdout, exported.stdout);
  });

  it('prints times in the zone with their offsets in the table', async () => {
    const result = await runCli(['--store', store, 'query', '--tz', 'America/New_York', '--order', 'asc'], ENV);
    assert.equal(result.status, 0);
    assert.match(result.stdout, /^Records in \[-∞, \+∞\) UTC, times in America\/New_York\n/);
    assert.match(result.stdout, /│ 2026-03-08T01:30:00\.000-05:00 │ claude-sonnet-4-5 │ chat/);
    assert.match(result.stdout, /│ 2026-03-08T03:30:00\.000-04:00 │ claude-sonnet-4-5 │ extract/);
    assert.match(result.stdout, /│ +0\.004500 │ chat-1 +│/);
  });

  it('says so when the table is empty', async () => {
    const result = await runCli(['--store', store, 'query', '--category', 'none'], ENV);
    assert.match(result.stdout, /No records match\.\n$/);
  });

  it('writes CSV with local times and plain decimal costs', async () => {
    const result = await runCli(['--store', store, 'query', '--format', 'csv', '--tz', 'America/New_York', '--order', 'asc'], ENV);
    assert.equal(result.status, 0);
    const rows = parse(result.stdout, { columns: true }) as Record<string, string>[];
    assert.deepEqual(rows.map((row) => row.id), ['chat-1', 'extract-1', 'haiku-1']);
    assert.equal(rows[1]!.started_at, '2026-03-08T03:30:00.000-04:00');
    assert.equal(rows[0]!.cost_usd, '0.0045');
    assert.equal(rows[0]!.tags, '{"team":"search"}');
  });
});

describe('query errors', () => {
  const cases: [string, string[], RegExp][] = [
    ['unknown zone', ['--tz', 'Mars/Base'], /^error: invalid --tz "Mars\/Base": use an IANA zone/],
    ['unreadable --to', ['--to', 'tomorrow'], /^error: invalid --to "tomorrow": not a recognised date or time; use a value such as 2025-03-09/],
    ['--from equal to --to', ['--from', '2025-03-09T10:00Z', '--to', '2025-03-09T10:00Z'], /^error: invalid range: --from "2025-03-09T10:00Z" is not before --to/],
    ['--limit 0', ['--limit', '0'], /^error: invalid --limit "0": use a whole number of 1 or more/],
    ['--limit text', ['--limit', 'ten'], /^error: invalid --limit "ten"/],
    ['unknown --source', ['--source', 'web'], /^error: invalid --source "web": use send, bench, import\n$/],
    ['conflicting --tag', ['--tag', 'team=a', '--tag', 'team=b'], /^error: invalid --tag "team=b": tag "team" is already required to be "a"/],
    ['unknown --order', ['--order', 'up'], /^error: option '--order <order>' argument 'up' is invalid/],
    ['unknown --format', ['--format', 'xml'], /^error: option '--format <format>' argument 'xml' is invalid/],
  ];
  for (const [name, args, message] of cases) {
    it(`exits 2 on ${name}`, async () => {
      const result = await runCli(['--store', '/nonexistent/never-opened.db', 'query', ...args], ENV);
      assert.equal(result.status, 2);
      assert.equal(result.stdout, '');
      assert.match(result.stderr, message);
      assert.doesNotMatch(result.stderr, /\n\s+at /);
    });
  }

  it('exits 2 on an unknown TZ environment value', async () => {
    const result = await runCli(['--store', '/nonexistent/never-opened.db', 'query'], { TZ: 'Nowhere/Land' });
    assert.equal(result.status, 2);
    assert.equal(result.stderr, 'error: invalid TZ environment variable "Nowhere/Land": use an IANA zone such as Europe/Berlin, or pass --tz UTC\n');
  });
});
