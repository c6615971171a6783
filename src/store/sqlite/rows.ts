/**
 * Conversion between `PromptRecord` and rows of the `records` table.
 */
import type { PromptRecord, RecordSource, RecordStatus } from '../../core/record.js';

/** Columns written on insert, in the order of `recordToRow`'s values. */
export const INSERT_COLUMNS = [
  'id', 'request_id', 'message_id', 'started_at_ms', 'ingested_at_ms', 'duration_ms', 'time_to_first_token_ms',
  'model_requested', 'model_served', 'category', 'tags', 'source', 'status', 'error_type', 'http_status',
  'stop_reason', 'attempts', 'input_tokens', 'output_tokens', 'cache_write_5m_tokens', 'cache_write_1h_tokens',
  'cache_read_tokens', 'web_search_requests', 'service_tier', 'batch', 'inference_geo', 'speed',
  'cost_input_nanos', 'cost_output_nanos', 'cost_cache_write_5m_nanos', 'cost_cache_write_1h_nanos',
  'cost_cache_read_nanos', 'cost_web_search_nanos', 'cost_total_nanos', 'price_entry', 'prompt_hash',
  'prompt_text', 'response_summary',
] as const;

export const INSERT_SQL = `INSERT OR IGNORE INTO records (${INSERT_COLUMNS.join(', ')}) VALUES (${INSERT_COLUMNS.map(() => '?').join(', ')})`;

export const SELECT_COLUMNS = INSERT_COLUMNS.filter((column) => column !== 'ingested_at_ms').join(', ');

type SqlValue = string | number | bigint | null;

/** Values for `INSERT_SQL`. Money goes in as bigint so amounts beyond 2^53 nano-dollars stay exact. */
export function recordToRow(record: PromptRecord, ingestedAtMs: number): SqlValue[] {
  const { usage, cost } = record;
  return [
    record.id, record.requestId, record.messageId, record.startedAt.getTime(), ingestedAtMs, record.durationMs,
    record.timeToFirstTokenMs, record.modelRequested, record.modelServed, record.category, JSON.stringify(record.tags),
    record.source, record.status, record.errorType, record.httpStatus, record.stopReason, record.attempts,
    usage.inputTokens, usage.outputTokens, usage.cacheWrite5mTokens, usage.cacheWrite1hTokens, usage.cacheReadTokens,
    usage.webSearchRequests, record.serviceTier, record.batch ? 1 : 0, record.inferenceGeo, record.speed,
    cost?.input ?? null, cost?.output ?? null, cost?.cacheWrite5m ?? null, cost?.cacheWrite1h ?? null,
    cost?.cacheRead ?? null, cost?.webSearch ?? null, cost?.total ?? null, record.priceEntry, record.promptHash,
    record.promptText, record.responseSummary,
  ];
}

/** A row read with `safeIntegers(true)`: every INTEGER column arrives as bigint. */
export type RecordRow = Record<(typeof INSERT_COLUMNS)[number], SqlValue>;

const num = (value: SqlValue): number => Number(value);
const numOrNull = (value: SqlValue): number | null => (value === null ? null : Number(value));
const text = (value: SqlValue): string => String(value);
const textOrNull = (value: SqlValue): string | null => (value === null ? null : String(value));
const nanos = (value: SqlValue): bigint => BigInt(value ?? 0);

export function rowToRecord(row: RecordRow): PromptRecord {
  return {
    id: text(row.id),
    requestId: textOrNull(row.request_id),
    messageId: textOrNull(row.message_id),
    startedAt: new Date(num(row.started_at_ms)),
    durationMs: num(row.duration_ms),
    timeToFirstTokenMs: numOrNull(row.time_to_first_token_ms),
    modelRequested: text(row.model_requested),
    modelServed: textOrNull(row.model_served),
    category: textOrNull(row.category),
    tags: JSON.parse(text(row.tags)) as Record<string, string>,
    source: text(row.source) as RecordSource,
    status: text(row.status) as RecordStatus,
    errorType: textOrNull(row.error_type),
    httpStatus: numOrNull(row.http_status),
    stopReason: textOrNull(row.stop_reason),
    attempts: num(row.attempts),
    usage: {
      inputTokens: num(row.input_tokens),
      outputTokens: num(row.output_tokens),
      cacheWrite5mTokens: num(row.cache_write_5m_tokens),
      cacheWrite1hTokens: num(row.cache_write_1h_tokens),
      cacheReadTokens: num(row.cache_read_tokens),
      webSearchRequests: num(row.web_search_requests),
    },
    serviceTier: textOrNull(row.service_tier),
    batch: num(row.batch) !== 0,
    inferenceGeo: textOrNull(row.inference_geo),
    speed: textOrNull(row.speed),
    cost:
      row.cost_total_nanos === null
        ? null
        : {
            input: nanos(row.cost_input_nanos),
            output: nanos(row.cost_output_nanos),
            cacheWrite5m: nanos(row.cost_cache_write_5m_nanos),
            cacheWrite1h: nanos(row.cost_cache_write_1h_nanos),
            cacheRead: nanos(row.cost_cache_read_nanos),
            webSearch: nanos(row.cost_web_search_nanos),
            total: nanos(row.cost_total_nanos),
          },
    priceEntry: textOrNull(row.price_entry),
    promptHash: textOrNull(row.prompt_hash),
    promptText: textOrNull(row.prompt_text),
    responseSummary: textOrNull(row.response_summary),
  };
}
