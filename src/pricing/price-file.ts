/**
 * Validation of the JSON price format shared by prices.json and user price
 * files (`--pricing FILE`). Every problem is reported as one line naming the
 * file, the entry and the field. The format is described in docs/pricing.md.
 */
import { InputError } from '../core/errors.js';
import { parsePriceDecimal, parseRatio } from './decimal.js';
import {
  RATE_FIELDS,
  type FastWindow,
  type LongContextTier,
  type PriceEntry,
  type PriceFile,
  type Provenance,
  type RateField,
  type Rates,
  type WebSearchPrice,
} from './entry.js';

const PROVENANCE_FIELDS = ['source', 'source_date', 'third_party', 'third_party_source', 'derived', 'note'];
const ENTRY_FIELDS = ['model', 'aliases', 'effective_from', ...RATE_FIELDS, 'long_context', 'fast', 'inference_geo_us_multiplier', ...PROVENANCE_FIELDS];
const TIER_FIELDS = ['threshold_tokens', 'effective_from', 'effective_until', ...RATE_FIELDS, ...PROVENANCE_FIELDS];
const FAST_FIELDS = ['effective_from', 'effective_until', ...RATE_FIELDS, 'long_context', ...PROVENANCE_FIELDS];
const FILE_FIELDS = ['note', 'web_search', 'entries'];
const WEB_SEARCH_FIELDS = ['usd_per_1000_requests', 'source', 'source_date'];

type Json = Record<string, unknown>;

/** Field checks for one file. Each failure names the file and the entry, and throws `InputError`. */
class Checker {
  constructor(
    private readonly file: string,
    private readonly where: string,
    /** Source recorded for entries that name none: the file itself. */
    private readonly defaultSource: string,
  ) {}

  at(where: string): Checker {
    return new Checker(this.file, this.where ? `${this.where}.${where}` : where, this.defaultSource);
  }

  fail(problem: string): never {
    const location = this.where ? `, ${this.where}` : '';
    throw new InputError(`invalid price file ${this.file}${location}: ${problem}. See docs/pricing.md for the format`);
  }

  object(value: unknown, what: string): Json {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail(`${what} is not a JSON object`);
    return value as Json;
  }

  knownFields(object: Json, allowed: readonly string[]): void {
    for (const key of Object.keys(object)) {
      if (!allowed.includes(key)) this.fail(`unknown field "${key}" (allowed: ${allowed.join(', ')})`);
    }
  }

  text(object: Json, field: string, required: boolean): string | null {
    const value = object[field];
    if (value === undefined || value === null) {
      if (required) this.fail(`missing field "${field}"`);
      return null;
    }
    if (typeof value !== 'string' || value.trim() === '') this.fail(`invalid "${field}" ${JSON.stringify(value)}, expected a non-empty string`);
    return value.trim();
  }

  /** A date `YYYY-MM-DD` (UTC midnight) or an ISO 8601 instant with `Z` or an offset; returns epoch milliseconds. */
  date(object: Json, field: string, required: boolean): { ms: number; text: string } | null {
    const text = this.text(object, field, required);
    if (text === null) return null;
    const ms = parseDate(text);
    if (ms === null) this.fail(`bad date in "${field}": ${JSON.stringify(text)}, use YYYY-MM-DD (UTC) or an ISO instant such as 2026-10-07T00:00:00Z`);
    return { ms, text };
  }

  /** Reject a window whose exclusive end is not after its start. */
  window(from: number | null, until: number | null): void {
    if (from !== null && until !== null && until <= from) this.fail('"effective_until" is not after "effective_from"');
  }

  rates(object: Json, required: boolean): Rates {
    const rates = {} as Rates;
    for (const field of RATE_FIELDS) {
      const value = object[field];
      if (value === undefined) {
        if (required) this.fail(`missing price "${field}", use null when the model has no such price`);
        rates[field] = null;
        continue;
      }
      if (value === null) {
        rates[field] = null;
        continue;
      }
      const parsed = parsePriceDecimal(value);
      if (parsed.ok) {
        rates[field] = parsed.value;
        continue;
      }
      if (parsed.problem === 'negative') this.fail(`negative price in "${field}": ${JSON.stringify(value)}, use USD per million tokens of 0 or more`);
      if (parsed.problem === 'too-precise') this.fail(`price in "${field}" has more than 9 decimal places: ${JSON.stringify(value)}`);
      this.fail(`non-numeric price in "${field}": ${JSON.stringify(value)}, write USD per million tokens as a decimal string such as "3.75"`);
    }
    return rates;
  }

  fieldList(object: Json, field: string): RateField[] {
    const value = object[field];
    if (value === undefined) return [];
    if (!Array.isArray(value)) this.fail(`invalid "${field}", expected a list of price field names`);
    for (const item of value) {
      if (!RATE_FIELDS.includes(item as RateField)) this.fail(`invalid "${field}" item ${JSON.stringify(item)}, use ${RATE_FIELDS.join(', ')}`);
    }
    return value as RateField[];
  }

  provenance(object: Json, inherited: Provenance | null): Provenance {
    const sourceDate = this.date(object, 'source_date', false);
    return {
      source: this.text(object, 'source', false) ?? inherited?.source ?? this.defaultSource,
      sourceDate: sourceDate?.text ?? (inherited?.sourceDate ?? null),
      thirdParty: this.fieldList(object, 'third_party'),
      thirdPartySource: this.text(object, 'third_party_source', false),
      derived: this.fieldList(object, 'derived'),
      note: this.text(object, 'note', false),
    };
  }
}

