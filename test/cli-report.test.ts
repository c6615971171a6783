import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { pricedRecord, storeWith } from './support/report-store.js';
import { runCli } from './support/run-cli.js';

const ENV = { TZ: 'UTC', ANTHROTRACE_NOW: '2026-01-01T00:00:00Z' };

interface ReportJson {
  timezone: string;
  from: string | null;
  to: string | null;
  group_by: string[];
  rows: Record<string, unknown>[];
  totals: Record<string, unknown>;
}

async function reportJson(store: string, args: string[]): Promise<ReportJson> {
  const result = await runCli(['--store', store, 'report', '--format', 'json', ...args], ENV);
  assert.equal(result.stderr, '');
  assert.equal(result.status, 0);
  return JSON.parse(result.stdout) as ReportJson;
}

const sonnet = (at: string) => pricedRecord({ at, usage: { inputTokens: 1000, outputTokens: 100 } });
const countsByDay = (report: ReportJson) => report.rows.map((row) => [row.day, row.requests]);

describe('report --by day follows the zone', () => {
  let store: string;
  before(async () => {
    store = await storeWith([await sonnet('2025-01-25T04:08:00Z'), await sonnet('2025-01-25T18:00:00Z')]);
  });

  it('splits 04:08Z into 2025-01-24 in Los Angeles', async () => {
    const report = await reportJson(store, ['--by', 'day', '--tz', 'America/Los_Angeles']);
    assert.deepEqual(countsByDay(report), [['2025-01-24', 1], ['2025-01-25', 1]]);
    assert.equal(report.rows[0]!.cost_usd, 0.0045);
    assert.equal(report.rows[0]!.bucket_start, '2025-01-24T08:00:00.000Z');
    assert.equal(report.timezone, 'America/Los_Angeles');
  });

  it('keeps both rows on 2025-01-25 in UTC at $0.009', async () => {
    const report = await reportJson(store, ['--by', 'day', '--tz', 'UTC']);
    assert.deepEqual(countsByDay(report), [['2025-01-25', 2]]);
    assert.equal(report.rows[0]!.cost_usd, 0.009);
    assert.equal(report.totals.cost_usd, 0.009);
  });

  it('moves 18:00Z into 2025-01-26 in Shanghai', async () => {
    const report = await reportJson(store, ['--by', 'day', '--tz', 'Asia/Shanghai']);
    assert.deepEqual(countsByDay(report), [['2025-01-25', 1], ['2025-01-26', 1]]);
  });
});

describe('report across daylight saving changes', () => {
  it('counts the 23-hour 2025-03-09 in Los Angeles as one day', async () => {
    const times = ['2025-03-09T07:30:00Z', '2025-03-09T08:30:00Z', '2025-03-10T06:30:00Z', '2025-03-10T07:30:00Z'];
    const store = await storeWith(await Promise.all(times.map(sonnet)));
    const report = await reportJson(store, ['--by', 'day', '--tz', 'America/Los_Angeles']);
    assert.deepEqual(countsByDay(report), [['2025-03-08', 1], ['2025-03-09', 2], ['2025-03-10', 1]]);
    assert.equal(report.rows[1]!.bucket_start, '2025-03-09T08:00:00.000Z');
    assert.equal(report.rows[1]!.bucket_end, '2025-03-10T07:00:00.000Z');
  });

  it('counts the 25-hour 2025-11-02 in Los Angeles as one day', async () => {
    const times = ['2025-11-02T06:30:00Z', '2025-11-03T07:30:00Z', '2025-11-03T08:30:00Z'];
    const store = await storeWith(await Promise.all(times.map(sonnet)));
    const report = await reportJson(store, ['--by', 'day', '--tz', 'America/Los_Angeles']);
    assert.deepEqual(countsByDay(report), [['2025-11-01', 1], ['2025-11-02', 1], ['2025-11-03', 1]]);
    assert.equal(report.rows[1]!.bucket_start, '2025-11-02T07:00:00.000Z');
    assert.equal(report.rows[1]!.bucket_end, '2025-11-03T08:00:00.000Z');
  });

  it('gives the repeated 01:00 two hour rows', async () => {
    const store = await storeWith([await sonnet('2025-11-02T08:30:00Z'), await sonnet('2025-11-02T09:30:00Z')]);
    const report = await reportJson(store, ['--by', 'hour', '--tz', 'America/Los_Angeles']);
    assert.deepEqual(report.rows.map((row) => row.hour), ['2025-11-02T01:00-07:00', '2025-11-02T01:00-08:00']);
  });
});

