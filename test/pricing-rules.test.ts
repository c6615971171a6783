/**
 * Effective dates and modifiers: batch, inference_geo us, fast mode, web
 * search and Haiku 5.5's prompt-length band, each against a hand-computed
 * cost. A price p (USD per million tokens) times n tokens is p·n micro-dollars.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { usdDecimal } from '../src/core/money.js';
import { usageFromApi, type ApiUsage } from '../src/core/usage.js';
import { formatRatio, parseRatio } from '../src/pricing/decimal.js';
import { loadPriceTable, normalizeModelId, unpricedModelWarning, type PriceTable } from '../src/pricing/table.js';

let table: PriceTable;
before(async () => {
  table = await loadPriceTable();
});

interface Modifiers {
  batch?: boolean;
  geo?: string;
  speed?: string;
}

function quoteOf(model: string, at: string, usage: ApiUsage, modifiers: Modifiers = {}) {
  return table.quote({
    model,
    at: new Date(at),
    usage: usageFromApi(usage).usage,
    batch: modifiers.batch ?? false,
    inferenceGeo: modifiers.geo ?? null,
    speed: modifiers.speed ?? null,
  });
}

function totalUsd(model: string, at: string, usage: ApiUsage, modifiers: Modifiers = {}): string {
  const quote = quoteOf(model, at, usage, modifiers);
  assert.ok(quote.priced, `expected ${model} to be priced`);
  return usdDecimal(quote.cost.total);
}

const SMALL = { input_tokens: 1000, output_tokens: 100 };

describe('effective dates', () => {
  const reads = { cache_read_input_tokens: 1_000_000 };

  it('prices Sonnet 5.5 cache reads at 0.20 on 2026-10-06T23:59:59.999Z', () => {
    assert.equal(totalUsd('claude-sonnet-5-5', '2026-10-06T23:59:59.999Z', reads), '0.2');
    assert.equal(quoteOf('claude-sonnet-5-5', '2026-10-06T23:59:59.999Z', reads).priceEntry, 'claude-sonnet-5-5@2026-09-28');
  });

  it('prices Sonnet 5.5 cache reads at 0.10 from 2026-10-07T00:00:00Z', () => {
    assert.equal(totalUsd('claude-sonnet-5-5', '2026-10-07T00:00:00Z', reads), '0.1');
    assert.equal(quoteOf('claude-sonnet-5-5', '2026-10-07T00:00:00Z', reads).priceEntry, 'claude-sonnet-5-5@2026-10-07');
  });

  it('uses the first entry for an instant before it', () => {
    // 1000×3 + 100×15 = 4,500 µ$
    const quote = quoteOf('claude-sonnet-4-5', '2025-01-01T00:00:00Z', SMALL);
    assert.equal(quote.priceEntry, 'claude-sonnet-4-5-20250929@2025-09-29');
    assert.ok(quote.priced);
    assert.equal(usdDecimal(quote.cost.total), '0.0045');
  });
});

describe('batch', () => {
  it('halves every token bucket: $0.0031875', () => {
    // (1200×3 + 500×0.30 + 300×3.75 + 100×15) / 2 = 6,375 / 2 µ$
    const usage = { input_tokens: 1200, cache_read_input_tokens: 500, cache_creation_input_tokens: 300, output_tokens: 100 };
    assert.equal(totalUsd('claude-sonnet-4-5', '2026-01-01T00:00:00Z', usage, { batch: true }), '0.0031875');
  });

  it('halves the long-context rates too: $0.8625', () => {
    // (250000×6 + 10000×22.50) / 2 = 1,725,000 / 2 µ$
    assert.equal(totalUsd('claude-sonnet-4', '2025-12-01T00:00:00Z', { input_tokens: 250000, output_tokens: 10000 }, { batch: true }), '0.8625');
  });

  it('leaves web search at $0.01 a request: $0.0305', () => {
    // 1000×1 / 2 = 500 µ$ plus 3 searches at $10 per 1,000
    assert.equal(totalUsd('claude-haiku-4-5', '2026-01-01T00:00:00Z', { input_tokens: 1000, server_tool_use: { web_search_requests: 3 } }, { batch: true }), '0.0305');
  });
});

describe('inference_geo us', () => {
  it('multiplies claude-opus-4-6 by 1.1: $0.00825', () => {
    // (1000×5 + 100×25) × 1.1 = 7,500 × 1.1 µ$
    assert.equal(totalUsd('claude-opus-4-6', '2026-04-01T00:00:00Z', SMALL, { geo: 'us' }), '0.00825');
  });

  it('stacks with batch as 0.55: $0.004125', () => {
    assert.equal(totalUsd('claude-opus-4-6', '2026-04-01T00:00:00Z', SMALL, { geo: 'us', batch: true }), '0.004125');
  });

  it('does not apply to pre-4.6 claude-sonnet-4-5: $0.0045', () => {
    assert.equal(totalUsd('claude-sonnet-4-5', '2026-04-01T00:00:00Z', SMALL, { geo: 'us' }), '0.0045');
  });

  it('costs 1.0 times for global: $0.0075', () => {
    assert.equal(totalUsd('claude-opus-4-6', '2026-04-01T00:00:00Z', SMALL, { geo: 'global' }), '0.0075');
  });

  it('leaves web search unchanged: $0.02 for 2 searches', () => {
    assert.equal(totalUsd('claude-opus-4-6', '2026-04-01T00:00:00Z', { server_tool_use: { web_search_requests: 2 } }, { geo: 'us' }), '0.02');
  });
});

describe('fast mode', () => {
  it('prices claude-opus-4-6 at 30 / 150 on 2026-03-01: $0.045', () => {
    // 1000×30 + 100×150 = 45,000 µ$
    assert.equal(totalUsd('claude-opus-4-6', '2026-03-01T00:00:00Z', SMALL, { speed: 'fast' }), '0.045');
  });

  it('prices claude-opus-4-6 fast above 200,000 at 60 / 225 before 2026-02-20', () => {
    // 250000×60 + 1000×225 = 15,000,000 + 225,000 µ$
    assert.equal(totalUsd('claude-opus-4-6', '2026-02-10T00:00:00Z', { input_tokens: 250000, output_tokens: 1000 }, { speed: 'fast' }), '15.225');
  });

  it('prices claude-opus-4-6 fast at standard rates from 2026-06-29: $0.0075', () => {
    assert.equal(totalUsd('claude-opus-4-6', '2026-06-28T23:59:59.999Z', SMALL, { speed: 'fast' }), '0.045');
    assert.equal(totalUsd('claude-opus-4-6', '2026-06-29T00:00:00Z', SMALL, { speed: 'fast' }), '0.0075');
  });

  it('ends claude-opus-4-8 fast mode on 2026-11-30', () => {
    // 1000×10 + 100×50 = 15,000 µ$ while it existed; 7,500 µ$ after
    assert.equal(totalUsd('claude-opus-4-8', '2026-11-29T23:59:59.999Z', SMALL, { speed: 'fast' }), '0.015');
    assert.equal(totalUsd('claude-opus-4-8', '2026-11-30T00:00:00Z', SMALL, { speed: 'fast' }), '0.0075');
  });

  it('stacks geo us on fast rates: $0.0165', () => {
    // (1000×10 + 100×50) × 1.1 µ$, claude-opus-5
    assert.equal(totalUsd('claude-opus-5', '2026-10-01T00:00:00Z', SMALL, { speed: 'fast', geo: 'us' }), '0.0165');
  });

  it('stacks batch on fast rates: $0.0075', () => {
    assert.equal(totalUsd('claude-opus-5', '2026-10-01T00:00:00Z', SMALL, { speed: 'fast', batch: true }), '0.0075');
  });

  it('prices fast on a model without fast mode at standard rates', () => {
    const quote = quoteOf('claude-sonnet-4-5', '2026-01-01T00:00:00Z', SMALL, { speed: 'fast' });
    assert.ok(quote.priced);
    assert.equal(usdDecimal(quote.cost.total), '0.0045');
    assert.equal(quote.choice.speed, 'standard');
  });
});

describe('Haiku 5.5 prompt-length band', () => {
  const at = '2026-11-01T00:00:00Z';

  it('keeps 100,000 prompt tokens in the low band: $0.0105', () => {
    // 100000×0.10 + 1000×0.50 = 10,000 + 500 µ$
    assert.equal(totalUsd('claude-haiku-5-5', at, { input_tokens: 100000, output_tokens: 1000 }), '0.0105');
  });

  it('prices 100,001 prompt tokens at 0.50 / 2.50: $0.0525005', () => {
    // 100001×0.50 + 1000×2.50 = 50,000.5 + 2,500 µ$
    assert.equal(totalUsd('claude-haiku-5-5', at, { input_tokens: 100001, output_tokens: 1000 }), '0.0525005');
  });

  it('counts cache reads toward 100,000: $0.02750005', () => {
    // 50000×0.50 + 50001×0.05 = 25,000 + 2,500.05 µ$
    assert.equal(totalUsd('claude-haiku-5-5', at, { input_tokens: 50000, cache_read_input_tokens: 50001 }), '0.02750005');
  });

  it('halves the high band for batch: $0.02625025', () => {
    assert.equal(totalUsd('claude-haiku-5-5', at, { input_tokens: 100001, output_tokens: 1000 }, { batch: true }), '0.02625025');
  });
});

describe('web search', () => {
  it('prices 3 searches at $10 per 1,000: $0.03', () => {
    const quote = quoteOf('claude-haiku-4-5', '2026-01-01T00:00:00Z', { server_tool_use: { web_search_requests: 3 } });
    assert.ok(quote.priced);
    assert.equal(quote.cost.webSearch, 30_000_000n);
    assert.equal(usdDecimal(quote.cost.total), '0.03');
  });
});

describe('unknown model', () => {
  it('is unpriced with a null cost, never $0', () => {
    const result = table.price({ model: 'claude-imaginary-9', at: new Date('2026-01-01T00:00:00Z'), usage: usageFromApi(SMALL).usage, batch: false, inferenceGeo: null, speed: null });
    assert.equal(result.priced, false);
    assert.equal(result.cost, null);
    assert.equal(result.priceEntry, null);
    assert.ok(!result.priced);
    assert.match(result.reason, /claude-imaginary-9/);
  });

  it('gets a warning naming the model and how to add a price', () => {
    const warning = unpricedModelWarning('claude-imaginary-9');
    assert.match(warning, /"claude-imaginary-9"/);
    assert.match(warning, /--pricing FILE/);
    assert.match(warning, /ANTHROTRACE_PRICING/);
    assert.doesNotMatch(warning, /\n/);
  });

  it('is unpriced when a bucket has no price: claude-2.1 cache reads', () => {
    const quote = quoteOf('claude-2.1', '2025-01-01T00:00:00Z', { cache_read_input_tokens: 10 });
    assert.ok(!quote.priced);
    assert.match(quote.reason, /no cache read price for claude-2.1/);
  });
});

describe('model ids', () => {
  it('resolves the alias and the dated id to one entry', () => {
    assert.equal(table.resolveModel('claude-sonnet-4-5'), 'claude-sonnet-4-5-20250929');
    assert.equal(table.resolveModel('claude-sonnet-4-5-20250929'), 'claude-sonnet-4-5-20250929');
  });

  it('strips a Claude Code [1m] suffix', () => {
    assert.equal(normalizeModelId('claude-opus-4-6[1m]'), 'claude-opus-4-6');
    assert.equal(table.resolveModel('claude-sonnet-4-5[1m]'), 'claude-sonnet-4-5-20250929');
  });

  it('ignores case and surrounding spaces', () => {
    assert.equal(table.resolveModel(' Claude-Haiku-4-5 '), 'claude-haiku-4-5-20251001');
  });
});

describe('multiplier text', () => {
  it('writes finite decimals and falls back to a fraction', () => {
    assert.equal(formatRatio({ numerator: 11n, denominator: 20n }), '0.55');
    assert.equal(formatRatio({ numerator: 1n, denominator: 1n }), '1');
    assert.equal(formatRatio(parseRatio('1.1')!), '1.1');
    assert.equal(formatRatio({ numerator: 1n, denominator: 3n }), '1/3');
  });
});
