/**
 * The prompt counters. Each is rebuilt from the exact running totals in its
 * prom-client `collect` callback, so cost is converted from bigint
 * nano-dollars to a float once per collection instead of summed as floats.
 */
import { Counter, type Registry } from 'prom-client';
import { usdDecimal } from '../core/money.js';
import { emptyUsage, type TokenUsage } from '../core/record.js';

const TOKEN_TYPES = ['input', 'output', 'cache_write_5m', 'cache_write_1h', 'cache_read'] as const;

/** Running totals of one prompt series: one model, category, status and source. */
export interface PromptSeriesTotals {
  model: string;
  category: string;
  status: string;
  source: string;
  requests: number;
  unpricedRequests: number;
  usage: TokenUsage;
  costNanos: bigint;
}

export function addUsage(sum: TokenUsage, usage: TokenUsage): void {
  sum.inputTokens += usage.inputTokens;
  sum.outputTokens += usage.outputTokens;
  sum.cacheWrite5mTokens += usage.cacheWrite5mTokens;
  sum.cacheWrite1hTokens += usage.cacheWrite1hTokens;
  sum.cacheReadTokens += usage.cacheReadTokens;
  sum.webSearchRequests += usage.webSearchRequests;
}

/** Sum the series over status and source, which the token, cost and unpriced counters leave out. */
function sumByModelAndCategory(series: Iterable<PromptSeriesTotals>): PromptSeriesTotals[] {
  const merged = new Map<string, PromptSeriesTotals>();
  for (const totals of series) {
    const key = JSON.stringify([totals.model, totals.category]);
    let sum = merged.get(key);
    if (!sum) {
      sum = { ...totals, status: '', source: '', requests: 0, unpricedRequests: 0, usage: emptyUsage(), costNanos: 0n };
      merged.set(key, sum);
    }
    sum.requests += totals.requests;
    sum.unpricedRequests += totals.unpricedRequests;
    sum.costNanos += totals.costNanos;
    addUsage(sum.usage, totals.usage);
  }
  return [...merged.values()];
}

/** Register the prompt, token, web search, cost and unpriced counters, read from `series` at each collection. */
export function registerPromptCounters(registry: Registry, series: () => Iterable<PromptSeriesTotals>): void {
  const registers = [registry];
  const prompts = new Counter({
    name: 'anthrotrace_prompt_total',
    help: 'Logged Messages API calls. A call that the SDK retried counts once.',
    labelNames: ['model', 'category', 'status', 'source'],
    registers,
    collect: () => {
      prompts.reset();
      for (const { model, category, status, source, requests } of series()) {
        prompts.inc({ model, category, status, source }, requests);
      }
    },
  });
  const tokens = new Counter({
    name: 'anthrotrace_prompt_tokens_total',
    help: 'Tokens by disjoint usage bucket: input excludes cache writes and cache reads.',
    labelNames: ['model', 'category', 'token_type'],
    registers,
    collect: () => {
      tokens.reset();
      for (const { model, category, usage } of sumByModelAndCategory(series())) {
        const counts = [usage.inputTokens, usage.outputTokens, usage.cacheWrite5mTokens, usage.cacheWrite1hTokens, usage.cacheReadTokens];
        TOKEN_TYPES.forEach((tokenType, index) => tokens.inc({ model, category, token_type: tokenType }, counts[index]!));
      }
    },
  });
  const webSearches = new Counter({
    name: 'anthrotrace_prompt_web_search_requests_total',
    help: 'Server-side web search requests, billed per request.',
    labelNames: ['model', 'category'],
    registers,
    collect: () => {
      webSearches.reset();
      for (const { model, category, usage } of sumByModelAndCategory(series())) webSearches.inc({ model, category }, usage.webSearchRequests);
    },
  });
  const cost = new Counter({
    name: 'anthrotrace_prompt_cost_usd_total',
    help: 'Cost in US dollars of the priced calls, summed exactly and rounded to the nano-dollar.',
    labelNames: ['model', 'category'],
    registers,
    collect: () => {
      cost.reset();
      // Number() of the exact decimal text gives the double nearest to it, which prints back as that text.
      for (const { model, category, costNanos } of sumByModelAndCategory(series())) cost.inc({ model, category }, Number(usdDecimal(costNanos)));
    },
  });
  const unpriced = new Counter({
    name: 'anthrotrace_prompt_unpriced_total',
    help: 'Calls without a price entry for their model; their cost is missing from anthrotrace_prompt_cost_usd_total.',
    labelNames: ['model', 'category'],
    registers,
    collect: () => {
      unpriced.reset();
      for (const { model, category, unpricedRequests } of sumByModelAndCategory(series())) unpriced.inc({ model, category }, unpricedRequests);
    },
  });
}
