/**
 * The pricing engine against hand-computed costs. Prices are USD per million
 * tokens (MTok): claude-sonnet-4-5 input 3, output 15, cache write 5m 3.75,
 * 1h 6, cache read 0.30; claude-haiku-4-5 1 / 5 / 1.25 / 2 / 0.10;
 * claude-sonnet-4 above 200,000 prompt tokens 6 / 22.50 / 7.50 / 12 / 0.60.
 * A price p times n tokens is p·n micro-dollars.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { usdDecimal } from '../src/core/money.js';
import { usageFromApi, type ApiUsage } from '../src/core/usage.js';
import { loadPriceTable, type PriceTable } from '../src/pricing/table.js';

let table: PriceTable;
before(async () => {
  table = await loadPriceTable();
});

interface Modifiers {
  batch?: boolean;
  geo?: string;
  speed?: string;
}

function priceOf(model: string, at: string, usage: ApiUsage, modifiers: Modifiers = {}) {
  return table.price({
    model,
    at: new Date(at),
    usage: usageFromApi(usage).usage,
    batch: modifiers.batch ?? false,
    inferenceGeo: modifiers.geo ?? null,
    speed: modifiers.speed ?? null,
  });
}

/** Price a request and return its total as an exact USD decimal. Fails the test when the request is unpriced. */
function totalUsd(model: string, at: string, usage: ApiUsage, modifiers: Modifiers = {}): string {
  const result = priceOf(model, at, usage, modifiers);
  assert.ok(result.priced, `expected ${model} to be priced`);
  return usdDecimal(result.cost.total);
}

const AFTER_LAUNCHES = '2026-01-01T00:00:00Z';

describe('cache writes by time to live', () => {
  const base = { input_tokens: 50, cache_creation_input_tokens: 3904, cache_read_input_tokens: 20000, output_tokens: 400 };

  it('prices 3,904 1-hour writes at 6: $0.035574', () => {
    // 50×3 + 3904×6 + 20000×0.30 + 400×15 = 150 + 23,424 + 6,000 + 6,000 = 35,574 µ$
    const usage = { ...base, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 3904 } };
    assert.equal(totalUsd('claude-sonnet-4-5', AFTER_LAUNCHES, usage), '0.035574');
  });

  it('prices a 1,000 / 2,904 split per bucket: $0.033324', () => {
    // 150 + 1000×3.75 + 2904×6 + 6,000 + 6,000 = 33,324 µ$
    const usage = { ...base, cache_creation: { ephemeral_5m_input_tokens: 1000, ephemeral_1h_input_tokens: 2904 } };
    assert.equal(totalUsd('claude-sonnet-4-5', AFTER_LAUNCHES, usage), '0.033324');
  });

  it('prices an aggregate without breakdown at the 5m rate: $0.02679', () => {
    // 150 + 3904×3.75 + 6,000 + 6,000 = 26,790 µ$
    assert.equal(totalUsd('claude-sonnet-4-5', AFTER_LAUNCHES, base), '0.02679');
  });

  it('prices a breakdown short of the aggregate by 1,000 at the 5m rate', () => {
    // The 1,000 tokens missing from {5m 0, 1h 2904} are 5-minute writes: same as the mixed split, 33,324 µ$
    const usage = { ...base, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 2904 } };
    const result = priceOf('claude-sonnet-4-5', AFTER_LAUNCHES, usage);
    assert.ok(result.priced);
    assert.equal(usdDecimal(result.cost.total), '0.033324');
    assert.equal(usdDecimal(result.cost.cacheWrite5m), '0.00375');
  });
});

describe('cached tokens', () => {
  it('charges 300 cache writes once: $0.006375, not $0.007275', () => {
    // 1200×3 + 500×0.30 + 300×3.75 + 100×15 = 3,600 + 150 + 1,125 + 1,500 = 6,375 µ$
    const usage = { input_tokens: 1200, cache_read_input_tokens: 500, cache_creation_input_tokens: 300, output_tokens: 100 };
    assert.equal(totalUsd('claude-sonnet-4-5', AFTER_LAUNCHES, usage), '0.006375');
  });

  it('keeps 1,792 fresh input tokens beside 139,627 cached: $0.0722832', () => {
    // 1792×3 + 5078×3.75 + 134549×0.30 + 500×15 = 5,376 + 19,042.5 + 40,364.7 + 7,500 = 72,283.2 µ$
    const usage = { input_tokens: 1792, cache_creation_input_tokens: 5078, cache_read_input_tokens: 134549, output_tokens: 500 };
    assert.equal(totalUsd('claude-sonnet-4-5', AFTER_LAUNCHES, usage), '0.0722832');
  });
});

