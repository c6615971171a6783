/**
 * `AnthropicPromptClient`: sends Messages API calls through the official SDK
 * and stores one priced record per logical call, failed calls included.
 */
import { randomUUID } from 'node:crypto';
import Anthropic from '@anthropic-ai/sdk';
import { InputError } from '../core/errors.js';
import { silentLogger, type Logger } from '../core/logger.js';
import type { PromptRecord } from '../core/record.js';
import type { ApiUsage } from '../core/usage.js';
import type { Pricer } from '../pricing/index.js';
import type { RepositoryAdapter } from '../store/repository.js';
import { AttemptCounter, type CallAttempts } from './attempts.js';
import { INCOMPLETE_STREAM, PromptCallError, callErrorMessage, describeError, type ErrorDetails } from './errors.js';
import { saveToFallback } from './fallback.js';
import { buildRecord, promptHash, promptTextOf, type CallOutcome } from './record-builder.js';
import { messagesOf, paramsOf, requestOptions } from './request.js';
import { StreamAccumulator, textOf } from './stream-accumulator.js';
import type { AnthropicPromptClientOptions, RecordDestination, SendRequest, SendResult } from './types.js';

/** The outcome of one logical call (retries included), before it becomes a record. */
interface Exchange {
  message: Anthropic.Message | null;
  usage: ApiUsage | null;
  requestId: string | null;
  httpStatus: number | null;
  firstTextAt: number | null;
  error: ErrorDetails | null;
  cause: unknown;
}

export class AnthropicPromptClient {
  private readonly anthropic: Anthropic;
  private readonly counter: AttemptCounter;
  private readonly repository: RepositoryAdapter;
  private readonly pricer: Pricer;
  private readonly logger: Logger;
  private readonly options: AnthropicPromptClientOptions;

  constructor(options: AnthropicPromptClientOptions) {
    this.options = options;
    this.repository = options.repository;
    this.pricer = options.pricer;
    this.logger = options.logger ?? silentLogger;
    this.counter = new AttemptCounter(options.fetch ?? ((input, init) => fetch(input, init)));
    this.anthropic = new Anthropic({
      ...(options.apiKey !== undefined ? { apiKey: options.apiKey } : {}),
      ...(options.baseURL !== undefined ? { baseURL: options.baseURL } : {}),
      ...(options.maxRetries !== undefined ? { maxRetries: options.maxRetries } : {}),
      ...(options.timeoutMs !== undefined ? { timeout: options.timeoutMs } : {}),
      fetch: this.counter.fetch,
    });
  }

  /**
   * Send one call and store its record. Throws `PromptCallError` (carrying the
   * stored record) when the API call fails, `InputError` for an invalid request
   * or one the SDK rejects before sending, and `ReplayMissError` when a replay
   * file has no matching response. Neither of the last two stores a record.
   */
  async send(request: SendRequest): Promise<SendResult> {
    const messages = messagesOf(request);
    const callId = randomUUID();
    const attempts = this.counter.begin(callId);
    const startedAt = Date.now();

    let exchange: Exchange;
    try {
      exchange = request.stream
        ? await this.sendStreaming(request, messages, callId, attempts)
        : await this.sendOnce(request, messages, callId, attempts);
    } finally {
      this.counter.end(callId);
    }
    // A local failure such as a replay miss never reached the API, so there is nothing to record.
    if (attempts.localError) throw attempts.localError;
    // The SDK rejected the request before sending it, such as a non-streamed call with a
    // max_tokens so large that it may run past 10 minutes. Nothing was sent or billed.
    if (attempts.attempts === 0 && exchange.error) {
      throw new InputError(notSentMessage(request.model, exchange.error.detail), { cause: exchange.cause });
    }

    const finishedAt = Date.now();
    const storeText = this.options.storeText ?? true;
    const replyText = exchange.message ? textOf(exchange.message) : '';
    const outcome: CallOutcome = {
      id: callId,
      startedAt: new Date(startedAt),
      durationMs: finishedAt - startedAt,
      timeToFirstTokenMs: exchange.firstTextAt === null ? null : exchange.firstTextAt - startedAt,
      modelRequested: request.model,
      category: request.category ?? this.options.category ?? null,
      tags: { ...this.options.tags, ...request.tags },
      source: this.options.source ?? 'send',
      attempts: Math.max(attempts.attempts, 1),
      requestId: exchange.requestId ?? attempts.lastRequestId,
      message: exchange.message,
      usage: exchange.usage,
      status: exchange.error ? 'error' : 'ok',
      errorType: exchange.error?.errorType ?? null,
      httpStatus: exchange.httpStatus,
      promptHash: promptHash(request.system, messages),
      promptText: storeText ? promptTextOf(messages) : null,
      replyText: storeText && exchange.message ? replyText : null,
    };
    const record = buildRecord(outcome, this.pricer, this.logger);
    const { destination, storeError } = await this.store(record);
    this.logCall(record);

    if (exchange.error) {
      throw new PromptCallError(callErrorMessage(request.model, exchange.error, Boolean(request.stream)), record, {
        cause: exchange.cause,
      });
    }
    return { record, text: replyText, message: exchange.message!, destination, storeError };
  }