describe('report cost totals', () => {
  const haiku = (count: number) =>
    Promise.all(Array.from({ length: count }, (_, index) => pricedRecord({ at: `2026-02-0${1 + (index % 5)}T12:00:00Z`, model: 'claude-haiku-4-5', usage: { inputTokens: 100_000 } })));

  it('sums ten $0.1 rows to exactly 1', async () => {
    const store = await storeWith(await haiku(10));
    const result = await runCli(['--store', store, 'report', '--by', 'day', '--format', 'json'], ENV);
    assert.match(result.stdout, /"totals": \{[^}]*"cost_usd": 1\n/);
    const report = JSON.parse(result.stdout) as ReportJson;
    assert.equal(report.totals.cost_usd, 1);
    assert.equal(report.totals.requests, 10);
    assert.deepEqual(report.rows.map((row) => row.cost_usd), [0.2, 0.2, 0.2, 0.2, 0.2]);
  });

  it('sums three $0.1 rows to exactly 0.3', async () => {
    const store = await storeWith(await haiku(3));
    const result = await runCli(['--store', store, 'report', '--format', 'json'], ENV);
    assert.match(result.stdout, /"cost_usd": 0\.3\n/);
    assert.doesNotMatch(result.stdout, /0\.30000000000000004|0\.2999/);
  });

  it('shows a 1.00 total in the table, not 0.99', async () => {
    const store = await storeWith(await haiku(10));
    const result = await runCli(['--store', store, 'report', '--by', 'model'], ENV);
    assert.equal(result.status, 0);
    const totalLine = result.stdout.split('\n').find((line) => line.includes('total'))!;
    assert.match(totalLine, /│ +1\.00 │$/);
    assert.doesNotMatch(result.stdout, /0\.99/);
  });

  it('shows $0.0045 rows with four decimals in the table', async () => {
    const store = await storeWith([await sonnet('2025-01-25T04:08:00Z')]);
    const result = await runCli(['--store', store, 'report'], ENV);
    assert.match(result.stdout, /│ +0\.0045 │/);
  });

  it('flags unpriced requests in the table and JSON', async () => {
    const unpriced = await pricedRecord({ at: '2026-02-01T00:00:00Z', model: 'no-such-model', usage: { inputTokens: 500 } });
    const store = await storeWith([unpriced, await sonnet('2026-02-01T00:00:00Z')]);
    const table = await runCli(['--store', store, 'report'], ENV);
    assert.match(table.stdout, /no-such-model .*│ +1 │ +unpriced\* │/);
    assert.match(table.stdout, /^\* 1 request has no price entry/m);
    const report = await reportJson(store, []);
    assert.equal(report.totals.unpriced_requests, 1);
    assert.equal(report.totals.input_tokens, 1500);
    assert.equal(report.totals.cost_usd, 0.0045);
  });
});

