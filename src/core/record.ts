/**
 * The prompt record: one logged Messages API call. Every store, report and
 * output format reads and writes this one type.
 */

export type RecordSource = 'send' | 'bench' | 'import';
export type RecordStatus = 'ok' | 'error';

export const RECORD_SOURCES: readonly RecordSource[] = ['send', 'bench', 'import'];
export const RECORD_STATUSES: readonly RecordStatus[] = ['ok', 'error'];

/**
 * Token counts as the API reports them. The buckets are disjoint:
 * `inputTokens` excludes cached tokens, and the two cache-write buckets split
 * `cache_creation_input_tokens` by time to live.
 */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cacheWrite5mTokens: number;
  cacheWrite1hTokens: number;
  cacheReadTokens: number;
  webSearchRequests: number;
}

/** Cost of one record in nano-dollars (1e-9 USD), per usage bucket and in total. */
export interface CostBreakdown {
  input: bigint;
  output: bigint;
  cacheWrite5m: bigint;
  cacheWrite1h: bigint;
  cacheRead: bigint;
  webSearch: bigint;
  /** Rounded once from the exact sum of the buckets, so it may differ from their rounded sum by a few nano-dollars. */
  total: bigint;
}

export interface PromptRecord {
  /** Unique id of the record; also the key that makes a repeated insert change nothing. */
  id: string;
  /** The `request-id` response header of the final attempt. */
  requestId: string | null;
  messageId: string | null;
  /** UTC instant the call started. */
  startedAt: Date;
  durationMs: number;
  /** Milliseconds from the start to the first streamed text; null when not streamed. */
  timeToFirstTokenMs: number | null;
  modelRequested: string;
  /** The model id the API reports in its reply; null when no reply arrived. */
  modelServed: string | null;
  category: string | null;
  tags: Record<string, string>;
  source: RecordSource;
  status: RecordStatus;
  errorType: string | null;
  httpStatus: number | null;
  stopReason: string | null;
  /** HTTP attempts the call took, the SDK's retries included. */
  attempts: number;
  usage: TokenUsage;
  serviceTier: string | null;
  batch: boolean;
  /** `usage.inference_geo` as reported, such as `global` or `us`. */
  inferenceGeo: string | null;
  /** `usage.speed` as reported: `standard` or `fast`. */
  speed: string | null;
  /** Null when the model has no price entry (an unpriced record), never zero for that reason. */
  cost: CostBreakdown | null;
  /** Id of the price entry that produced `cost`, such as `claude-sonnet-4-5-20250929@2025-09-29`. */
  priceEntry: string | null;
  /** SHA-256 of the request's system prompt and messages, hex. */
  promptHash: string | null;
  /** Null when text storage is turned off. */
  promptText: string | null;
  /** First 200 characters of the reply text; null when text storage is turned off. */
  responseSummary: string | null;
}

export function emptyUsage(): TokenUsage {
  return {
    inputTokens: 0,
    outputTokens: 0,
    cacheWrite5mTokens: 0,
    cacheWrite1hTokens: 0,
    cacheReadTokens: 0,
    webSearchRequests: 0,
  };
}

/** The model a record is reported under: the served model when known, else the requested one. */
export function reportedModel(record: Pick<PromptRecord, 'modelServed' | 'modelRequested'>): string {
  return record.modelServed ?? record.modelRequested;
}

export const RESPONSE_SUMMARY_LENGTH = 200;