/** Parse `YYYY-MM-DD` as UTC midnight, or an ISO instant that names its offset. Returns null when invalid. */
export function parseDate(text: string): number | null {
  const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (dateOnly) {
    const ms = Date.UTC(Number(dateOnly[1]), Number(dateOnly[2]) - 1, Number(dateOnly[3]));
    return new Date(ms).toISOString().slice(0, 10) === text ? ms : null;
  }
  const instant = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i.exec(text);
  if (!instant || parseDate(instant[1]!) === null) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : ms;
}

function parseTier(check: Checker, value: unknown, parent: Provenance): LongContextTier {
  const object = check.object(value, '"long_context"');
  check.knownFields(object, TIER_FIELDS);
  const threshold = object.threshold_tokens;
  if (typeof threshold !== 'number' || !Number.isSafeInteger(threshold) || threshold <= 0) {
    check.fail(`invalid "threshold_tokens" ${JSON.stringify(threshold)}, use a positive whole number of prompt tokens`);
  }
  const effectiveFrom = check.date(object, 'effective_from', false)?.ms ?? null;
  const effectiveUntil = check.date(object, 'effective_until', false)?.ms ?? null;
  check.window(effectiveFrom, effectiveUntil);
  return {
    ...check.provenance(object, parent),
    thresholdTokens: threshold,
    effectiveFrom,
    effectiveUntil,
    rates: check.rates(object, true),
  };
}

function parseFast(check: Checker, value: unknown, parent: Provenance): FastWindow[] {
  if (!Array.isArray(value)) check.fail('invalid "fast", expected a list of fast-mode windows');
  return value.map((item, index) => {
    const windowCheck: Checker = check.at(`fast[${index}]`);
    const object = windowCheck.object(item, 'a fast-mode window');
    windowCheck.knownFields(object, FAST_FIELDS);
    const provenance = windowCheck.provenance(object, parent);
    const effectiveFrom = windowCheck.date(object, 'effective_from', true)!.ms;
    const effectiveUntil = windowCheck.date(object, 'effective_until', false)?.ms ?? null;
    windowCheck.window(effectiveFrom, effectiveUntil);
    return {
      ...provenance,
      effectiveFrom,
      effectiveUntil,
      rates: windowCheck.rates(object, true),
      longContext: object.long_context == null ? null : parseTier(windowCheck.at('long_context'), object.long_context, provenance),
    };
  });
}

function parseEntry(file: Checker, value: unknown, index: number, origin: string): PriceEntry {
  const model = typeof value === 'object' && value !== null && typeof (value as Json).model === 'string' ? (value as Json).model : null;
  const check: Checker = file.at(`entries[${index}]${model ? ` (${JSON.stringify(model)})` : ''}`);
  const object = check.object(value, 'an entry');
  check.knownFields(object, ENTRY_FIELDS);

  const modelId = check.text(object, 'model', true)!.toLowerCase();
  const aliasesValue = object.aliases ?? [];
  if (!Array.isArray(aliasesValue) || aliasesValue.some((alias) => typeof alias !== 'string' || alias.trim() === '')) {
    check.fail('invalid "aliases", expected a list of model id strings');
  }
  const effectiveFrom = check.date(object, 'effective_from', true)!;
  const geo = object.inference_geo_us_multiplier;
  const geoRatio = geo === undefined || geo === null ? null : parseRatio(geo);
  if (geo !== undefined && geo !== null && geoRatio === null) {
    check.fail(`invalid "inference_geo_us_multiplier" ${JSON.stringify(geo)}, use a positive decimal such as "1.1"`);
  }

  const provenance = check.provenance(object, null);
  return {
    ...provenance,
    id: `${modelId}@${effectiveFrom.text}`,
    model: modelId,
    aliases: (aliasesValue as string[]).map((alias) => alias.trim().toLowerCase()),
    effectiveFrom: effectiveFrom.ms,
    effectiveFromText: effectiveFrom.text,
    rates: check.rates(object, true),
    longContext: object.long_context == null ? null : parseTier(check.at('long_context'), object.long_context, provenance),
    fast: object.fast == null ? [] : parseFast(check, object.fast, provenance),
    inferenceGeoUsMultiplier: geoRatio,
    origin,
  };
}

/**
 * Validate a parsed price file. `file` names it in error messages;
 * `origin` is stored on each entry (`built-in` or the file's path).
 */
export function parsePriceFile(json: unknown, file: string, origin: string): PriceFile {
  const check: Checker = new Checker(file, '', origin);
  const root = check.object(json, 'the file');
  check.knownFields(root, FILE_FIELDS);
  if (!Array.isArray(root.entries)) check.fail('missing list "entries"');

  const entries = root.entries.map((item, index) => parseEntry(check, item, index, origin));
  const seen = new Set<string>();
  for (const [index, entry] of entries.entries()) {
    if (seen.has(entry.id)) check.at(`entries[${index}] (${JSON.stringify(entry.model)})`).fail(`a second entry for ${entry.model} from ${entry.effectiveFromText}`);
    seen.add(entry.id);
  }

  let webSearch: WebSearchPrice | null = null;
  if (root.web_search != null) {
    const webCheck: Checker = check.at('web_search');
    const object = webCheck.object(root.web_search, '"web_search"');
    webCheck.knownFields(object, WEB_SEARCH_FIELDS);
    const price = parsePriceDecimal(object.usd_per_1000_requests);
    if (!price.ok) webCheck.fail(`invalid "usd_per_1000_requests" ${JSON.stringify(object.usd_per_1000_requests)}, use a decimal of 0 or more`);
    webSearch = {
      nanosPerThousand: price.value,
      source: webCheck.text(object, 'source', true)!,
      sourceDate: webCheck.date(object, 'source_date', false)?.text ?? null,
    };
  }
  return { entries, webSearch };
}