describe('long-context tier of claude-sonnet-4', () => {
  const at = '2025-12-01T00:00:00Z';

  it('reprices all 250,000 input and output tokens: $1.725', () => {
    // 250000×6 + 10000×22.50 = 1,500,000 + 225,000 µ$
    assert.equal(totalUsd('claude-sonnet-4', at, { input_tokens: 250000, output_tokens: 10000 }), '1.725');
  });

  it('keeps exactly 200,000 prompt tokens standard: $0.75', () => {
    // 200000×3 + 10000×15 = 600,000 + 150,000 µ$
    assert.equal(totalUsd('claude-sonnet-4', at, { input_tokens: 200000, output_tokens: 10000 }), '0.75');
  });

  it('reprices 200,001 prompt tokens: $1.425006', () => {
    // 200001×6 + 10000×22.50 = 1,200,006 + 225,000 µ$
    assert.equal(totalUsd('claude-sonnet-4', at, { input_tokens: 200001, output_tokens: 10000 }), '1.425006');
  });

  it('counts 160,000 cache reads toward the threshold: $0.4185', () => {
    // 50000×6 + 160000×0.60 + 1000×22.50 = 300,000 + 96,000 + 22,500 µ$
    assert.equal(totalUsd('claude-sonnet-4', at, { input_tokens: 50000, cache_read_input_tokens: 160000, output_tokens: 1000 }), '0.4185');
  });

  it('applies on its last day, 2026-03-31, and not from 2026-04-01', () => {
    const usage = { input_tokens: 250000, output_tokens: 10000 };
    assert.equal(totalUsd('claude-sonnet-4', '2026-03-31T23:59:59.999Z', usage), '1.725');
    // 250000×3 + 10000×15 = 750,000 + 150,000 µ$
    assert.equal(totalUsd('claude-sonnet-4', '2026-04-01T00:00:00Z', usage), '0.9');
  });

  it('prices 1-hour writes above 200,000 at 12: $2.4', () => {
    // 100000×6 + 150000×12 = 600,000 + 1,800,000 µ$ (claude-sonnet-4-5, same tier)
    const usage = { input_tokens: 100000, cache_creation_input_tokens: 150000, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 150000 } };
    assert.equal(totalUsd('claude-sonnet-4-5', AFTER_LAUNCHES, usage), '2.4');
  });
});

describe('long-context tier of the 4.6 models', () => {
  const usage = { input_tokens: 250000, output_tokens: 10000 };

  it('prices claude-sonnet-4-6 at 6 / 22.50 until 2026-03-12 and standard from 2026-03-13', () => {
    assert.equal(totalUsd('claude-sonnet-4-6', '2026-03-12T23:59:59.999Z', usage), '1.725');
    assert.equal(totalUsd('claude-sonnet-4-6', '2026-03-13T00:00:00Z', usage), '0.9');
  });

  it('prices claude-opus-4-6 above 200,000 at 10 / 37.50: $2.875', () => {
    // 250000×10 + 10000×37.50 = 2,500,000 + 375,000 µ$
    assert.equal(totalUsd('claude-opus-4-6', '2026-03-01T00:00:00Z', usage), '2.875');
  });

  it('gives claude-opus-4-7 no tier: $1.5', () => {
    // 250000×5 + 10000×25 = 1,250,000 + 250,000 µ$
    assert.equal(totalUsd('claude-opus-4-7', '2026-05-01T00:00:00Z', usage), '1.5');
  });
});

describe('streamed final usage', () => {
  it('prices haiku-4-5 27 in / 47 out: $0.000262', () => {
    assert.equal(totalUsd('claude-haiku-4-5', AFTER_LAUNCHES, { input_tokens: 27, output_tokens: 47 }), '0.000262');
  });

  it('prices sonnet-4-5 with 47,119 cache writes: $0.17766225', () => {
    // 2×3 + 47119×3.75 + 64×15 = 6 + 176,696.25 + 960 µ$
    const usage = { input_tokens: 2, cache_creation_input_tokens: 47119, output_tokens: 64 };
    assert.equal(totalUsd('claude-sonnet-4-5', AFTER_LAUNCHES, usage), '0.17766225');
  });

  it('prices haiku-4-5 25 in / 15 out: $0.0001', () => {
    assert.equal(totalUsd('claude-haiku-4-5', AFTER_LAUNCHES, { input_tokens: 25, output_tokens: 15 }), '0.0001');
  });

  it('prices haiku-4-5 199 in / 312 out: $0.001759', () => {
    assert.equal(totalUsd('claude-haiku-4-5', AFTER_LAUNCHES, { input_tokens: 199, output_tokens: 312 }), '0.001759');
  });
});

describe('exact sums', () => {
  it('prices 100,000 haiku-4-5 input tokens at exactly 100,000,000 nano-dollars', () => {
    const result = priceOf('claude-haiku-4-5', AFTER_LAUNCHES, { input_tokens: 100000 });
    assert.ok(result.priced);
    assert.equal(result.cost.total, 100_000_000n);
  });

  it('sums ten $0.1 records to exactly $1 and three to $0.3', () => {
    const record = priceOf('claude-haiku-4-5', AFTER_LAUNCHES, { input_tokens: 100000, output_tokens: 0 });
    assert.ok(record.priced);
    const sum = (count: number) => Array.from({ length: count }, () => record.cost.total).reduce((a, b) => a + b, 0n);
    assert.equal(usdDecimal(sum(10)), '1');
    assert.equal(usdDecimal(sum(3)), '0.3');
  });

  it('prices haiku-4-5 1,000 in / 200 out once: $0.002', () => {
    // A call that took three attempts is billed for its one successful response: 1000×1 + 200×5 = 2,000 µ$
    assert.equal(totalUsd('claude-haiku-4-5', AFTER_LAUNCHES, { input_tokens: 1000, output_tokens: 200 }), '0.002');
  });

  it('rounds the total once: 514 nano-dollars, not the 515 of rounded buckets', () => {
    // claude-haiku-5-5, one token per bucket, batch and geo us (x 0.55), in nano-dollars:
    // input 100×0.55 = 55, 5m 125×0.55 = 68.75, 1h 200×0.55 = 110, read 10×0.55 = 5.5, output 500×0.55 = 275
    const usage = { input_tokens: 1, output_tokens: 1, cache_read_input_tokens: 1, cache_creation_input_tokens: 2, cache_creation: { ephemeral_5m_input_tokens: 1, ephemeral_1h_input_tokens: 1 } };
    const result = priceOf('claude-haiku-5-5', '2026-11-01T00:00:00Z', usage, { batch: true, geo: 'us' });
    assert.ok(result.priced);
    assert.equal(result.cost.cacheWrite5m, 69n);
    assert.equal(result.cost.cacheRead, 6n);
    assert.equal(result.cost.total, 514n);
  });
});
