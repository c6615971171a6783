/**
 * `--dry-run`: counts every case's input tokens with the free token-counting
 * endpoint (POST /v1/messages/count_tokens) and prices that input, so a
 * prompt template that grew is caught before any generation is paid for.
 * The results are not stored: no Messages API call is made.
 */
import { randomUUID } from 'node:crypto';
import type Anthropic from '@anthropic-ai/sdk';
import { describeError } from '../client/errors.js';
import { emptyUsage, type PromptRecord } from '../core/record.js';
import type { Pricer } from '../pricing/index.js';
import { noteFailureMessage } from './result.js';
import type { BenchCall } from './runner.js';
import type { BenchSuite } from './suite.js';

/** Return a copy of the suite with one call per case, because the count does not change between repetitions. */
export function dryRunSuite(suite: BenchSuite): BenchSuite {
  return { ...suite, cases: suite.cases.map((benchCase) => ({ ...benchCase, repetitions: 1 })) };
}

export function countTokensBenchCall(anthropic: Anthropic, pricer: Pricer): BenchCall {
  return async (benchCase, tags) => {
    const startedAt = new Date();
    const base: PromptRecord = {
      id: randomUUID(),
      requestId: null,
      messageId: null,
      startedAt,
      durationMs: 0,
      timeToFirstTokenMs: null,
      modelRequested: benchCase.model,
      modelServed: null,
      category: benchCase.category,
      tags: { ...benchCase.tags, ...tags },
      source: 'bench',
      status: 'ok',
      errorType: null,
      httpStatus: null,
      stopReason: null,
      attempts: 1,
      usage: emptyUsage(),
      serviceTier: null,
      batch: false,
      inferenceGeo: null,
      speed: null,
      cost: null,
      priceEntry: null,
      promptHash: null,
      promptText: null,
      responseSummary: null,
    };
    try {
      const { data, response } = await anthropic.messages
        .countTokens({ model: benchCase.model, messages: benchCase.messages, ...(benchCase.system !== null ? { system: benchCase.system } : {}) })
        .withResponse();
      const usage = { ...emptyUsage(), inputTokens: data.input_tokens };
      const priced = pricer.price({ model: benchCase.model, at: startedAt, usage, batch: false, inferenceGeo: null, speed: null });
      return {
        ...base,
        requestId: response.headers.get('request-id'),
        durationMs: Date.now() - startedAt.getTime(),
        httpStatus: response.status,
        usage,
        cost: priced.cost,
        priceEntry: priced.priceEntry,
      };
    } catch (error) {
      const details = describeError(error);
      const failed: PromptRecord = {
        ...base,
        requestId: details.requestId,
        durationMs: Date.now() - startedAt.getTime(),
        status: 'error',
        errorType: details.errorType,
        httpStatus: details.httpStatus,
      };
      noteFailureMessage(failed, details.detail);
      return failed;
    }
  };
}
