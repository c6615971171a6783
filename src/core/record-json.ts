/**
 * The JSON form of a record: snake_case fields, UTC ISO instants with
 * milliseconds, and USD amounts as exact decimals. `send --format json`,
 * `query --format json|jsonl` write it and `import` reads it back.
 */
import { DecimalNumber } from './json.js';
import { usdDecimal } from './money.js';
import { RECORD_SOURCES, RECORD_STATUSES, reportedModel } from './record.js';
import type { CostBreakdown, PromptRecord, RecordSource, RecordStatus, TokenUsage } from './record.js';
import { FieldReader, parseInstant, usdNanosFromJson } from './json-fields.js';

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
    inputTokens: reader.count('input_tokens'),
    outputTokens: reader.count('output_tokens'),
    cacheWrite5mTokens: reader.count('cache_write_5m_tokens'),
    cacheWrite1hTokens: reader.count('cache_write_1h_tokens'),
    cacheReadTokens: reader.count('cache_read_tokens'),
    webSearchRequests: reader.count('web_search_requests'),
  };
}

function costFromJson(reader: FieldReader): CostBreakdown {
  const amount = (name: string) => usdNanosFromJson(reader.required(name), reader.path(name));
  return {
    input: amount('input'),
    output: amount('output'),
    cacheWrite5m: amount('cache_write_5m'),
    cacheWrite1h: amount('cache_write_1h'),
    cacheRead: amount('cache_read'),
    webSearch: amount('web_search'),
    total: amount('total'),
  };
}

/**
 * Read a record from its JSON form, validating every field. Throws a
 * `RecordFieldError` (an `InputError`) naming the first invalid field.
 * `id`, `started_at`, `model_requested`, `source`, `status` and `usage` are
 * required. A missing nullable field is read as null and a missing count as 0.
 * A missing `tags` is read as `{}`, `batch` as false and `attempts` as 1.
 * The derived `model` field is checked for type and otherwise ignored.
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
    startedAt: parseInstant(reader.required('started_at'), reader.path('started_at')),
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
