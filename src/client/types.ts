/**
 * The public shape of the prompt client: its constructor options, one call's
 * request and its result.
 */
import type Anthropic from '@anthropic-ai/sdk';
import type { Logger } from '../core/logger.js';
import type { PromptRecord } from '../core/record.js';
import type { Pricer } from '../pricing/index.js';
import type { RepositoryAdapter } from '../store/repository.js';

export type FetchFunction = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface AnthropicPromptClientOptions {
  /** The store for every call's record. Its `init()` must already have run. */
  repository: RepositoryAdapter;
  pricer: Pricer;
  /** Defaults to ANTHROPIC_API_KEY, as in the SDK. */
  apiKey?: string;
  /** Defaults to ANTHROPIC_BASE_URL, else https://api.anthropic.com, as in the SDK. */
  baseURL?: string;
  /** The fetch the SDK sends through; a replay or recording fetch goes here. */
  fetch?: FetchFunction;
  /** Retries the SDK makes after the first attempt (the SDK's own policy; default 2). */
  maxRetries?: number;
  /** Per-attempt timeout in milliseconds (the SDK default is 10 minutes). */
  timeoutMs?: number;
  /** Store the prompt text and the reply summary (default true). */
  storeText?: boolean;
  logger?: Logger;
  source?: 'send' | 'bench';
  /** Category for calls that give none. */
  category?: string;
  /** Tags added to every call; a call's own tags win on the same key. */
  tags?: Record<string, string>;
  /** Called with each record after it is stored (or written to the fallback file). */
  onRecord?: (record: PromptRecord) => void;
  /**
   * File that receives a record as one JSON line when the store rejects it.
   * Without it, or when appending fails too, the line goes to stderr.
   */
  fallbackPath?: string;
}

export interface SendRequest {
  model: string;
  maxTokens: number;
  system?: string | Anthropic.TextBlockParam[];
  /** A single user turn; give this or `messages`. */
  prompt?: string;
  messages?: Anthropic.MessageParam[];
  temperature?: number;
  category?: string;
  tags?: Record<string, string>;
  stream?: boolean;
  /** Called with each streamed text delta, in order. */
  onText?: (text: string) => void;
  signal?: AbortSignal;
}

/** The place a call's record was written to. */
export type RecordDestination = 'store' | 'fallback-file' | 'stderr';

export interface SendResult {
  record: PromptRecord;
  /** The reply's text blocks joined together. */
  text: string;
  /** The reply as the SDK types it; for a stream, the message assembled from its events. */
  message: Anthropic.Message;
  destination: RecordDestination;
  /** The store's error when it rejected the record; null when it was stored. */
  storeError: Error | null;
}
