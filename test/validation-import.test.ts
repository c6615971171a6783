import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringifyJson } from '../src/core/json.js';
import { recordToJson } from '../src/core/record-json.js';
import { SQLiteRepository } from '../src/store/sqlite/repository.js';
import { sampleRecord } from './support/records.js';
import { runCli, type CliResult } from './support/run-cli.js';
import { storedRecords } from './support/stored-records.js';

const directory = mkdtempSync(join(tmpdir(), 'anthrotrace-validation-import-'));
after(() => rmSync(directory, { recursive: true, force: true }));
const ENV = { XDG_DATA_HOME: directory, TZ: 'UTC', ANTHROTRACE_NOW: '2026-01-01T00:00:00Z' };

let fileNumber = 0;
function writeLines(lines: string[]): { file: string; store: string } {
  fileNumber += 1;
  const file = join(directory, `lines-${fileNumber}.jsonl`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return { file, store: join(directory, `store-${fileNumber}.db`) };
}

const GOOD = '{"ts":"2025-11-03T09:15:00Z","model":"claude-sonnet-4-5","usage":{"input_tokens":1200,"output_tokens":300}}';
const minimal = (fields: string, usage = '') =>
  `{"ts":"2025-11-03T09:15:00Z","model":"claude-sonnet-4-5","usage":{"input_tokens":1200,"output_tokens":300${usage}}${fields}}`;

/** Write a full record as `query --format jsonl` does, after `change` has edited its fields. */
function fullLine(change: (value: Record<string, unknown>) => void): string {
  const value = JSON.parse(stringifyJson(recordToJson(sampleRecord()))) as Record<string, unknown>;
  change(value);
  return JSON.stringify(value);
}
const cost = (value: Record<string, unknown>) => value.cost_usd as Record<string, unknown>;

function assertRejected(result: CliResult, message: RegExp): void {
  assert.equal(result.status, 2, result.stderr);
  assert.equal(result.stderr.trimEnd().split('\n').length, 1, result.stderr);
  assert.match(result.stderr.trimEnd(), message);
  assert.doesNotMatch(result.stderr, /^\s+at /m);
}

describe('import rejects invalid values', () => {
  const cases: [string, string, RegExp][] = [
    ['speed "ludicrous"', minimal(',"speed":"ludicrous"'), /^error: line 2: invalid speed "ludicrous": use one of standard, fast, or null$/],
    ['service_tier "galactic"', minimal(',"service_tier":"galactic"'), /^error: line 2: invalid service_tier "galactic": use one of standard, priority, batch, or null$/],
    ['usage.speed "Fast"', minimal('', ',"speed":"Fast"'), /^error: line 2: invalid usage\.speed "Fast": use one of standard, fast, or null$/],
    [
      'tokens of 9007199254740991',
      '{"ts":"2025-11-03T09:15:00Z","model":"claude-sonnet-4-5","usage":{"input_tokens":9007199254740991,"output_tokens":9007199254740991}}',
      /^error: line 2: invalid usage\.input_tokens 9007199254740991: use at most 1,000,000,000, the maximum per request$/,
    ],
    [
      'ts 0001-01-01',
      '{"ts":"0001-01-01T00:00:00Z","model":"claude-sonnet-4-5","usage":{"input_tokens":1,"output_tokens":1}}',
      /^error: line 2: invalid ts "0001-01-01T00:00:00Z": use a start time from 2000-01-01T00:00:00Z to 2100-01-01T00:00:00Z$/,
    ],
    [
      'full record with started_at 0001-01-01',
      fullLine((value) => (value.started_at = '0001-01-01T00:00:00.000Z')),
      /^error: line 2: invalid started_at "0001-01-01T00:00:00\.000Z": use a start time from 2000-01-01T00:00:00Z to 2100-01-01T00:00:00Z$/,
    ],
    ['full record with total -5', fullLine((value) => (cost(value).total = -5)), /^error: line 2: invalid cost_usd\.total -5: use an amount of 0 or more$/],
    [
      'full record with total 999 over buckets of 0.000306',
      fullLine((value) => Object.assign(cost(value), { input: 0.000306, output: 0, total: 999 })),
      /^error: line 2: invalid cost_usd\.total 999: use the sum of the cost buckets, 0\.000306 \(a rounding difference of up to 0\.000000006 is accepted\)$/,
    ],
  ];
  for (const [name, line, message] of cases) {
    it(`rejects ${name}, stores nothing`, async () => {
      const { file, store } = writeLines([GOOD, line]);
      assertRejected(await runCli(['--store', store, 'import', file], ENV), message);
      assert.deepEqual(await storedRecords(store), []);
    });
  }

  it('accepts the boundary values', async () => {
    const { file, store } = writeLines([
      '{"ts":"2000-01-01T00:00:00Z","model":"claude-sonnet-4-5","usage":{"input_tokens":1000000000,"output_tokens":0}}',
      '{"ts":"2100-01-01T00:00:00Z","model":"claude-sonnet-4-5","usage":{"input_tokens":1,"output_tokens":1,"speed":"fast","service_tier":"priority"}}',
      fullLine((value) => (cost(value).total = 0.006000006)),
    ]);
    const result = await runCli(['--store', store, 'import', file], ENV);
    assert.equal(result.status, 0, result.stderr);
    const records = await storedRecords(store);
    assert.equal(records.length, 3);
    assert.equal(records[0]!.usage.inputTokens, 1_000_000_000);
    assert.equal(records[2]!.speed, 'fast');
    assert.equal(records[2]!.serviceTier, 'priority');
  });
});

describe('report over a cost sum beyond 64 bits', () => {
  it('exits 1 with one line', async () => {
    // Two records of $5 billion each: 10^19 nano-dollars, above 2^63 - 1.
    const fiveBillion = 5_000_000_000n * 1_000_000_000n;
    const record = () =>
      sampleRecord({ cost: { input: fiveBillion, output: 0n, cacheWrite5m: 0n, cacheWrite1h: 0n, cacheRead: 0n, webSearch: 0n, total: fiveBillion } });
    const store = join(directory, 'overflow.db');
    const repository = new SQLiteRepository(store);
    await repository.init();
    await repository.insert([record(), record()]);
    await repository.close();

    const result = await runCli(['--store', store, 'report', '--by', 'day'], ENV);
    assert.equal(result.status, 1, result.stderr);
    assert.equal(result.stderr.trimEnd().split('\n').length, 1, result.stderr);
    assert.match(result.stderr.trimEnd(), /^error: the sum of cost over the selected records exceeds the 64-bit nano-dollar range \(about \$9\.2 billion\): narrow the range with --from\/--to or filters$/);
  });
});

describe('import of a binary file', () => {
  it('quotes the parser message without raw control bytes', async () => {
    const { file, store } = writeLines([]);
    writeFileSync(file, Buffer.from([0x60, 0x01, 0x1b, 0x5b, 0x32, 0x4a, 0xff, 0xfe, 0x0a]));
    const result = await runCli(['--store', store, 'import', file], ENV);
    assertRejected(result, /^error: line 1: invalid JSON \(.*\\u00.*\): write one JSON object per line$/);
    assert.doesNotMatch(result.stderr, /[\u0000-\u0008\u000b-\u001f]/);
  });
});
