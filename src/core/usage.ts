/**
 * Reading the Messages API `usage` object (snake_case, as on the wire) into
 * the record's disjoint token buckets. Every field may be missing or null:
 * older API versions, older SDKs and streamed deltas leave some out.
 */
import type { TokenUsage } from './record.js';

/** The wire shape of `usage`, as the API and the SDK return it. */
export interface ApiUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation?: { ephemeral_5m_input_tokens?: number | null; ephemeral_1h_input_tokens?: number | null } | null;
  server_tool_use?: { web_search_requests?: number | null; web_fetch_requests?: number | null } | null;
  service_tier?: string | null;
  inference_geo?: string | null;
  speed?: string | null;
}

export interface ParsedUsage {
  usage: TokenUsage;
  serviceTier: string | null;
  inferenceGeo: string | null;
  speed: string | null;
}

const count = (value: number | null | undefined): number => (typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.trunc(value) : 0);

/**
 * Split cache writes by time to live. Without a `cache_creation` breakdown all
 * writes are 5-minute writes (the only kind before the 1-hour TTL existed).
 * When the breakdown sums to less than `cache_creation_input_tokens`, the
 * remainder is priced as 5-minute writes rather than dropped.
 */
export function usageFromApi(api: ApiUsage): ParsedUsage {
  const aggregateWrites = count(api.cache_creation_input_tokens);
  let write5m = count(api.cache_creation?.ephemeral_5m_input_tokens);
  const write1h = count(api.cache_creation?.ephemeral_1h_input_tokens);
  if (write5m + write1h < aggregateWrites) write5m = aggregateWrites - write1h;
  return {
    usage: {
      inputTokens: count(api.input_tokens),
      outputTokens: count(api.output_tokens),
      cacheWrite5mTokens: write5m,
      cacheWrite1hTokens: write1h,
      cacheReadTokens: count(api.cache_read_input_tokens),
      webSearchRequests: count(api.server_tool_use?.web_search_requests),
    },
    serviceTier: api.service_tier ?? null,
    inferenceGeo: api.inference_geo ?? null,
    speed: api.speed ?? null,
  };
}

/** Input + both cache writes + cache reads: what long-context thresholds and "total input" count. */
export function promptTokens(usage: TokenUsage): number {
  return usage.inputTokens + usage.cacheWrite5mTokens + usage.cacheWrite1hTokens + usage.cacheReadTokens;
}
