/**
 * Building the SDK's request from a `SendRequest`.
 */
import type Anthropic from '@anthropic-ai/sdk';
import { InputError } from '../core/errors.js';
import { CALL_ID_HEADER } from './attempts.js';
import type { SendRequest } from './types.js';

/** Return the request's turns, checking that it has exactly one of a prompt or messages. */
export function messagesOf(request: SendRequest): Anthropic.MessageParam[] {
  const hasPrompt = request.prompt !== undefined;
  const hasMessages = request.messages !== undefined;
  if (hasPrompt === hasMessages) throw new InputError('invalid request: give exactly one of prompt or messages');
  if (!Number.isInteger(request.maxTokens) || request.maxTokens < 1) {
    throw new InputError(`invalid max tokens ${request.maxTokens}: use a whole number of at least 1`);
  }
  if (hasMessages) {
    if (request.messages!.length === 0) throw new InputError('invalid request: messages is empty, give at least one user turn');
    return request.messages!;
  }
  return [{ role: 'user', content: request.prompt! }];
}

export function paramsOf(request: SendRequest, messages: Anthropic.MessageParam[]): Omit<Anthropic.MessageCreateParamsNonStreaming, 'stream'> {
  return {
    model: request.model,
    max_tokens: request.maxTokens,
    messages,
    ...(request.system !== undefined ? { system: request.system } : {}),
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
  };
}

/** Tag the call with its id, so the attempt counter can tell its HTTP attempts apart. */
export function requestOptions(request: SendRequest, callId: string): Anthropic.RequestOptions {
  return { headers: { [CALL_ID_HEADER]: callId }, ...(request.signal ? { signal: request.signal } : {}) };
}
