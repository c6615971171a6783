/**
 * The compiled form of a price entry: prices as bigint nano-dollars per
 * million tokens, dates as UTC epoch milliseconds. price-file.ts builds these
 * from the JSON form that prices.json and user price files share.
 */

/** The per-token price fields, named as in the JSON files. */
export const RATE_FIELDS = ['input', 'output', 'cache_write_5m', 'cache_write_1h', 'cache_read'] as const;
export type RateField = (typeof RATE_FIELDS)[number];

/** Nano-dollars per million tokens (equal to femto-dollars per token); null where no price was published. */
export type Rates = Record<RateField, bigint | null>;

/** An exact positive multiplier `numerator / denominator`. */
export interface Ratio {
  numerator: bigint;
  denominator: bigint;
}

/** The origin of a set of prices. Fields not listed in `thirdParty` or `derived` come from `source`. */
export interface Provenance {
  source: string;
  /** The date the source was published or checked, `YYYY-MM-DD`; null when unknown. */
  sourceDate: string | null;
  /** Fields taken from a third-party tracker, not printed by Anthropic. */
  thirdParty: RateField[];
  thirdPartySource: string | null;
  /** Fields computed from Anthropic's published multipliers, not printed anywhere as numbers. */
  derived: RateField[];
  note: string | null;
}

/** Higher rates for a whole request whose prompt tokens exceed `thresholdTokens`. */
export interface LongContextTier extends Provenance {
  thresholdTokens: number;
  /** Epoch milliseconds, inclusive; null means from the start of the entry. */
  effectiveFrom: number | null;
  /** Epoch milliseconds, exclusive; null means open-ended. */
  effectiveUntil: number | null;
  rates: Rates;
}

/** Fast-mode (`speed: "fast"`) rates for a window of time. */
export interface FastWindow extends Provenance {
  /** Epoch milliseconds, inclusive. */
  effectiveFrom: number;
  /** Epoch milliseconds, exclusive; null means open-ended. */
  effectiveUntil: number | null;
  rates: Rates;
  longContext: LongContextTier | null;
}

export interface PriceEntry extends Provenance {
  /** `model@effective_from`, such as `claude-sonnet-4-5-20250929@2025-09-29`. */
  id: string;
  /** The canonical model id. */
  model: string;
  aliases: string[];
  /** Epoch milliseconds from which the entry applies, until the model's next entry. */
  effectiveFrom: number;
  /** `effective_from` as written in the file. */
  effectiveFromText: string;
  rates: Rates;
  longContext: LongContextTier | null;
  fast: FastWindow[];
  /** Multiplier for `inference_geo: "us"`; null on models where the parameter does not exist. */
  inferenceGeoUsMultiplier: Ratio | null;
  /** The file that defined the entry: `built-in` or the path of a user price file. */
  origin: string;
}

/** Web search price shared by every model: nano-dollars per 1,000 requests. */
export interface WebSearchPrice {
  nanosPerThousand: bigint;
  source: string;
  sourceDate: string | null;
}

export interface PriceFile {
  entries: PriceEntry[];
  webSearch: WebSearchPrice | null;
}
