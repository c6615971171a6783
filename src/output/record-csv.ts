/**
 * A record as one CSV row: the fields of the record's JSON form, flattened,
 * with `started_at` in the chosen zone and its offset, and USD amounts as
 * exact decimals.
 */
import { usdDecimal } from '../core/money.js';
import { reportedModel, type PromptRecord } from '../core/record.js';
import { formatInstant } from '../time/format.js';
import type { CsvValue } from './csv.js';

export const RECORD_CSV_HEADER = [
  'id',
  'request_id',
  'message_id',
  'started_at',
  'duration_ms',
  'time_to_first_token_ms',
  'model',
  'model_requested',
  'model_served',
  'category',
  'tags',
  'source',
  'status',
  'error_type',
  'http_status',
  'stop_reason',
  'attempts',
  'input_tokens',
  'output_tokens',
  'cache_write_5m_tokens',
  'cache_write_1h_tokens',
  'cache_read_tokens',
  'web_search_requests',
  'service_tier',
  'batch',
  'inference_geo',
  'speed',
  'cost_input_usd',
  'cost_output_usd',
  'cost_cache_write_5m_usd',
  'cost_cache_write_1h_usd',
  'cost_cache_read_usd',
  'cost_web_search_usd',
  'cost_usd',
  'price_entry',
  'prompt_hash',
  'prompt_text',
  'response_summary',
] as const;

const usd = (nanos: bigint | undefined): string | null => (nanos === undefined ? null : usdDecimal(nanos));

/** Return the row for `record` in `RECORD_CSV_HEADER` order. Tags are a JSON object, and unpriced records have empty cost cells. */
export function recordToCsvValues(record: PromptRecord, zone: string): CsvValue[] {
  const { usage, cost } = record;
  return [
    record.id,
    record.requestId,
    record.messageId,
    formatInstant(record.startedAt.getTime(), zone),
    record.durationMs,
    record.timeToFirstTokenMs,
    reportedModel(record),
    record.modelRequested,
    record.modelServed,
    record.category,
    JSON.stringify(record.tags),
    record.source,
    record.status,
    record.errorType,
    record.httpStatus,
    record.stopReason,
    record.attempts,
    usage.inputTokens,
    usage.outputTokens,
    usage.cacheWrite5mTokens,
    usage.cacheWrite1hTokens,
    usage.cacheReadTokens,
    usage.webSearchRequests,
    record.serviceTier,
    record.batch,
    record.inferenceGeo,
    record.speed,
    usd(cost?.input),
    usd(cost?.output),
    usd(cost?.cacheWrite5m),
    usd(cost?.cacheWrite1h),
    usd(cost?.cacheRead),
    usd(cost?.webSearch),
    usd(cost?.total),
    record.priceEntry,
    record.promptHash,
    record.promptText,
    record.responseSummary,
  ];
}
