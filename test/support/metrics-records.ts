/**
 * Prompt records for the metrics tests, with costs computed here from the
 * list prices per million tokens, so the tests need no price table.
 */
import { randomUUID } from 'node:crypto';
import type { PromptRecord, TokenUsage } from '../../src/core/record.js';
import { emptyUsage } from '../../src/core/record.js';

/** Anthropic's list prices in USD per million tokens (input, output) for the two models, as published in 2026. */
export const LIST_PRICES: Record<string, { input: bigint; output: bigint }> = {
  'claude-sonnet-4-5': { input: 3n, output: 15n },
  'claude-haiku-4-5': { input: 1n, output: 5n },
};

/** Cost in nano-dollars: tokens times USD per million tokens is nano-dollars times 1,000. */
function costFor(model: string, usage: TokenUsage): PromptRecord['cost'] {
  const price = LIST_PRICES[model];
  if (!price) return null;
  const input = BigInt(usage.inputTokens) * price.input * 1_000n;
  const output = BigInt(usage.outputTokens) * price.output * 1_000n;
  return { input, output, cacheWrite5m: 0n, cacheWrite1h: 0n, cacheRead: 0n, webSearch: 0n, total: input + output };
}

export interface RecordSpec {
  model?: string;
  inputTokens?: number;
  outputTokens?: number;
  category?: string | null;
  tags?: Record<string, string>;
  promptText?: string | null;
  startedAt?: Date;
  attempts?: number;
  durationMs?: number;
  timeToFirstTokenMs?: number | null;
  status?: PromptRecord['status'];
  source?: PromptRecord['source'];
}

export function makeRecord(spec: RecordSpec = {}): PromptRecord {
  const model = spec.model ?? 'claude-haiku-4-5';
  const usage = { ...emptyUsage(), inputTokens: spec.inputTokens ?? 100, outputTokens: spec.outputTokens ?? 10 };
  const cost = costFor(model, usage);
  return {
    id: randomUUID(),
    requestId: `req_${randomUUID().replaceAll('-', '')}`,
    messageId: `msg_${randomUUID().replaceAll('-', '')}`,
    startedAt: spec.startedAt ?? new Date('2026-11-02T10:00:00.000Z'),
    durationMs: spec.durationMs ?? 1200,
    timeToFirstTokenMs: spec.timeToFirstTokenMs ?? null,
    modelRequested: model,
    modelServed: model,
    category: spec.category === undefined ? 'chat' : spec.category,
    tags: spec.tags ?? {},
    source: spec.source ?? 'send',
    status: spec.status ?? 'ok',
    errorType: null,
    httpStatus: 200,
    stopReason: 'end_turn',
    attempts: spec.attempts ?? 1,
    usage,
    serviceTier: 'standard',
    batch: false,
    inferenceGeo: null,
    speed: null,
    cost,
    priceEntry: cost === null ? null : `${model}@test`,
    promptHash: null,
    promptText: spec.promptText ?? null,
    responseSummary: null,
  };
}

/** Build the 1,000 records of the cardinality case: 600 Sonnet 4.5 and 400 Haiku 4.5 calls, each from its own user with its own prompt. */
export function cardinalityRecords(): PromptRecord[] {
  return Array.from({ length: 1000 }, (_, index) =>
    makeRecord({
      model: index < 600 ? 'claude-sonnet-4-5' : 'claude-haiku-4-5',
      inputTokens: 100,
      outputTokens: 10,
      tags: { user_id: `user-${String(index).padStart(4, '0')}-${randomUUID()}` },
      promptText: `Summarise ticket ${index}: ${randomUUID()}`,
    }),
  );
}
