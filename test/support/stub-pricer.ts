/**
 * A Pricer with two models' list prices, for client tests that must not depend
 * on the price table. Rates are nano-dollars per token, from
 * https://platform.claude.com/docs/en/about-claude/pricing. Sonnet 4.5 costs $3
 * in and $15 out per million tokens, and Haiku 4.5 costs $1 and $5. A 5-minute
 * cache write is 1.25 times input, a 1-hour write 2 times and a cache read 0.1 times.
 */
import type { CostBreakdown } from '../../src/core/record.js';
import type { Pricer, PricingRequest, PricingResult } from '../../src/pricing/index.js';

const RATES: Record<string, { input: bigint; output: bigint }> = {
  'claude-sonnet-4-5': { input: 3000n, output: 15000n },
  'claude-haiku-4-5': { input: 1000n, output: 5000n },
};

export const stubPricer: Pricer = {
  price(request: PricingRequest): PricingResult {
    const alias = Object.keys(RATES).find((name) => request.model === name || request.model.startsWith(`${name}-`));
    if (!alias) return { priced: false, cost: null, priceEntry: null, model: request.model, reason: 'not in the stub price list' };
    const rate = RATES[alias]!;
    const usage = request.usage;
    const cost: CostBreakdown = {
      input: BigInt(usage.inputTokens) * rate.input,
      output: BigInt(usage.outputTokens) * rate.output,
      cacheWrite5m: (BigInt(usage.cacheWrite5mTokens) * rate.input * 125n) / 100n,
      cacheWrite1h: BigInt(usage.cacheWrite1hTokens) * rate.input * 2n,
      cacheRead: (BigInt(usage.cacheReadTokens) * rate.input) / 10n,
      webSearch: BigInt(usage.webSearchRequests) * 10_000_000n,
      total: 0n,
    };
    cost.total = cost.input + cost.output + cost.cacheWrite5m + cost.cacheWrite1h + cost.cacheRead + cost.webSearch;
    return { priced: true, cost, priceEntry: `${alias}@stub`, model: request.model };
  },
};
