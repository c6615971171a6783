import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { stringifyJson } from '../src/core/json.js';
import { parseInstant, recordFromJson, recordToJson, RecordFieldError } from '../src/core/record-json.js';
import { parseJsonWithDecimals } from '../src/import/exact-json.js';
import { randomRecords, sampleRecord } from './support/records.js';

const toJsonValue = (record: Parameters<typeof recordToJson>[0]) => JSON.parse(stringifyJson(recordToJson(record))) as Record<string, unknown>;

describe('record JSON form', () => {
  it('round-trips 200 varied records exactly', () => {
    for (const record of randomRecords(200, { seed: 99 })) {
      const text = stringifyJson(recordToJson(record));
      assert.deepEqual(recordFromJson(parseJsonWithDecimals(text)), record);
    }
  });

  it('writes snake_case fields, instants with milliseconds and Z, and exact USD', () => {
    const big = 2n ** 53n + 1n;
    const record = sampleRecord({
      startedAt: new Date(Date.UTC(2026, 2, 1, 12, 0, 0)),
      modelServed: null,
      cost: { input: 1n, output: 35_574_000n, cacheWrite5m: 0n, cacheWrite1h: 0n, cacheRead: 0n, webSearch: 0n, total: big },
    });
    const text = stringifyJson(recordToJson(record));
    assert.match(text, /"started_at":"2026-03-01T12:00:00\.000Z"/);
    assert.match(text, /"model":"claude-sonnet-4-5","model_requested":"claude-sonnet-4-5","model_served":null/);
    assert.match(text, /"cost_usd":\{"input":0\.000000001,"output":0\.035574,"cache_write_5m":0,"cache_write_1h":0,"cache_read":0,"web_search":0,"total":9007199\.254740993\}/);
    assert.deepEqual(Object.keys(JSON.parse(text)), [
      'id', 'request_id', 'message_id', 'started_at', 'duration_ms', 'time_to_first_token_ms', 'model', 'model_requested',
      'model_served', 'category', 'tags', 'source', 'status', 'error_type', 'http_status', 'stop_reason', 'attempts', 'usage',
      'service_tier', 'batch', 'inference_geo', 'speed', 'cost_usd', 'price_entry', 'prompt_hash', 'prompt_text', 'response_summary',
    ]);
  });

  it('writes null cost_usd for an unpriced record', () => {
    assert.equal(toJsonValue(sampleRecord({ cost: null, priceEntry: null })).cost_usd, null);
  });

  it('reads amounts from plain JSON numbers and strings', () => {
    const value = toJsonValue(sampleRecord());
    value.cost_usd = { input: 1e-9, output: '0.0081', cache_write_5m: 0, cache_write_1h: 0, cache_read: 0, web_search: 0, total: 0.008100001 };
    const record = recordFromJson(value);
    assert.deepEqual(record.cost, { input: 1n, output: 8_100_000n, cacheWrite5m: 0n, cacheWrite1h: 0n, cacheRead: 0n, webSearch: 0n, total: 8_100_001n });
  });

  it('fills defaults for missing optional fields', () => {
    const record = recordFromJson({
      id: 'x',
      started_at: '2026-01-01T00:00:00Z',
      model_requested: 'claude-haiku-4-5',
      source: 'import',
      status: 'ok',
      usage: { input_tokens: 5 },
    });
    assert.equal(record.attempts, 1);
    assert.equal(record.batch, false);
    assert.deepEqual(record.tags, {});
    assert.equal(record.usage.outputTokens, 0);
    assert.equal(record.requestId, null);
    assert.equal(record.cost, null);
  });

  const invalidCases: [string, (value: Record<string, unknown>) => void, RegExp][] = [
    ['missing id', (v) => delete v.id, /^missing id: the field is required$/],
    ['empty model_requested', (v) => (v.model_requested = ''), /^invalid model_requested "": use a non-empty string$/],
    ['unknown status', (v) => (v.status = 'fine'), /^invalid status "fine": use one of ok, error$/],
    ['fractional token count', (v) => ((v.usage as Record<string, unknown>).output_tokens = 1.5), /^invalid usage\.output_tokens 1\.5: use a non-negative integer$/],
    ['tag that is a number', (v) => (v.tags = { team: 7 }), /^invalid tags\.team 7: use a string$/],
    ['amount with 10 decimals', (v) => ((v.cost_usd as Record<string, unknown>).total = '0.0000000001'), /^invalid cost_usd\.total "0\.0000000001": use a decimal USD amount with at most 9 decimals$/],
    ['batch as text', (v) => (v.batch = 'yes'), /^invalid batch "yes": use true or false$/],
    ['array instead of object', (v) => (v.usage = []), /^invalid usage \[\]: use a JSON object$/],
  ];
  for (const [name, change, message] of invalidCases) {
    it(`rejects ${name}`, () => {
      const value = toJsonValue(sampleRecord());
      change(value);
      assert.throws(() => recordFromJson(value), (error: unknown) => {
        assert.ok(error instanceof RecordFieldError);
        assert.match(error.message, message);
        assert.equal(error.exitCode, 2);
        return true;
      });
    });
  }
});

describe('parseInstant', () => {
  it('reads Z, offsets and up to 9 fraction digits', () => {
    assert.equal(parseInstant('2025-03-30T01:30:00.250Z', 'ts').toISOString(), '2025-03-30T01:30:00.250Z');
    assert.equal(parseInstant('2025-03-30T03:30:00+02:00', 'ts').toISOString(), '2025-03-30T01:30:00.000Z');
    assert.equal(parseInstant('2025-03-30T03:30:00.123456789-05:30', 'ts').toISOString(), '2025-03-30T09:00:00.123Z');
  });

  for (const text of ['2025-03-30T01:30:00', '2025-02-29T00:00:00Z', '2025-01-01T24:00:00Z', '2025-13-01T00:00:00Z', '30/03/2025', '']) {
    it(`rejects ${JSON.stringify(text)}`, () => {
      assert.throws(() => parseInstant(text, 'ts'), /^RecordFieldError: invalid ts .*: use an ISO 8601 instant with Z or an offset/);
    });
  }
});
