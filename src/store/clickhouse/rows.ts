/**
 * Records to JSONEachRow rows and back. Instants travel as numbers of UTC
 * epoch seconds with a millisecond fraction on the way in, which ClickHouse
 * reads the same in every server time zone, and as epoch milliseconds on the
 * way out (`toUnixTimestamp64Milli`). 64-bit integers are read as strings and
 * converted here, so no amount loses precision in JSON.
 */
import type { PromptRecord, RecordSource, RecordStatus } from '../../core/record.js';
import { reportedModel } from '../../core/record.js';

/** A row as it is inserted; `ingested_at` is set when `insert()` receives the record, or on delivery from the spool. */
export type InsertRow = Record<string, string | number | boolean | null | Record<string, string>>;

/** Epoch milliseconds as the decimal seconds text DateTime64(3) parses, such as `1736983800.123`. */
export function epochSecondsText(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  const magnitude = Math.abs(ms);
  return `${sign}${Math.floor(magnitude / 1000)}.${String(magnitude % 1000).padStart(3, '0')}`;
}

export function recordToRow(record: PromptRecord): InsertRow {
  const cost = record.cost;
  const nanos = (value: bigint | undefined) => (value ?? 0n).toString();
  return {
    id: record.id,
    request_id: record.requestId,
    message_id: record.messageId,
    started_at: epochSecondsText(record.startedAt.getTime()),
    duration_ms: record.durationMs,
    time_to_first_token_ms: record.timeToFirstTokenMs,
    model: reportedModel(record),
    model_requested: record.modelRequested,
    model_served: record.modelServed,
    category: record.category,
    tags: record.tags,
    source: record.source,
    status: record.status,
    error_type: record.errorType,
    http_status: record.httpStatus,
    stop_reason: record.stopReason,
    attempts: record.attempts,
    input_tokens: record.usage.inputTokens,
    output_tokens: record.usage.outputTokens,
    cache_write_5m_tokens: record.usage.cacheWrite5mTokens,
    cache_write_1h_tokens: record.usage.cacheWrite1hTokens,
    cache_read_tokens: record.usage.cacheReadTokens,
    web_search_requests: record.usage.webSearchRequests,
    service_tier: record.serviceTier,
    batch: record.batch,
    inference_geo: record.inferenceGeo,
    speed: record.speed,
    priced: cost !== null,
    // Int64 as JSON strings: ClickHouse parses them exactly, where a JSON number above 2^53 would already be rounded.
    cost_input_nanos: nanos(cost?.input),
    cost_output_nanos: nanos(cost?.output),
    cost_cache_write_5m_nanos: nanos(cost?.cacheWrite5m),
    cost_cache_write_1h_nanos: nanos(cost?.cacheWrite1h),
    cost_cache_read_nanos: nanos(cost?.cacheRead),
    cost_web_search_nanos: nanos(cost?.webSearch),
    cost_total_nanos: nanos(cost?.total),
    price_entry: record.priceEntry,
    prompt_hash: record.promptHash,
    prompt_text: record.promptText,
    response_summary: record.responseSummary,
  };
}

/** The SELECT list that `rowToRecord` reads. */
export const SELECT_COLUMNS = [
  'id', 'request_id', 'message_id', 'toUnixTimestamp64Milli(started_at) AS started_at_ms', 'duration_ms', 'time_to_first_token_ms',
  'model_requested', 'model_served', 'category', 'tags', 'source', 'status', 'error_type', 'http_status', 'stop_reason', 'attempts',
  'input_tokens', 'output_tokens', 'cache_write_5m_tokens', 'cache_write_1h_tokens', 'cache_read_tokens', 'web_search_requests',
  'service_tier', 'batch', 'inference_geo', 'speed', 'priced', 'cost_input_nanos', 'cost_output_nanos', 'cost_cache_write_5m_nanos',
  'cost_cache_write_1h_nanos', 'cost_cache_read_nanos', 'cost_web_search_nanos', 'cost_total_nanos', 'price_entry', 'prompt_hash',
  'prompt_text', 'response_summary',
].join(', ');

type Cell = string | number | boolean | null | Record<string, string>;
export type SelectedRow = Record<string, Cell>;

const text = (value: Cell | undefined): string | null => (value === null || value === undefined ? null : String(value));
const integer = (value: Cell | undefined): number => Number(value ?? 0);
const nullableNumber = (value: Cell | undefined): number | null => (value === null || value === undefined ? null : Number(value));

export function rowToRecord(row: SelectedRow): PromptRecord {
  const priced = row.priced === true || row.priced === 1 || row.priced === 'true';
  const nanos = (name: string) => BigInt(String(row[name] ?? '0'));
  return {
    id: String(row.id),
    requestId: text(row.request_id),
    messageId: text(row.message_id),
    startedAt: new Date(integer(row.started_at_ms)),
    durationMs: integer(row.duration_ms),
    timeToFirstTokenMs: nullableNumber(row.time_to_first_token_ms),
    modelRequested: String(row.model_requested),
    modelServed: text(row.model_served),
    category: text(row.category),
    tags: { ...((row.tags as Record<string, string> | null) ?? {}) },
    source: String(row.source) as RecordSource,
    status: String(row.status) as RecordStatus,
    errorType: text(row.error_type),
    httpStatus: nullableNumber(row.http_status),
    stopReason: text(row.stop_reason),
    attempts: integer(row.attempts),
    usage: {
      inputTokens: integer(row.input_tokens),
      outputTokens: integer(row.output_tokens),
      cacheWrite5mTokens: integer(row.cache_write_5m_tokens),
      cacheWrite1hTokens: integer(row.cache_write_1h_tokens),
      cacheReadTokens: integer(row.cache_read_tokens),
      webSearchRequests: integer(row.web_search_requests),
    },
    serviceTier: text(row.service_tier),
    batch: row.batch === true || row.batch === 1 || row.batch === 'true',
    inferenceGeo: text(row.inference_geo),
    speed: text(row.speed),
    cost: priced
      ? {
          input: nanos('cost_input_nanos'),
          output: nanos('cost_output_nanos'),
          cacheWrite5m: nanos('cost_cache_write_5m_nanos'),
          cacheWrite1h: nanos('cost_cache_write_1h_nanos'),
          cacheRead: nanos('cost_cache_read_nanos'),
          webSearch: nanos('cost_web_search_nanos'),
          total: nanos('cost_total_nanos'),
        }
      : null,
    priceEntry: text(row.price_entry),
    promptHash: text(row.prompt_hash),
    promptText: text(row.prompt_text),
    responseSummary: text(row.response_summary),
  };
}
