export { AnthropicPromptClient } from './prompt-client.js';
export { PromptCallError, INCOMPLETE_STREAM } from './errors.js';
export { canonicalJson, promptHash } from './record-builder.js';
export type { AnthropicPromptClientOptions, SendRequest, SendResult, RecordDestination, FetchFunction } from './types.js';
export { createRecordingFetch, createReplayFetch, ReplayMissError, type RecordedExchange } from './recording.js';
