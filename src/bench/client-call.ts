/**
 * Benchmark calls through `AnthropicPromptClient`, so every call is priced
 * and stored like any other, with source `bench`.
 */
import type { AnthropicPromptClient } from '../client/index.js';
import { PromptCallError } from '../client/index.js';
import { describeError } from '../client/errors.js';
import { noteFailureMessage } from './result.js';
import type { BenchCall } from './runner.js';

export function clientBenchCall(client: AnthropicPromptClient): BenchCall {
  return async (benchCase, runTags) => {
    try {
      const result = await client.send({
        model: benchCase.model,
        maxTokens: benchCase.maxTokens,
        ...(benchCase.system !== null ? { system: benchCase.system } : {}),
        messages: benchCase.messages,
        ...(benchCase.temperature !== null ? { temperature: benchCase.temperature } : {}),
        ...(benchCase.category !== null ? { category: benchCase.category } : {}),
        tags: { ...benchCase.tags, ...runTags },
      });
      return result.record;
    } catch (error) {
      // The client stored the failed call's record before throwing; the run counts it and goes on.
      if (error instanceof PromptCallError) {
        noteFailureMessage(error.record, describeError(error.cause ?? error).detail);
        return error.record;
      }
      throw error;
    }
  };
}
