/**
 * Every model in the built-in table priced once against a hand-computed
 * value, and checks on the data itself (sources, dates, marks).
 *
 * The usage is 1,000 input, 100 output, 200 5-minute cache writes, 300
 * 1-hour cache writes and 400 cache reads. With prices in USD per million
 * tokens, the cost in micro-dollars is therefore
 * 1000·input + 100·output + 200·write5m + 300·write1h + 400·read.
 * Models without cache prices use only the 1,000 input and 100 output tokens.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import { usdDecimal } from '../src/core/money.js';
import { emptyUsage, type TokenUsage } from '../src/core/record.js';
import { loadPriceTable, type PriceTable } from '../src/pricing/table.js';

const WITH_CACHE: TokenUsage = { ...emptyUsage(), inputTokens: 1000, outputTokens: 100, cacheWrite5mTokens: 200, cacheWrite1hTokens: 300, cacheReadTokens: 400 };
const WITHOUT_CACHE: TokenUsage = { ...emptyUsage(), inputTokens: 1000, outputTokens: 100 };
const AT = '2026-12-01T00:00:00Z';

/** model, hand computation in micro-dollars, expected USD. */
const CASES: [string, string, string][] = [
  ['claude-fable-5-2', '8000 + 4000 + 2000 + 4800 + 80', '0.01888'],
  ['claude-mythos-5-2', '8000 + 4000 + 2000 + 4800 + 80', '0.01888'],
  ['claude-fable-5-1', '10000 + 5000 + 2500 + 6000 + 100', '0.0236'],
  ['claude-mythos-5-1', '10000 + 5000 + 2500 + 6000 + 100', '0.0236'],
  ['claude-fable-5', '10000 + 5000 + 2500 + 6000 + 400', '0.0239'],
  ['claude-mythos-5', '10000 + 5000 + 2500 + 6000 + 400', '0.0239'],
  ['claude-mythos-preview', '25000 + 12500 + 6250 + 15000 + 1000', '0.05975'],
  ['claude-opus-5-5', '4000 + 2000 + 1000 + 2400 + 80', '0.00948'],
  ['claude-opus-5', '5000 + 2500 + 1250 + 3000 + 200', '0.01195'],
  ['claude-opus-4-8', '5000 + 2500 + 1250 + 3000 + 200', '0.01195'],
  ['claude-opus-4-7', '5000 + 2500 + 1250 + 3000 + 200', '0.01195'],
  ['claude-opus-4-6', '5000 + 2500 + 1250 + 3000 + 200', '0.01195'],
  ['claude-opus-4-5-20251101', '5000 + 2500 + 1250 + 3000 + 200', '0.01195'],
  ['claude-opus-4-1-20250805', '15000 + 7500 + 3750 + 9000 + 600', '0.03585'],
  ['claude-opus-4-20250514', '15000 + 7500 + 3750 + 9000 + 600', '0.03585'],
  ['claude-3-opus-20240229', '15000 + 7500 + 3750 + 9000 + 600', '0.03585'],
  ['claude-sonnet-5-5', '2000 + 1000 + 500 + 1200 + 40', '0.00474'],
  ['claude-sonnet-5', '2000 + 1000 + 500 + 1200 + 80', '0.00478'],
  ['claude-sonnet-4-6', '3000 + 1500 + 750 + 1800 + 120', '0.00717'],
  ['claude-sonnet-4-5-20250929', '3000 + 1500 + 750 + 1800 + 120', '0.00717'],
  ['claude-sonnet-4-20250514', '3000 + 1500 + 750 + 1800 + 120', '0.00717'],
  ['claude-3-7-sonnet-20250219', '3000 + 1500 + 750 + 1800 + 120', '0.00717'],
  ['claude-3-5-sonnet-20241022', '3000 + 1500 + 750 + 1800 + 120', '0.00717'],
  ['claude-3-5-sonnet-20240620', '3000 + 1500 + 750 + 1800 + 120', '0.00717'],
  ['claude-3-sonnet-20240229', '3000 + 1500 (no cache prices)', '0.0045'],
  ['claude-haiku-5-5', '100 + 50 + 25 + 60 + 4', '0.000239'],
  ['claude-haiku-4-5-20251001', '1000 + 500 + 250 + 600 + 40', '0.00239'],
  ['claude-3-5-haiku-20241022', '800 + 400 + 200 + 480 + 32', '0.001912'],
  ['claude-3-haiku-20240307', '250 + 125 + 60 + 150 + 12', '0.000597'],
  ['claude-2.1', '8000 + 2400 (no cache prices)', '0.0104'],
  ['claude-2.0', '8000 + 2400 (no cache prices)', '0.0104'],
  ['claude-instant-1.2', '800 + 240 (no cache prices)', '0.00104'],
];

let table: PriceTable;
before(async () => {
  table = await loadPriceTable();
});

describe('every built-in model', () => {
  for (const [model, computation, expected] of CASES) {
    it(`prices ${model}: ${computation} µ$ = $${expected}`, () => {
      const usage = computation.includes('no cache') ? WITHOUT_CACHE : WITH_CACHE;
      const result = table.price({ model, at: new Date(AT), usage, batch: false, inferenceGeo: null, speed: null });
      assert.ok(result.priced, `${model} is unpriced`);
      assert.equal(usdDecimal(result.cost.total), expected);
    });
  }

  it('has a case for each model in the table', () => {
    assert.deepEqual(table.models().sort(), CASES.map(([model]) => model).sort());
  });
});

describe('built-in price data', () => {
  const raw = readFileSync(new URL('../src/pricing/prices.json', import.meta.url), 'utf8');

  it('names a public https source for every entry', () => {
    for (const model of table.models()) {
      for (const entry of table.entriesFor(model)) assert.match(entry.source, /^https:\/\//, entry.id);
    }
  });

  it('refers to no local path', () => {
    assert.doesNotMatch(raw, /\/work\/|file:/);
  });

  it('marks the Sonnet 5.5 cache-read cut as third-party', () => {
    const entry = table.entryAt('claude-sonnet-5-5', new Date('2026-10-07T00:00:00Z'))!;
    assert.deepEqual(entry.thirdParty, ['cache_read']);
  });

  it('marks the Haiku 5.5 high band as third-party', () => {
    const haiku = table.entryAt('claude-haiku-5-5', new Date(AT))!;
    assert.equal(haiku.longContext?.thirdParty.length, 5);
  });

  it('marks Mythos Preview cache prices as derived', () => {
    const preview = table.entryAt('claude-mythos-preview', new Date(AT))!;
    assert.deepEqual(preview.derived, ['cache_write_5m', 'cache_write_1h', 'cache_read']);
  });

  it('gives inference_geo us only to 4.6 and later models', () => {
    const withGeo = table.models().filter((model) => table.entryAt(model, new Date(AT))!.inferenceGeoUsMultiplier !== null);
    for (const model of withGeo) assert.match(model, /-(4-[6-9]|5)|mythos-preview/, model);
    assert.ok(!withGeo.includes('claude-haiku-4-5-20251001'));
    assert.ok(!withGeo.includes('claude-opus-4-5-20251101'));
  });
});
