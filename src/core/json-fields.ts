/**
 * Validated reading of parsed JSON objects, field by field, with errors that
 * name the field path (`usage.input_tokens`), echo the value and state what
 * is accepted. Used by the record's JSON form and by `import`.
 */
import { DecimalNumber } from './json.js';
import { InputError } from './errors.js';
import { parseUsd } from './money.js';

/** An invalid or missing field in a JSON document; `field` is its dotted path. */
export class RecordFieldError extends InputError {
  readonly field: string;
  readonly value: unknown;

  constructor(field: string, value: unknown, expected: string) {
    super(value === undefined ? `missing ${field}: ${expected}` : `invalid ${field} ${describe(value)}: ${expected}`);
    this.field = field;
    this.value = value;
  }
}

/** Show a value in an error message, cut to 80 characters. */
function describe(value: unknown): string {
  const text = value instanceof DecimalNumber ? value.text : JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof DecimalNumber);

/** Return the number in a JSON value: a plain number, or a `DecimalNumber` kept exact by the parser. */
function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (value instanceof DecimalNumber) return Number(value.text);
  return undefined;
}

/**
 * The maximum of each token count (and of web search requests) in one
 * request. The largest context window is 1,000,000 tokens (the 1M-context
 * beta in src/pricing/prices.json), so a larger count is a mistake. The limit
 * also keeps the cost of one request far inside the stores' 64-bit integer
 * nano-dollars: even at $1,000 per million tokens, more than four times the
 * highest rate in the price table, 10^9 tokens cost 10^15 nano-dollars.
 */
export const MAX_TOKENS_PER_REQUEST = 1_000_000_000;
const MAX_TOKENS_TEXT = '1,000,000,000';

export class FieldReader {
  private constructor(
    private readonly fields: Record<string, unknown>,
    private readonly prefix: string,
  ) {}

  /** Start reading `value`, which must be a JSON object; `name` is used in the error when it is not. */
  static root(value: unknown, name: string): FieldReader {
    if (!isPlainObject(value)) throw new RecordFieldError(name, value, 'use a JSON object');
    return new FieldReader(value, '');
  }

  path(name: string): string {
    return this.prefix + name;
  }

  has(name: string): boolean {
    return this.fields[name] !== undefined && this.fields[name] !== null;
  }

  raw(name: string): unknown {
    return this.fields[name];
  }

  required(name: string): unknown {
    const value = this.fields[name];
    if (value === undefined || value === null) throw new RecordFieldError(this.path(name), undefined, 'the field is required');
    return value;
  }

  string(name: string): string {
    const value = this.required(name);
    if (typeof value !== 'string' || value === '') throw new RecordFieldError(this.path(name), value, 'use a non-empty string');
    return value;
  }

  optionalString(name: string): string | null {
    const value = this.fields[name];
    if (value === undefined || value === null) return null;
    if (typeof value !== 'string') throw new RecordFieldError(this.path(name), value, 'use a string or null');
    return value;
  }

  /** Read a non-negative safe integer, or return `fallback` when the field is missing or null. */
  count(name: string, fallback = 0): number {
    const value = this.optionalCount(name);
    return value ?? fallback;
  }

  optionalCount(name: string): number | null {
    const value = this.fields[name];
    if (value === undefined || value === null) return null;
    const number = numberOf(value);
    if (number === undefined || !Number.isSafeInteger(number) || number < 0) {
      throw new RecordFieldError(this.path(name), value, 'use a non-negative integer');
    }
    return number;
  }

  /** Read a token or request count of one request, from 0 to `MAX_TOKENS_PER_REQUEST`; null when missing. */
  optionalTokenCount(name: string): number | null {
    const number = this.optionalCount(name);
    if (number !== null && number > MAX_TOKENS_PER_REQUEST) {
      throw new RecordFieldError(this.path(name), this.fields[name], `use at most ${MAX_TOKENS_TEXT}, the maximum per request`);
    }
    return number;
  }

  /** Read a token or request count like `optionalTokenCount`, with 0 for a missing field. */
  tokenCount(name: string): number {
    return this.optionalTokenCount(name) ?? 0;
  }

