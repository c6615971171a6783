/**
 * Turns one finished or failed call into a `PromptRecord`: the prompt hash,
 * the stored text, the usage buckets and the price.
 */
import { createHash } from 'node:crypto';
import type Anthropic from '@anthropic-ai/sdk';
import type { Logger } from '../core/logger.js';
import { RESPONSE_SUMMARY_LENGTH, emptyUsage, type CostBreakdown, type PromptRecord } from '../core/record.js';
import { usageFromApi, type ApiUsage } from '../core/usage.js';
import { pricingRequestFor, type Pricer } from '../pricing/index.js';

/** JSON with object keys sorted at every level and no whitespace, so equal values give equal text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item === undefined ? null : item)).join(',')}]`;
  const entries = Object.keys(value)
    .sort()
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
  return `{${entries.join(',')}}`;
}

/** SHA-256 hex over the canonical JSON of `{system, messages}`; a missing system prompt is null. */
export function promptHash(system: unknown, messages: Anthropic.MessageParam[]): string {
  return createHash('sha256').update(canonicalJson({ system: system ?? null, messages })).digest('hex');
}

/**
 * Render the prompt as readable text: a single user turn's text as it is,
 * otherwise each turn as `role: text`, separated by blank lines. Non-text blocks are left out.
 */
export function promptTextOf(messages: Anthropic.MessageParam[]): string {
  const turns = messages.map((message) => ({ role: message.role, text: contentText(message.content) }));
  if (turns.length === 1 && turns[0]!.role === 'user') return turns[0]!.text;
  return turns.map((turn) => `${turn.role}: ${turn.text}`).join('\n\n');
}

function contentText(content: Anthropic.MessageParam['content']): string {
  if (typeof content === 'string') return content;
  return content
    .flatMap((block) => (block.type === 'text' ? [block.text] : []))
    .join('\n');
}

export function zeroCost(): CostBreakdown {
  return { input: 0n, output: 0n, cacheWrite5m: 0n, cacheWrite1h: 0n, cacheRead: 0n, webSearch: 0n, total: 0n };
}

export interface CallOutcome {
  id: string;
  startedAt: Date;
  durationMs: number;
  timeToFirstTokenMs: number | null;
  modelRequested: string;
  category: string | null;
  tags: Record<string, string>;
  source: 'send' | 'bench';
  attempts: number;
  requestId: string | null;
  /** The reply or the partial stream; null when no reply arrived. */
  message: Anthropic.Message | null;
  /** The usage seen, streamed usage already merged; null when none arrived. */
  usage: ApiUsage | null;
  status: 'ok' | 'error';
  errorType: string | null;
  httpStatus: number | null;
  promptHash: string;
  promptText: string | null;
  replyText: string | null;
}

/**
 * Build the record and price it. A call that reported no usage was not billed,
 * so its cost is exactly zero (not null) whether or not the model has a price.
 * A call with usage on an unpriced model gets a null cost and a warning.
 */
export function buildRecord(outcome: CallOutcome, pricer: Pricer, logger: Logger): PromptRecord {
  const parsed = outcome.usage ? usageFromApi(outcome.usage) : null;
  const modelServed = outcome.message?.model ?? null;
  const serviceTier = parsed?.serviceTier ?? null;
  const record: PromptRecord = {
    id: outcome.id,
    requestId: outcome.requestId,
    messageId: outcome.message?.id ?? null,
    startedAt: outcome.startedAt,
    durationMs: outcome.durationMs,
    timeToFirstTokenMs: outcome.timeToFirstTokenMs,
    modelRequested: outcome.modelRequested,
    modelServed,
    category: outcome.category,
    tags: outcome.tags,
    source: outcome.source,
    status: outcome.status,
    errorType: outcome.errorType,
    httpStatus: outcome.httpStatus,
    stopReason: outcome.message?.stop_reason ?? null,
    attempts: outcome.attempts,
    usage: parsed?.usage ?? emptyUsage(),
    serviceTier,
    batch: serviceTier === 'batch',
    inferenceGeo: parsed?.inferenceGeo ?? null,
    speed: parsed?.speed ?? null,
    cost: zeroCost(),
    priceEntry: null,
    promptHash: outcome.promptHash,
    promptText: outcome.promptText,
    responseSummary: outcome.replyText === null ? null : outcome.replyText.slice(0, RESPONSE_SUMMARY_LENGTH),
  };
  if (!parsed) return record;

  const pricing = pricer.price(pricingRequestFor(record));
  if (pricing.priced) {
    record.cost = pricing.cost;
    record.priceEntry = pricing.priceEntry;
  } else {
    record.cost = null;
    logger.warn(`no price for model ${pricing.model}: the record is stored unpriced (${pricing.reason})`);
  }
  return record;
}
