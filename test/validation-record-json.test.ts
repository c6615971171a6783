import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { stringifyJson } from '../src/core/json.js';
import { FieldReader, MAX_TOKENS_PER_REQUEST, RecordFieldError } from '../src/core/json-fields.js';
import { recordFromJson, recordToJson } from '../src/core/record-json.js';
import { recordFromMinimalJson } from '../src/import/minimal-form.js';
import { sampleRecord } from './support/records.js';

type JsonObject = Record<string, unknown>;

/** A full record as plain JSON, with input $0.003 and output $0.003 (total $0.006). */
const fullRecord = (): JsonObject => JSON.parse(stringifyJson(recordToJson(sampleRecord()))) as JsonObject;
const costOf = (value: JsonObject) => value.cost_usd as JsonObject;
const usageOf = (value: JsonObject) => value.usage as JsonObject;

const minimalLine = (fields: JsonObject = {}, usage: JsonObject = {}): JsonObject => ({
  ts: '2025-11-03T09:15:00Z',
  model: 'claude-sonnet-4-5',
  ...fields,
  usage: { input_tokens: 1200, output_tokens: 300, ...usage },
});
const readMinimal = (value: JsonObject) => recordFromMinimalJson(FieldReader.root(value, 'line'), 'imp_test');

/** Assert that `read` throws a `RecordFieldError` for `field` whose message matches `message`. */
function assertFieldError(read: () => unknown, field: string, message: RegExp): void {
  assert.throws(read, (error: unknown) => {
    assert.ok(error instanceof RecordFieldError, String(error));
    assert.equal(error.field, field);
    assert.match(error.message, message);
    assert.equal(error.exitCode, 2);
    assert.doesNotMatch(error.message, /\n/);
    return true;
  });
}

