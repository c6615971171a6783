/**
 * The JSON form of a price quote, as `anthrotrace cost --format json` writes
 * it: USD amounts and rates as exact decimals, snake_case field names.
 */
import { DecimalNumber } from '../core/json.js';
import { usdDecimal } from '../core/money.js';
import { formatRatio, formatRate } from './decimal.js';
import { RATE_FIELDS, type Provenance, type Rates } from './entry.js';
import type { PriceQuote } from './table.js';

const BREAKDOWN_FIELDS = ['input', 'output', 'cache_write_5m', 'cache_write_1h', 'cache_read', 'web_search'] as const;

const usd = (nanos: bigint) => new DecimalNumber(usdDecimal(nanos));

function ratesJson(rates: Rates): Record<string, DecimalNumber | null> {
  const result: Record<string, DecimalNumber | null> = {};
  for (const field of RATE_FIELDS) result[field] = rates[field] === null ? null : new DecimalNumber(formatRate(rates[field]));
  return result;
}

function provenanceJson(provenance: Provenance) {
  return {
    source: provenance.source,
    source_date: provenance.sourceDate,
    third_party: provenance.thirdParty,
    third_party_source: provenance.thirdPartySource,
    derived: provenance.derived,
    note: provenance.note,
  };
}

/** Build the `price_entry` object: the entry that priced the request, and the rates and modifiers that applied. */
function priceEntryJson(quote: PriceQuote) {
  if (!quote.entry) return null;
  const { entry, choice } = quote;
  const applied = choice ? (choice.longContext ?? choice.fastWindow ?? entry) : entry;
  return {
    id: entry.id,
    model: entry.model,
    effective_from: entry.effectiveFromText,
    origin: entry.origin,
    ...provenanceJson(entry),
    speed: choice?.speed ?? null,
    tier: choice?.longContext ? 'long_context' : 'standard',
    long_context_threshold_tokens: choice?.longContext?.thresholdTokens ?? null,
    batch: choice?.batch ?? null,
    inference_geo_us: choice?.inferenceGeoUs ?? null,
    multiplier: choice ? formatRatio(choice.multiplier) : null,
    rates_usd_per_mtok: choice ? ratesJson(choice.rates) : ratesJson(entry.rates),
    rates_source: provenanceJson(applied),
  };
}

/** Build the JSON document for a quote. `model` is the id as the user gave it. */
export function quoteToJson(quote: PriceQuote, model: string, at: Date) {
  const breakdown: Record<string, DecimalNumber | null> = {};
  for (const field of BREAKDOWN_FIELDS) breakdown[field] = null;
  if (quote.priced) {
    breakdown.input = usd(quote.cost.input);
    breakdown.output = usd(quote.cost.output);
    breakdown.cache_write_5m = usd(quote.cost.cacheWrite5m);
    breakdown.cache_write_1h = usd(quote.cost.cacheWrite1h);
    breakdown.cache_read = usd(quote.cost.cacheRead);
    breakdown.web_search = usd(quote.cost.webSearch);
  }
  return {
    model,
    priced: quote.priced,
    at: at.toISOString(),
    total_usd: quote.priced ? usd(quote.cost.total) : null,
    breakdown_usd: breakdown,
    price_entry: priceEntryJson(quote),
    reason: quote.priced ? null : quote.reason,
  };
}
