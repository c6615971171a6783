/**
 * Turning SDK failures into the record's error fields and a one-line message.
 */
import Anthropic from '@anthropic-ai/sdk';
import { OperationError } from '../core/errors.js';
import type { PromptRecord } from '../core/record.js';

/** A Messages API call that failed. Its record was stored (or saved to the fallback) before this was thrown. */
export class PromptCallError extends OperationError {
  constructor(
    message: string,
    readonly record: PromptRecord,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The error type of a stream that closed before its `message_stop` event. */
export const INCOMPLETE_STREAM = 'incomplete_stream';

export interface ErrorDetails {
  /** `error.type` from the API body, else the SDK error class name. */
  errorType: string;
  /** The failing response's HTTP status; null when no response arrived. */
  httpStatus: number | null;
  requestId: string | null;
  /** The API's own explanation, or the error message. */
  detail: string;
}

/** Read the error type, HTTP status and request id from an SDK error or any other thrown value. */
export function describeError(error: unknown): ErrorDetails {
  if (error instanceof Anthropic.APIError) {
    const body = error.error as { error?: { type?: unknown; message?: unknown } } | undefined;
    const bodyType = typeof body?.error?.type === 'string' ? body.error.type : null;
    const bodyMessage = typeof body?.error?.message === 'string' ? body.error.message : null;
    return {
      errorType: error.type ?? bodyType ?? error.constructor.name,
      httpStatus: typeof error.status === 'number' ? error.status : null,
      requestId: error.requestID ?? null,
      detail: bodyMessage ?? error.message,
    };
  }
  if (error instanceof Error) return { errorType: error.constructor.name, httpStatus: null, requestId: null, detail: error.message };
  return { errorType: 'Error', httpStatus: null, requestId: null, detail: String(error) };
}

const HINTS: Record<string, string> = {
  authentication_error: 'check ANTHROPIC_API_KEY',
  permission_error: 'check that the API key may use this model',
  not_found_error: 'check the model id',
  rate_limit_error: 'wait and try again, or lower the request rate',
  overloaded_error: 'the API is overloaded: try again later',
  [INCOMPLETE_STREAM]: 'the connection closed early: try again',
};

/** Format one line with the HTTP status, the error type, the request id, the API's message and what to do. */
export function callErrorMessage(model: string, details: ErrorDetails, streamed: boolean): string {
  const status = details.httpStatus === null ? 'no HTTP status' : `HTTP ${details.httpStatus}`;
  const during = streamed && details.httpStatus === 200 ? ' during the stream' : '';
  const request = details.requestId === null ? 'no request id' : `request ${details.requestId}`;
  const hint = HINTS[details.errorType];
  const detail = details.detail.replace(/\s+/g, ' ').trim();
  return `Messages API call for model ${model} failed${during}: ${status}, ${details.errorType}, ${request}: ${detail}${hint ? `; ${hint}` : ''}`;
}