  private async sendOnce(
    request: SendRequest,
    messages: Anthropic.MessageParam[],
    callId: string,
    attempts: CallAttempts,
  ): Promise<Exchange> {
    try {
      const { data, response } = await this.anthropic.messages
        .create(paramsOf(request, messages), requestOptions(request, callId))
        .withResponse();
      return {
        message: data,
        usage: data.usage as ApiUsage,
        requestId: response.headers.get('request-id'),
        httpStatus: response.status,
        firstTextAt: null,
        error: null,
        cause: null,
      };
    } catch (error) {
      const details = describeError(error);
      return {
        message: null,
        usage: null,
        requestId: details.requestId ?? attempts.lastRequestId,
        httpStatus: details.httpStatus,
        firstTextAt: null,
        error: details,
        cause: error,
      };
    }
  }

  /**
   * Stream the reply, passing text to `onText` as it arrives. A stream that
   * fails after the HTTP 200, by an `error` event or by closing before
   * `message_stop`, keeps the usage it reported so far: those tokens were
   * generated and are billed.
   */
  private async sendStreaming(
    request: SendRequest,
    messages: Anthropic.MessageParam[],
    callId: string,
    attempts: CallAttempts,
  ): Promise<Exchange> {
    const accumulator = new StreamAccumulator();
    let requestId: string | null = null;
    let httpStatus: number | null = null;
    let error: ErrorDetails | null = null;
    let cause: unknown = null;

    try {
      const { data: stream, response } = await this.anthropic.messages
        .create({ ...paramsOf(request, messages), stream: true as const }, requestOptions(request, callId))
        .withResponse();
      requestId = response.headers.get('request-id');
      httpStatus = response.status;
      for await (const event of stream) {
        const text = accumulator.apply(event, Date.now());
        if (text !== null && request.onText) request.onText(text);
      }
      if (!accumulator.sawMessageStop) {
        error = { errorType: INCOMPLETE_STREAM, httpStatus, requestId, detail: 'the stream closed before its message_stop event' };
      }
    } catch (thrown) {
      error = describeError(thrown);
      cause = thrown;
      // An `error` event arrives after the HTTP 200, and the SDK reports it without a status.
      if (error.httpStatus === null) error.httpStatus = httpStatus;
      error.requestId ??= requestId ?? attempts.lastRequestId;
    }

    return {
      message: accumulator.message,
      usage: accumulator.usage,
      requestId: requestId ?? error?.requestId ?? null,
      httpStatus: error ? error.httpStatus : httpStatus,
      firstTextAt: accumulator.firstTextAt,
      error,
      cause,
    };
  }

  private async store(record: PromptRecord): Promise<{ destination: RecordDestination; storeError: Error | null }> {
    let destination: RecordDestination = 'store';
    let storeError: Error | null = null;
    try {
      const { duplicates } = await this.repository.insert([record]);
      if (duplicates > 0) {
        // A replayed call carries the request id of the recorded one, so the store keeps the earlier record.
        this.logger.info(`request ${record.requestId ?? 'none'} was already stored; the store kept the earlier record`);
      }
    } catch (error) {
      storeError = error instanceof Error ? error : new Error(String(error));
      destination = saveToFallback(record, storeError, this.options.fallbackPath, this.logger);
    }

    if (this.options.onRecord) {
      try {
        this.options.onRecord(record);
      } catch (error) {
        this.logger.warn(`onRecord hook failed for record ${record.id}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return { destination, storeError };
  }

  private logCall(record: PromptRecord): void {
    const errorPart = record.errorType ? ` error_type=${record.errorType}` : '';
    const httpPart = record.httpStatus === null ? '' : ` http_status=${record.httpStatus}`;
    this.logger.info(
      `call request_id=${record.requestId ?? 'none'} model=${record.modelRequested} status=${record.status}${errorPart}${httpPart} duration_ms=${record.durationMs} attempts=${record.attempts}`,
    );
  }
}

function notSentMessage(model: string, detail: string): string {
  const firstSentence = detail.split(/(?<=\.) /)[0] ?? detail;
  const hint = /streaming is required/i.test(detail) ? ': stream the reply (--stream) or lower max tokens' : '';
  return `request to model ${model} was not sent: ${firstSentence}${hint}`;
}