describe('full record cost validation', () => {
  it('accepts total within 6 nano-dollars', () => {
    for (const total of ['0.006000006', '0.005999994']) {
      const value = fullRecord();
      costOf(value).total = total;
      assert.equal(recordFromJson(value).cost!.total, BigInt(total.replace('0.', '')));
    }
  });

  it('rejects total 7 nano-dollars above', () => {
    const value = fullRecord();
    costOf(value).total = '0.006000007';
    assertFieldError(() => recordFromJson(value), 'cost_usd.total', /^invalid cost_usd\.total "0\.006000007": use the sum of the cost buckets, 0\.006 \(a rounding difference of up to 0\.000000006 is accepted\)$/);
  });

  it('rejects total 7 nano-dollars below', () => {
    const value = fullRecord();
    costOf(value).total = '0.005999993';
    assertFieldError(() => recordFromJson(value), 'cost_usd.total', /^invalid cost_usd\.total "0\.005999993": use the sum of the cost buckets, 0\.006 /);
  });

  it('rejects total 999 over 0.000306', () => {
    const value = fullRecord();
    Object.assign(costOf(value), { input: 0.000306, output: 0, total: 999 });
    assertFieldError(() => recordFromJson(value), 'cost_usd.total', /^invalid cost_usd\.total 999: use the sum of the cost buckets, 0\.000306 /);
  });

  it('rejects negative total -5', () => {
    const value = fullRecord();
    costOf(value).total = -5;
    assertFieldError(() => recordFromJson(value), 'cost_usd.total', /^invalid cost_usd\.total -5: use an amount of 0 or more$/);
  });

  it('rejects negative bucket, matching total', () => {
    const value = fullRecord();
    Object.assign(costOf(value), { input: -0.001, output: 0.007, total: 0.006 });
    assertFieldError(() => recordFromJson(value), 'cost_usd.input', /^invalid cost_usd\.input -0\.001: use an amount of 0 or more$/);
  });

  it('caps amounts at 2^63 - 1 nano-dollars', () => {
    const value = fullRecord();
    Object.assign(costOf(value), { input: '9223372036.854775807', output: 0, total: '9223372036.854775807' });
    assert.equal(recordFromJson(value).cost!.total, 2n ** 63n - 1n);

    Object.assign(costOf(value), { input: '9223372036.854775808', total: '9223372036.854775808' });
    assertFieldError(() => recordFromJson(value), 'cost_usd.input', /use at most 9223372036\.854775807 USD, the maximum of a store's 64-bit nano-dollar columns$/);
  });
});

describe('full record usage and start time', () => {
  it('caps token counts at 1,000,000,000', () => {
    const value = fullRecord();
    usageOf(value).cache_read_tokens = MAX_TOKENS_PER_REQUEST;
    value.cost_usd = null;
    assert.equal(recordFromJson(value).usage.cacheReadTokens, 1_000_000_000);

    usageOf(value).cache_read_tokens = 1_000_000_001;
    assertFieldError(() => recordFromJson(value), 'usage.cache_read_tokens', /^invalid usage\.cache_read_tokens 1000000001: use at most 1,000,000,000, the maximum per request$/);
  });

  it('rejects 2^53 - 1 web searches', () => {
    const value = fullRecord();
    usageOf(value).web_search_requests = Number.MAX_SAFE_INTEGER;
    assertFieldError(() => recordFromJson(value), 'usage.web_search_requests', /use at most 1,000,000,000/);
  });

  it('accepts started_at 2000 to 2100 inclusive', () => {
    for (const startedAt of ['2000-01-01T00:00:00.000Z', '2100-01-01T00:00:00.000Z', '2100-01-01T01:00:00+01:00']) {
      const value = fullRecord();
      value.started_at = startedAt;
      assert.ok(recordFromJson(value).startedAt instanceof Date, startedAt);
    }
  });

  for (const startedAt of ['1999-12-31T23:59:59.999Z', '2100-01-01T00:00:00.001Z', '0001-01-01T00:00:00Z', '2000-01-01T00:30:00+01:00']) {
    it(`rejects started_at ${startedAt}`, () => {
      const value = fullRecord();
      value.started_at = startedAt;
      assertFieldError(() => recordFromJson(value), 'started_at', /: use a start time from 2000-01-01T00:00:00Z to 2100-01-01T00:00:00Z$/);
    });
  }

  // Full records may come from logged API responses, whose new values must survive a round trip.
  it('keeps unknown service_tier and speed', () => {
    const value = fullRecord();
    value.service_tier = 'flex';
    value.speed = 'turbo';
    const record = recordFromJson(value);
    assert.equal(record.serviceTier, 'flex');
    assert.equal(record.speed, 'turbo');
  });
});

describe('minimal import form validation', () => {
  it('accepts valid speeds and tiers', () => {
    assert.equal(readMinimal(minimalLine({ speed: 'fast' })).speed, 'fast');
    assert.equal(readMinimal(minimalLine({}, { speed: 'standard' })).speed, 'standard');
    for (const tier of ['standard', 'priority', 'batch']) {
      assert.equal(readMinimal(minimalLine({ service_tier: tier })).serviceTier, tier);
      assert.equal(readMinimal(minimalLine({}, { service_tier: tier })).serviceTier, tier);
    }
    assert.equal(readMinimal(minimalLine({ speed: null, service_tier: null })).speed, null);
  });

  const invalidCases: [string, JsonObject, string, RegExp][] = [
    ['speed "ludicrous"', minimalLine({ speed: 'ludicrous' }), 'speed', /^invalid speed "ludicrous": use one of standard, fast, or null$/],
    ['usage.speed "Fast"', minimalLine({}, { speed: 'Fast' }), 'usage.speed', /^invalid usage\.speed "Fast": use one of standard, fast, or null$/],
    ['service_tier "galactic"', minimalLine({ service_tier: 'galactic' }), 'service_tier', /^invalid service_tier "galactic": use one of standard, priority, batch, or null$/],
    ['usage.service_tier 7', minimalLine({}, { service_tier: 7 }), 'usage.service_tier', /^invalid usage\.service_tier 7: use one of standard, priority, batch, or null$/],
    ['1,000,000,001 input tokens', minimalLine({}, { input_tokens: 1_000_000_001 }), 'usage.input_tokens', /use at most 1,000,000,000, the maximum per request$/],
    ['1,000,000,001 1-hour cache writes', minimalLine({}, { cache_creation: { ephemeral_1h_input_tokens: 1_000_000_001 } }), 'usage.cache_creation.ephemeral_1h_input_tokens', /use at most 1,000,000,000/],
    ['missing output_tokens', { ts: '2025-11-03T09:15:00Z', model: 'claude-sonnet-4-5', usage: { input_tokens: 5 } }, 'usage.output_tokens', /^missing usage\.output_tokens: write 0 for none, because a Messages API usage always has input_tokens and output_tokens$/],
    ['ts 0001-01-01', minimalLine({ ts: '0001-01-01T00:00:00Z' }), 'ts', /^invalid ts "0001-01-01T00:00:00Z": use a start time from 2000-01-01T00:00:00Z to 2100-01-01T00:00:00Z$/],
  ];
  for (const [name, value, field, message] of invalidCases) {
    it(`rejects ${name}`, () => {
      assertFieldError(() => readMinimal(value), field, message);
    });
  }

  it('accepts maximum tokens, earliest ts', () => {
    const record = readMinimal(minimalLine({ ts: '2000-01-01T00:00:00Z' }, { output_tokens: 1_000_000_000 }));
    assert.equal(record.usage.outputTokens, 1_000_000_000);
    assert.equal(record.startedAt.toISOString(), '2000-01-01T00:00:00.000Z');
  });
});