describe('report formats', () => {
  let store: string;
  before(async () => {
    store = await storeWith([
      await pricedRecord({ at: '2026-02-02T10:00:00Z', usage: { inputTokens: 1000, outputTokens: 500 }, overrides: { category: 'chat', tags: { team: 'search' } } }),
      await pricedRecord({ at: '2026-02-04T10:00:00Z', model: 'claude-haiku-4-5', usage: { inputTokens: 100_000 }, overrides: { category: 'extract' } }),
    ]);
  });

  it('writes the same JSON shape when nothing matches', async () => {
    const report = await reportJson(store, ['--by', 'day,model', '--from', '2030-01-01', '--to', '2030-01-02']);
    assert.deepEqual(report, {
      timezone: 'UTC',
      from: '2030-01-01T00:00:00.000Z',
      to: '2030-01-03T00:00:00.000Z',
      group_by: ['day', 'model'],
      rows: [],
      totals: {
        requests: 0,
        input_tokens: 0,
        output_tokens: 0,
        cache_write_5m_tokens: 0,
        cache_write_1h_tokens: 0,
        cache_read_tokens: 0,
        web_search_requests: 0,
        unpriced_requests: 0,
        cost_usd: 0,
      },
    });
  });

  it('fills the empty 2026-02-03 with zeros', async () => {
    const report = await reportJson(store, ['--by', 'day', '--fill']);
    assert.deepEqual(countsByDay(report), [['2026-02-02', 1], ['2026-02-03', 0], ['2026-02-04', 1]]);
    assert.equal(report.rows[1]!.cost_usd, 0);
  });

  it('groups by week, category and tag', async () => {
    const report = await reportJson(store, ['--by', 'week,category,tag:team']);
    assert.deepEqual(report.group_by, ['week', 'category', 'tag:team']);
    assert.deepEqual(
      report.rows.map((row) => [row.week, row.category, row['tag:team']]),
      [['2026-02-02', 'chat', 'search'], ['2026-02-02', 'extract', null]],
    );
  });

  it('filters by category and model', async () => {
    const report = await reportJson(store, ['--category', 'extract', '--model', 'claude-haiku-4-5']);
    assert.equal(report.totals.requests, 1);
    assert.equal(report.totals.cost_usd, 0.1);
  });

  it('writes CSV that csv-parse reads back exactly', async () => {
    const result = await runCli(['--store', store, 'report', '--by', 'day,model', '--format', 'csv', '--tz', 'America/New_York'], ENV);
    assert.equal(result.status, 0);
    const rows = parse(result.stdout, { columns: true }) as Record<string, string>[];
    assert.equal(rows.length, 2);
    assert.equal(rows[0]!.day, '2026-02-02');
    assert.equal(rows[0]!.bucket_start, '2026-02-02T00:00:00.000-05:00');
    assert.equal(rows[0]!.cost_usd, '0.0105');
    assert.equal(rows[1]!.cost_usd, '0.1');
    assert.match(result.stderr, /range \[-∞, \+∞\) UTC, read in America\/New_York/);
  });

  it('prints the zone and UTC range above the table', async () => {
    const result = await runCli(['--store', store, 'report', '--by', 'day', '--from', '2026-02-01', '--tz', 'Europe/Berlin'], ENV);
    assert.equal(result.status, 0);
    const lines = result.stdout.split('\n');
    assert.equal(lines[0], 'Report by day in Europe/Berlin');
    assert.equal(lines[1], 'Range [2026-01-31T23:00:00.000Z, +∞) UTC');
    assert.match(result.stdout, /│ 2026-02-04 │/);
  });
});

describe('report errors', () => {
  const cases: [string, string[], RegExp][] = [
    ['unknown --by key', ['--by', 'day,colour'], /^error: invalid --by "day,colour": unknown key "colour"; use hour, day/],
    ['two time units', ['--by', 'day,month'], /^error: invalid --by "day,month": day and month are both time units/],
    ['unknown zone', ['--tz', 'Mars/Base'], /^error: invalid --tz "Mars\/Base": use an IANA zone such as Europe\/Berlin, UTC or local\n$/],
    ['unreadable --from', ['--from', '2025-02-30'], /^error: invalid --from "2025-02-30": no such date; use a value such as 2025-03-09/],
    ['--from after --to', ['--from', '2025-03-10', '--to', '2025-03-09'], /^error: invalid range: --from "2025-03-10" is not before --to "2025-03-09"/],
    ['unknown --status', ['--status', 'failed'], /^error: invalid --status "failed": use ok, error\n$/],
    ['--tag without =', ['--tag', 'team'], /^error: invalid --tag "team": use key=value/],
    ['--fill without a time unit', ['--fill', '--by', 'model'], /^error: invalid --fill with --by "model": it fills time buckets/],
    ['unknown --format', ['--format', 'xml'], /^error: option '--format <format>' argument 'xml' is invalid/],
  ];
  for (const [name, args, message] of cases) {
    it(`exits 2 on ${name}`, async () => {
      const result = await runCli(['--store', '/nonexistent/never-opened.db', 'report', ...args], ENV);
      assert.equal(result.status, 2);
      assert.equal(result.stdout, '');
      assert.match(result.stderr, message);
      assert.doesNotMatch(result.stderr, /\n\s+at /);
    });
  }

  it('exits 2 on an invalid ANTHROTRACE_NOW', async () => {
    const result = await runCli(['--store', '/nonexistent/never-opened.db', 'report', '--from', '7d'], { TZ: 'UTC', ANTHROTRACE_NOW: 'soon' });
    assert.equal(result.status, 2);
    assert.equal(result.stderr.split('\n').length, 2);
    assert.match(result.stderr, /^error: invalid ANTHROTRACE_NOW "soon"/);
  });
});
