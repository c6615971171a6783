/**
 * The price table: the built-in prices (prices.json) plus an optional user
 * price file, looked up by model id and instant. `PriceTable` implements the
 * `Pricer` contract from index.ts.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { InputError } from '../core/errors.js';
import type { TokenUsage } from '../core/record.js';
import { chooseRates, computeCost, type RateChoice } from './engine.js';
import type { PriceEntry, PriceFile, WebSearchPrice } from './entry.js';
import type { Pricer, PricingRequest, PricingResult } from './index.js';
import { parsePriceFile } from './price-file.js';

/** A priced request with everything that went into its cost, for `anthrotrace cost` and reports. */
export type PriceQuote =
  | (Extract<PricingResult, { priced: true }> & { entry: PriceEntry; choice: RateChoice })
  | (Extract<PricingResult, { priced: false }> & { entry: PriceEntry | null; choice: RateChoice | null });

/**
 * Reduce a model id to the form the table is keyed by: trimmed, lower case,
 * and without a Claude Code context-mode suffix such as `[1m]`, which marks
 * the context window and not a different price.
 */
export function normalizeModelId(model: string): string {
  return model.trim().replace(/\[[^\]]*\]$/, '').trim().toLowerCase();
}

/** Build the warning for a model without a price entry: its cost is unknown, never $0. */
export function unpricedModelWarning(model: string): string {
  return (
    `no price for model ${JSON.stringify(model)}, so its cost is recorded as unpriced (not $0); ` +
    'add an entry for it to a price file and pass it with --pricing FILE or ANTHROTRACE_PRICING (format: docs/pricing.md)'
  );
}

export class PriceTable implements Pricer {
  /** Entries per canonical model id, oldest first. */
  private readonly byModel = new Map<string, PriceEntry[]>();
  /** Alias and canonical ids, normalized, to the canonical id. */
  private readonly ids = new Map<string, string>();

  constructor(
    entries: readonly PriceEntry[],
    readonly webSearch: WebSearchPrice | null,
  ) {
    for (const entry of entries) {
      const list = this.byModel.get(entry.model) ?? [];
      list.push(entry);
      this.byModel.set(entry.model, list);
    }
    for (const [model, list] of this.byModel) {
      list.sort((a, b) => a.effectiveFrom - b.effectiveFrom);
      this.ids.set(model, model);
      for (const entry of list) for (const alias of entry.aliases) this.ids.set(alias, model);
    }
  }

  /** Resolve an alias, dated id or suffixed id to the canonical model id. Returns null when the table has no such model. */
  resolveModel(model: string): string | null {
    return this.ids.get(normalizeModelId(model)) ?? null;
  }

  /** Canonical ids of every model in the table. */
  models(): string[] {
    return [...this.byModel.keys()];
  }

  /** List every entry of a model, oldest first. The list is empty for an unknown model. */
  entriesFor(model: string): readonly PriceEntry[] {
    const canonical = this.resolveModel(model);
    return canonical ? this.byModel.get(canonical)! : [];
  }

  /**
   * Find the entry in force at `at`: the newest one whose `effective_from` is
   * not after it. An instant before a model's first entry uses that first entry,
   * because the first date is a release or publication date and a record
   * cannot predate the model's real prices.
   */
  entryAt(model: string, at: Date): PriceEntry | null {
    const entries = this.entriesFor(model);
    if (entries.length === 0) return null;
    const time = at.getTime();
    let chosen = entries[0]!;
    for (const entry of entries) if (entry.effectiveFrom <= time) chosen = entry;
    return chosen;
  }

  quote(request: PricingRequest): PriceQuote {
    const entry = this.entryAt(request.model, request.at);
    if (!entry) {
      return { priced: false, cost: null, priceEntry: null, model: request.model, reason: `unknown model ${JSON.stringify(request.model)}`, entry: null, choice: null };
    }

    const choice = chooseRates(entry, request);
    const outcome = computeCost(request.usage, choice, this.webSearch, entry.model);
    if (!outcome.priced) {
      return { priced: false, cost: null, priceEntry: null, model: entry.model, reason: outcome.reason, entry, choice };
    }
    return { priced: true, cost: outcome.cost, priceEntry: entry.id, model: entry.model, entry, choice };
  }

  price(request: PricingRequest): PricingResult {
    const quote = this.quote(request);
    if (quote.priced) return { priced: true, cost: quote.cost, priceEntry: quote.priceEntry, model: quote.model };
    return { priced: false, cost: null, priceEntry: null, model: quote.model, reason: quote.reason };
  }
}

/** Build a request without batch, data residency or fast mode. */
export function standardRequest(model: string, at: Date, usage: TokenUsage): PricingRequest {
  return { model, at, usage, batch: false, inferenceGeo: null, speed: null };
}

let builtIn: PriceFile | undefined;

/** Read and validate the built-in prices, once per process. */
export function builtInPrices(): PriceFile {
  if (!builtIn) {
    const url = new URL('./prices.json', import.meta.url);
    builtIn = parsePriceFile(JSON.parse(readFileSync(url, 'utf8')), 'built-in prices.json', 'built-in');
  }
  return builtIn;
}

/**
 * Merge user entries over the built-in ones. A model that appears in the user
 * file (by canonical id or any alias) takes its whole price history from the
 * user file, so a user price is never mixed with a later built-in change.
 */
export function mergePriceFiles(base: PriceFile, user: PriceFile): PriceFile {
  const baseTable = new PriceTable(base.entries, base.webSearch);
  const userEntries = user.entries.map((entry) => {
    const canonical = baseTable.resolveModel(entry.model);
    if (!canonical || canonical === entry.model) return entry;
    return { ...entry, id: `${canonical}@${entry.effectiveFromText}`, model: canonical, aliases: [...entry.aliases, entry.model] };
  });
  const replaced = new Set(userEntries.map((entry) => entry.model));
  return {
    entries: [...base.entries.filter((entry) => !replaced.has(entry.model)), ...userEntries],
    webSearch: user.webSearch ?? base.webSearch,
  };
}

/**
 * Load the built-in prices, merged with a user price file when one is given.
 * Throws `InputError` when the file is missing, is not JSON or fails validation.
 */
export async function loadPriceTable(options: { userFile?: string } = {}): Promise<PriceTable> {
  const base = builtInPrices();
  if (!options.userFile) return new PriceTable(base.entries, base.webSearch);

  const path = options.userFile;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem = code === 'ENOENT' ? 'not found' : `cannot be read (${code ?? String(error)})`;
    throw new InputError(`price file ${path} ${problem}: check the --pricing path or ANTHROTRACE_PRICING`, { cause: error });
  }

  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InputError(`invalid price file ${path}: not valid JSON (${(error as Error).message})`, { cause: error });
  }
  const merged = mergePriceFiles(base, parsePriceFile(json, path, path));
  return new PriceTable(merged.entries, merged.webSearch);
}