  boolean(name: string, fallback: boolean): boolean {
    const value = this.fields[name];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'boolean') throw new RecordFieldError(this.path(name), value, 'use true or false');
    return value;
  }

  choice<T extends string>(name: string, allowed: readonly T[]): T {
    const value = this.required(name);
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      throw new RecordFieldError(this.path(name), value, `use one of ${allowed.join(', ')}`);
    }
    return value as T;
  }

  /** Read one of `allowed`, or return null when the field is missing or null. */
  optionalChoice<T extends string>(name: string, allowed: readonly T[]): T | null {
    const value = this.fields[name];
    if (value === undefined || value === null) return null;
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      throw new RecordFieldError(this.path(name), value, `use one of ${allowed.join(', ')}, or null`);
    }
    return value as T;
  }

  /** Read an object of string values, or return `{}` when the field is missing or null. */
  tags(name: string): Record<string, string> {
    const value = this.fields[name];
    if (value === undefined || value === null) return {};
    if (!isPlainObject(value)) throw new RecordFieldError(this.path(name), value, 'use an object of string values');
    const tags: Record<string, string> = {};
    for (const [key, item] of Object.entries(value)) {
      if (typeof item !== 'string') throw new RecordFieldError(`${this.path(name)}.${key}`, item, 'use a string');
      tags[key] = item;
    }
    return tags;
  }

  object(name: string): FieldReader {
    const value = this.required(name);
    if (!isPlainObject(value)) throw new RecordFieldError(this.path(name), value, 'use a JSON object');
    return new FieldReader(value, `${this.path(name)}.`);
  }

  nullableObject(name: string): FieldReader | null {
    const value = this.fields[name];
    if (value === undefined || value === null) return null;
    return this.object(name);
  }
}

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * Parse an ISO 8601 instant that carries `Z` or a UTC offset, such as
 * `2025-03-30T01:30:00.250Z` or `2025-03-30T03:30:00+02:00`. A time without
 * a zone is rejected because it names no single instant. Digits past
 * milliseconds are dropped, as `Date` does.
 */
export function parseInstant(value: unknown, field: string): Date {
  const expected = 'use an ISO 8601 instant with Z or an offset, such as 2025-01-31T09:30:00Z';
  const match = typeof value === 'string' ? INSTANT.exec(value) : null;
  if (!match) throw new RecordFieldError(field, value, expected);

  // Date.parse would roll 2025-02-30 over into March, so the fields are checked and combined here.
  const [year, month, day, hour, minute] = match.slice(1, 6).map(Number) as [number, number, number, number, number];
  const second = match[6] === undefined ? 0 : Number(match[6]);
  const milliseconds = match[7] === undefined ? 0 : Number(match[7].slice(1, 4).padEnd(3, '0'));
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const valid = month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && hour <= 23 && minute <= 59 && second <= 59;
  if (!valid) throw new RecordFieldError(field, value, expected);
  const zone = match[8]!;
  const offsetMinutes = zone === 'Z' || zone === 'z' ? 0 : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  const utc = new Date(Date.UTC(year, month - 1, day, hour, minute, second, milliseconds));
  // Date.UTC reads years 0 to 99 as 1900 to 1999.
  if (year < 100) utc.setUTCFullYear(year);
  return new Date(utc.getTime() - offsetMinutes * 60_000);
}

/**
 * The range of record start times that `import` accepts. It lies far outside
 * the time of any real API call, so a start time beyond it is a typo such as
 * year 0001. Reports without --from start at the oldest record, so one such
 * record would make every `report --by day` fail with too many buckets.
 */
const EARLIEST_START_TEXT = '2000-01-01T00:00:00Z';
const LATEST_START_TEXT = '2100-01-01T00:00:00Z';
export const EARLIEST_START = new Date(EARLIEST_START_TEXT);
export const LATEST_START = new Date(LATEST_START_TEXT);

/** Parse a record's start time with `parseInstant` and check that it lies from `EARLIEST_START` to `LATEST_START`. */
export function parseStartTime(value: unknown, field: string): Date {
  const instant = parseInstant(value, field);
  if (instant < EARLIEST_START || instant > LATEST_START) {
    throw new RecordFieldError(field, value, `use a start time from ${EARLIEST_START_TEXT} to ${LATEST_START_TEXT}`);
  }
  return instant;
}

/**
 * Read a USD amount into nano-dollars. Accepts a `DecimalNumber` (exact), a
 * decimal string, or a JSON number. A number is taken through its shortest
 * decimal form, which is exact for amounts of up to 15 significant digits.
 */
export function usdNanosFromJson(value: unknown, field: string): bigint {
  let text: string | undefined;
  if (value instanceof DecimalNumber) text = value.text;
  else if (typeof value === 'string') text = value;
  else if (typeof value === 'number' && Number.isFinite(value)) text = plainDecimal(value);
  try {
    if (text !== undefined) return parseUsd(text);
  } catch {
    // Reported below with the field name.
  }
  throw new RecordFieldError(field, value, 'use a decimal USD amount with at most 9 decimals');
}

/** Write a number as its shortest decimal text, with exponent notation (`1e-9`) expanded. */
function plainDecimal(value: number): string {
  const text = String(value);
  const match = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!match) return text;
  const [, sign, lead, rest = '', exponentText] = match;
  const digits = lead! + rest;
  const point = 1 + Number(exponentText);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}
