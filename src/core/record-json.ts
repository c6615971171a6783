/**
 * The JSON form of a record: snake_case fields, UTC ISO instants with
 * milliseconds, and USD amounts as exact decimals. `send --format json`,
 * `query --format json|jsonl` write it and `import` reads it back.
 */
import { DecimalNumber } from './json.js';
import { usdDecimal } from './money.js';
import { RECORD_SOURCES, RECORD_STATUSES, reportedModel } from './record.js';
import type { CostBreakdown, PromptRecord, RecordSource, RecordStatus, TokenUsage } from './record.js';
import { FieldReader, parseStartTime, RecordFieldError, usdNanosFromJson } from './json-fields.js';

export { RecordFieldError, parseInstant } from './json-fields.js';

export interface UsageJson {
  input_tokens: number;
  output_tokens: number;
  cache_write_5m_tokens: number;
  cache_write_1h_tokens: number;
  cache_read_tokens: number;
  web_search_requests: number;
}

/** USD per usage bucket and in total, written by `stringifyJson` as exact decimal numbers. */
export interface CostJson {
  input: DecimalNumber;
  output: DecimalNumber;
  cache_write_5m: DecimalNumber;
  cache_write_1h: DecimalNumber;
  cache_read: DecimalNumber;
  web_search: DecimalNumber;
  total: DecimalNumber;
}

export interface RecordJson {
  id: string;
  request_id: string | null;
  message_id: string | null;
  started_at: string;
  duration_ms: number;
  time_to_first_token_ms: number | null;
  /** The reported model: served, else requested. */
  model: string;
  model_requested: string;
  model_served: string | null;
  category: string | null;
  tags: Record<string, string>;
  source: RecordSource;
  status: RecordStatus;
  error_type: string | null;
  http_status: number | null;
  stop_reason: string | null;
  attempts: number;
  usage: UsageJson;
  service_tier: string | null;
  batch: boolean;
  inference_geo: string | null;
  speed: string | null;
  /** Null when the record is unpriced. */
  cost_usd: CostJson | null;
  price_entry: string | null;
  prompt_hash: string | null;
  prompt_text: string | null;
  response_summary: string | null;
}

const usd = (nanos: bigint) => new DecimalNumber(usdDecimal(nanos));

export function usageToJson(usage: TokenUsage): UsageJson {
  return {
    input_tokens: usage.inputTokens,
    output_tokens: usage.outputTokens,
    cache_write_5m_tokens: usage.cacheWrite5mTokens,
    cache_write_1h_tokens: usage.cacheWrite1hTokens,
    cache_read_tokens: usage.cacheReadTokens,
    web_search_requests: usage.webSearchRequests,
  };
}

export function costToJson(cost: CostBreakdown): CostJson {
  return {
    input: usd(cost.input),
    output: usd(cost.output),
    cache_write_5m: usd(cost.cacheWrite5m),
    cache_write_1h: usd(cost.cacheWrite1h),
    cache_read: usd(cost.cacheRead),
    web_search: usd(cost.webSearch),
    total: usd(cost.total),
  };
}

/** Convert a record to its JSON form; write the result with `stringifyJson` to keep amounts exact. */
export function recordToJson(record: PromptRecord): RecordJson {
  return {
    id: record.id,
    request_id: record.requestId,
    message_id: record.messageId,
    started_at: record.startedAt.toISOString(),
    duration_ms: record.durationMs,
    time_to_first_token_ms: record.timeToFirstTokenMs,
    model: reportedModel(record),
    model_requested: record.modelRequested,
    model_served: record.modelServed,
    category: record.category,
    tags: { ...record.tags },
    source: record.source,
    status: record.status,
    error_type: record.errorType,
    http_status: record.httpStatus,
    stop_reason: record.stopReason,
    attempts: record.attempts,
    usage: usageToJson(record.usage),
    service_tier: record.serviceTier,
    batch: record.batch,
    inference_geo: record.inferenceGeo,
    speed: record.speed,
    cost_usd: record.cost === null ? null : costToJson(record.cost),
    price_entry: record.priceEntry,
    prompt_hash: record.promptHash,
    prompt_text: record.promptText,
    response_summary: record.responseSummary,
  };
}

function usageFromJson(reader: FieldReader): TokenUsage {
  return {
    inputTokens: reader.tokenCount('input_tokens'),
    outputTokens: reader.tokenCount('output_tokens'),
    cacheWrite5mTokens: reader.tokenCount('cache_write_5m_tokens'),
    cacheWrite1hTokens: reader.tokenCount('cache_write_1h_tokens'),
    cacheReadTokens: reader.tokenCount('cache_read_tokens'),
    webSearchRequests: reader.tokenCount('web_search_requests'),
  };
}

