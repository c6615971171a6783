/**
 * The arithmetic of one request's cost. Prices are integers (nano-dollars per
 * million tokens), modifiers are exact ratios, and each bucket is rounded to
 * nano-dollars once, at the end. `total` is rounded once from the exact sum.
 */
import { divideRounded } from '../core/money.js';
import type { CostBreakdown, TokenUsage } from '../core/record.js';
import { promptTokens } from '../core/usage.js';
import { multiplyRatios, ONE } from './decimal.js';
import type { FastWindow, LongContextTier, PriceEntry, RateField, Rates, Ratio, WebSearchPrice } from './entry.js';
import type { PricingRequest } from './index.js';

const HALF: Ratio = { numerator: 1n, denominator: 2n };
const TOKENS_PER_MILLION = 1_000_000n;

const BUCKETS: { field: RateField; tokens: (usage: TokenUsage) => number }[] = [
  { field: 'input', tokens: (usage) => usage.inputTokens },
  { field: 'output', tokens: (usage) => usage.outputTokens },
  { field: 'cache_write_5m', tokens: (usage) => usage.cacheWrite5mTokens },
  { field: 'cache_write_1h', tokens: (usage) => usage.cacheWrite1hTokens },
  { field: 'cache_read', tokens: (usage) => usage.cacheReadTokens },
];

/** The rates and modifiers chosen for one request. */
export interface RateChoice {
  /** `fast` only when a fast-mode window of the entry covers the instant. */
  speed: 'standard' | 'fast';
  fastWindow: FastWindow | null;
  /** The long-context tier (or prompt-length band) that repriced the request, if any. */
  longContext: LongContextTier | null;
  /** The per-token rates before modifiers. */
  rates: Rates;
  batch: boolean;
  /** True when `inference_geo: "us"` was requested and the model has a multiplier for it. */
  inferenceGeoUs: boolean;
  /** Batch and data-residency modifiers combined. They apply to every token bucket but not to web search. */
  multiplier: Ratio;
}

export type CostOutcome = { priced: true; cost: CostBreakdown } | { priced: false; reason: string };

function inWindow(at: number, from: number | null, until: number | null): boolean {
  return (from === null || at >= from) && (until === null || at < until);
}

/** Pick a tier when the prompt (input + both cache writes + cache reads) is strictly above its threshold. */
function tierFor(tier: LongContextTier | null, at: number, prompt: number): LongContextTier | null {
  if (!tier || !inWindow(at, tier.effectiveFrom, tier.effectiveUntil)) return null;
  return prompt > tier.thresholdTokens ? tier : null;
}

/**
 * Choose the rates for a request. A fast-mode window replaces the standard
 * rates and brings its own long-context tier. Outside every window a fast
 * request is priced at standard rates, as Opus 4.6 billed `speed: "fast"`
 * after its fast mode ended. Batch (1/2) and `inference_geo: "us"` multiply
 * on top of whichever rates apply, a long-context tier or band included.
 */
export function chooseRates(entry: PriceEntry, request: PricingRequest): RateChoice {
  const at = request.at.getTime();
  const prompt = promptTokens(request.usage);
  const fastWindow = request.speed === 'fast' ? (entry.fast.find((window) => inWindow(at, window.effectiveFrom, window.effectiveUntil)) ?? null) : null;

  const baseRates = fastWindow ? fastWindow.rates : entry.rates;
  const longContext = tierFor(fastWindow ? fastWindow.longContext : entry.longContext, at, prompt);
  const inferenceGeoUs = request.inferenceGeo?.toLowerCase() === 'us' && entry.inferenceGeoUsMultiplier !== null;

  let multiplier = ONE;
  if (request.batch) multiplier = multiplyRatios(multiplier, HALF);
  if (inferenceGeoUs) multiplier = multiplyRatios(multiplier, entry.inferenceGeoUsMultiplier!);

  return {
    speed: fastWindow ? 'fast' : 'standard',
    fastWindow,
    longContext,
    rates: longContext ? longContext.rates : baseRates,
    batch: request.batch,
    inferenceGeoUs,
    multiplier,
  };
}

/**
 * Price the usage at the chosen rates. Every bucket's exact value is
 * `tokens × rate × multiplier / 10^6` nano-dollars. All buckets share the
 * denominator `10^6 × multiplier.denominator`, so the total is exact before
 * its single rounding. Web search is priced per 1,000 requests without the
 * multiplier, because batch and data residency do not change it.
 */
export function computeCost(usage: TokenUsage, choice: RateChoice, webSearch: WebSearchPrice | null, model: string): CostOutcome {
  const denominator = TOKENS_PER_MILLION * choice.multiplier.denominator;
  const exact: Partial<Record<RateField | 'web_search', bigint>> = {};

  for (const bucket of BUCKETS) {
    const tokens = BigInt(bucket.tokens(usage));
    const rate = choice.rates[bucket.field];
    if (rate === null) {
      if (tokens > 0n) return { priced: false, reason: `no ${bucket.field.replaceAll('_', ' ')} price for ${model}` };
      exact[bucket.field] = 0n;
      continue;
    }
    exact[bucket.field] = tokens * rate * choice.multiplier.numerator;
  }

  const requests = BigInt(usage.webSearchRequests);
  if (requests > 0n && webSearch === null) return { priced: false, reason: `no web search price for ${model}` };
  // The denominator is a multiple of 1,000, so this division is exact.
  exact.web_search = webSearch ? (requests * webSearch.nanosPerThousand * denominator) / 1000n : 0n;

  const sum = Object.values(exact).reduce((total, value) => total + value, 0n);
  const round = (value: bigint | undefined) => divideRounded(value ?? 0n, denominator);
  return {
    priced: true,
    cost: {
      input: round(exact.input),
      output: round(exact.output),
      cacheWrite5m: round(exact.cache_write_5m),
      cacheWrite1h: round(exact.cache_write_1h),
      cacheRead: round(exact.cache_read),
      webSearch: round(exact.web_search),
      total: round(sum),
    },
  };
}
