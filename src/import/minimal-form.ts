/**
 * The minimal import form: one JSON object per line with `ts`, `model` and a
 * Messages API `usage` object (wire names), and optionally `category`, `tags`,
 * `request_id`, `status`, `service_tier`, `batch`, `inference_geo`, `speed`.
 *
 *   {"ts":"2025-11-03T09:15:00Z","model":"claude-sonnet-4-5","usage":{"input_tokens":1200,"output_tokens":300}}
 *
 * `speed` and `service_tier`, at the top level or in `usage`, must be one of
 * the values below, because a typo would otherwise be priced as standard.
 * Records read from real API responses are not checked this way, so a value
 * that the API adds later is still logged.
 */
import { hash } from 'node:crypto';
import { FieldReader, parseStartTime, RecordFieldError } from '../core/json-fields.js';
import { RECORD_STATUSES, type PromptRecord } from '../core/record.js';
import { usageFromApi, type ApiUsage } from '../core/usage.js';

/** The `speed` values that import lines and `cost --usage` accept. */
export const INPUT_SPEEDS = ['standard', 'fast'] as const;
/** The `service_tier` values that import lines and `cost --usage` accept. */
export const INPUT_SERVICE_TIERS = ['standard', 'priority', 'batch'] as const;

/**
 * Require `name` in a usage object. Every Messages API response has both
 * input_tokens and output_tokens, and import stores such calls. `cost
 * --usage` prices what-if usages, so there a missing count is 0.
 */
function requireWireCount(usage: FieldReader, name: string): void {
  if (!usage.has(name)) {
    throw new RecordFieldError(usage.path(name), undefined, 'write 0 for none, because a Messages API usage always has input_tokens and output_tokens');
  }
}

/** Read the wire `usage` object, checking every count that the API defines. */
function apiUsageFromJson(usage: FieldReader): ApiUsage {
  const cacheCreation = usage.nullableObject('cache_creation');
  const serverToolUse = usage.nullableObject('server_tool_use');
  requireWireCount(usage, 'input_tokens');
  requireWireCount(usage, 'output_tokens');
  return {
    input_tokens: usage.optionalTokenCount('input_tokens'),
    output_tokens: usage.optionalTokenCount('output_tokens'),
    cache_creation_input_tokens: usage.optionalTokenCount('cache_creation_input_tokens'),
    cache_read_input_tokens: usage.optionalTokenCount('cache_read_input_tokens'),
    cache_creation: cacheCreation && {
      ephemeral_5m_input_tokens: cacheCreation.optionalTokenCount('ephemeral_5m_input_tokens'),
      ephemeral_1h_input_tokens: cacheCreation.optionalTokenCount('ephemeral_1h_input_tokens'),
    },
    server_tool_use: serverToolUse && {
      web_search_requests: serverToolUse.optionalTokenCount('web_search_requests'),
      web_fetch_requests: serverToolUse.optionalTokenCount('web_fetch_requests'),
    },
    service_tier: usage.optionalChoice('service_tier', INPUT_SERVICE_TIERS),
    inference_geo: usage.optionalString('inference_geo'),
    speed: usage.optionalChoice('speed', INPUT_SPEEDS),
  };
}

/**
 * Derive a record id from the line's text, so importing the same file again
 * finds every record already stored.
 * NOTE: two identical lines without a request id therefore count as one
 * record; give such calls distinct `request_id` values to keep both.
 */
export function contentId(lineText: string): string {
  return `imp_${hash('sha256', lineText.trim()).slice(0, 32)}`;
}

/**
 * Build an unpriced record of source `import` from a minimal-form object with
 * the given id; the caller prices it.
 */
export function recordFromMinimalJson(reader: FieldReader, id: string): PromptRecord {
  const startedAt = parseStartTime(reader.required('ts'), 'ts');
  const model = reader.string('model');
  const parsed = usageFromApi(apiUsageFromJson(reader.object('usage')));
  const status = reader.has('status') ? reader.choice('status', RECORD_STATUSES) : 'ok';
  const serviceTier = reader.optionalChoice('service_tier', INPUT_SERVICE_TIERS) ?? parsed.serviceTier;

  return {
    id,
    requestId: reader.optionalString('request_id'),
    messageId: null,
    startedAt,
    durationMs: 0,
    timeToFirstTokenMs: null,
    modelRequested: model,
    modelServed: model,
    category: reader.optionalString('category'),
    tags: reader.tags('tags'),
    source: 'import',
    status,
    errorType: null,
    httpStatus: null,
    stopReason: null,
    attempts: 1,
    usage: parsed.usage,
    serviceTier,
    batch: reader.boolean('batch', serviceTier === 'batch'),
    inferenceGeo: reader.optionalString('inference_geo') ?? parsed.inferenceGeo,
    speed: reader.optionalChoice('speed', INPUT_SPEEDS) ?? parsed.speed,
    cost: null,
    priceEntry: null,
    promptHash: null,
    promptText: null,
    responseSummary: null,
  };
}