/** The maximum amount that the stores can represent: a signed 64-bit integer of nano-dollars, about $9.2 billion. */
const MAX_AMOUNT_NANOS = 2n ** 63n - 1n;

/**
 * The largest accepted difference between `total` and the sum of the buckets.
 * The pricing engine rounds each of the 6 buckets and the total once, half up,
 * from exact values, so its own records differ by at most 3 nano-dollars
 * (7 roundings of at most half a nano-dollar each). 6 also accepts records
 * from programs that truncate each bucket instead of rounding it.
 */
const TOTAL_ROUNDING_NANOS = 6n;

/** Read one cost amount: 0 or more and within the range of the stores. */
function amountFromJson(reader: FieldReader, name: string): bigint {
  const value = reader.required(name);
  const field = reader.path(name);
  const nanos = usdNanosFromJson(value, field);
  if (nanos < 0n) throw new RecordFieldError(field, value, 'use an amount of 0 or more');
  if (nanos > MAX_AMOUNT_NANOS) throw new RecordFieldError(field, value, `use at most ${usdDecimal(MAX_AMOUNT_NANOS)} USD, the maximum of a store's 64-bit nano-dollar columns`);
  return nanos;
}

function costFromJson(reader: FieldReader): CostBreakdown {
  const cost = {
    input: amountFromJson(reader, 'input'),
    output: amountFromJson(reader, 'output'),
    cacheWrite5m: amountFromJson(reader, 'cache_write_5m'),
    cacheWrite1h: amountFromJson(reader, 'cache_write_1h'),
    cacheRead: amountFromJson(reader, 'cache_read'),
    webSearch: amountFromJson(reader, 'web_search'),
    total: amountFromJson(reader, 'total'),
  };

  const sum = cost.input + cost.output + cost.cacheWrite5m + cost.cacheWrite1h + cost.cacheRead + cost.webSearch;
  const difference = cost.total > sum ? cost.total - sum : sum - cost.total;
  if (difference > TOTAL_ROUNDING_NANOS) {
    const expected = `use the sum of the cost buckets, ${usdDecimal(sum)} (a rounding difference of up to ${usdDecimal(TOTAL_ROUNDING_NANOS)} is accepted)`;
    throw new RecordFieldError(reader.path('total'), reader.raw('total'), expected);
  }
  return cost;
}

/**
 * Read a record from its JSON form, validating every field. Throws a
 * `RecordFieldError` (an `InputError`) naming the first invalid field.
 * `id`, `started_at`, `model_requested`, `source`, `status` and `usage` are
 * required. A missing nullable field is read as null and a missing count as 0.
 * A missing `tags` is read as `{}`, `batch` as false and `attempts` as 1.
 * The derived `model` field is checked for type and otherwise ignored.
 * `started_at` must lie from 2000-01-01T00:00:00Z to 2100-01-01T00:00:00Z,
 * each usage count must be at most `MAX_TOKENS_PER_REQUEST`, and the cost
 * amounts must be 0 or more, with a total equal to the sum of the buckets
 * within rounding. `service_tier` and `speed` may be any string, because
 * records logged from API responses keep values that are new to AnthroTrace.
 */
export function recordFromJson(value: unknown): PromptRecord {
  const reader = FieldReader.root(value, 'record');
  reader.optionalString('model');
  const usageReader = reader.object('usage');
  const costReader = reader.nullableObject('cost_usd');

  return {
    id: reader.string('id'),
    requestId: reader.optionalString('request_id'),
    messageId: reader.optionalString('message_id'),
    startedAt: parseStartTime(reader.required('started_at'), reader.path('started_at')),
    durationMs: reader.count('duration_ms'),
    timeToFirstTokenMs: reader.optionalCount('time_to_first_token_ms'),
    modelRequested: reader.string('model_requested'),
    modelServed: reader.optionalString('model_served'),
    category: reader.optionalString('category'),
    tags: reader.tags('tags'),
    source: reader.choice('source', RECORD_SOURCES),
    status: reader.choice('status', RECORD_STATUSES),
    errorType: reader.optionalString('error_type'),
    httpStatus: reader.optionalCount('http_status'),
    stopReason: reader.optionalString('stop_reason'),
    attempts: reader.count('attempts', 1),
    usage: usageFromJson(usageReader),
    serviceTier: reader.optionalString('service_tier'),
    batch: reader.boolean('batch', false),
    inferenceGeo: reader.optionalString('inference_geo'),
    speed: reader.optionalString('speed'),
    cost: costReader === null ? null : costFromJson(costReader),
    priceEntry: reader.optionalString('price_entry'),
    promptHash: reader.optionalString('prompt_hash'),
    promptText: reader.optionalString('prompt_text'),
    responseSummary: reader.optionalString('response_summary'),
  };
}
