/**
 * A loopback stand-in for the Anthropic Messages API, always driven through
 * the real SDK. It follows the wire format of POST /v1/messages (JSON and
 * server-sent events) and POST /v1/messages/count_tokens as documented at
 * https://docs.claude.com/en/api/getting-started,
 * https://platform.claude.com/docs/en/build-with-claude/streaming and
 * https://docs.claude.com/en/api/errors.
 *
 * Each request is answered by the next queued response, else by the handler,
 * else by a default reply whose usage is derived from the prompt's length.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Wire-format usage, snake_case as the API sends it. */
export type WireUsage = Record<string, unknown>;

export type FakeResponse =
  /** A message, sent as JSON or as an SSE stream depending on the request's `stream` field. */
  | {
      type: 'reply';
      text?: string;
      model?: string;
      stopReason?: string;
      /** The JSON reply's usage, or the stream's `message_start` usage. */
      usage?: WireUsage;
      /** The stream's final `message_delta` usage; defaults to the full usage restated. */
      deltaUsage?: WireUsage;
      /** How a stream ends: normally, closed before `message_stop`, or with an `error` event after some text. */
      streamEnd?: 'complete' | 'no-message-stop' | 'error-event';
      streamErrorType?: string;
      /** Characters per `text_delta` event. */
      chunkSize?: number;
      headers?: Record<string, string>;
    }
  | {
      type: 'error';
      status: number;
      errorType: string;
      message?: string;
      /** Sent as `retry-after` (seconds). */
      retryAfter?: number;
      /** Sent as `retry-after-ms`, which the SDK prefers; keeps retry tests fast. */
      retryAfterMs?: number;
      headers?: Record<string, string>;
    }
  | { type: 'raw'; status: number; headers: Record<string, string>; body: string };

export interface FakeRequest {
  method: string;
  path: string;
  /** Lower-case header names; x-api-key, authorization and cookie are removed. */
  headers: Record<string, string>;
  body: any;
  /** The SDK's `x-stainless-retry-count`: 0 on the first attempt. */
  retryCount: number;
  /**
   * Whether the request carried a credential: `x-api-key`, or `authorization: Bearer`,
   * which @anthropic-ai/sdk 1.17 sends for an API key. The value is never kept.
   */
  hadCredentials: boolean;
}

export type FakeHandler = (request: FakeRequest) => FakeResponse | undefined;

export interface FakeAnthropicOptions {
  /** Delay before each response starts, in milliseconds. */
  latencyMs?: number;
  /** Delay between streamed events, in milliseconds. */
  eventDelayMs?: number;
  handler?: FakeHandler;
  /** When set, a request with another key (in x-api-key or a bearer token) gets 401 authentication_error. */
  apiKey?: string;
}

export interface FakeAnthropic {
  /** Base URL for the SDK's `baseURL`, such as `http://127.0.0.1:40123`. */
  url: string;
  requests: FakeRequest[];
  /** Requests to /v1/messages/count_tokens so far. */
  countTokensCalls: number;
  /** Queue responses for the next requests to /v1/messages, in order. */
  enqueue(...responses: FakeResponse[]): void;
  setHandler(handler: FakeHandler | undefined): void;
  close(): Promise<void>;
}

const SECRET_HEADERS = new Set(['x-api-key', 'authorization', 'cookie', 'proxy-authorization']);
export const DEFAULT_REPLY_TEXT = 'Ledger lines balance,\nevery token has its price,\nnothing left unbilled.';
const DEFAULT_MODEL = 'claude-sonnet-4-5-20250929';

let requestCounter = 0;

/** Make an id in the API's format, such as `req_` followed by 24 base-62 characters. */
export function fakeId(prefix: string): string {
  requestCounter += 1;
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789';
  let text = '011C';
  let seed = requestCounter * 2654435761 + Date.now();
  for (let i = 0; i < 20; i++) {
    text += alphabet[seed % alphabet.length];
    seed = Math.floor(seed / alphabet.length) + requestCounter * 7919 + i * 104729;
  }
  return `${prefix}_${text}`;
}

/** Estimate a token count as one token per four characters, at least one. */
export function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

function promptCharacters(body: any): string {
  const parts: string[] = [];
  const collect = (content: unknown) => {
    if (typeof content === 'string') parts.push(content);
    else if (Array.isArray(content)) for (const block of content) if (typeof block?.text === 'string') parts.push(block.text);
  };
  collect(body?.system);
  for (const message of body?.messages ?? []) collect(message?.content);
  return parts.join('\n');
}

export async function startFakeAnthropic(options: FakeAnthropicOptions = {}): Promise<FakeAnthropic> {
  const queue: FakeResponse[] = [];
  let handler = options.handler;
  const state: FakeAnthropic = {
    url: '',
    requests: [],
    countTokensCalls: 0,
    enqueue: (...responses) => void queue.push(...responses),
    setHandler: (next) => void (handler = next),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  const server = createServer((incoming, outgoing) => {
    void serve(incoming, outgoing).catch((error) => {
      outgoing.destroy(error instanceof Error ? error : new Error(String(error)));
    });
  });

  async function serve(incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
    const request = await readRequest(incoming);
    state.requests.push(request);
    if (options.latencyMs) await sleep(options.latencyMs);

    if (options.apiKey !== undefined && credentialOf(incoming) !== options.apiKey) {
      return sendError(outgoing, { type: 'error', status: 401, errorType: 'authentication_error', message: 'invalid x-api-key' });
    }
    if (request.method === 'POST' && request.path === '/v1/messages/count_tokens') {
      state.countTokensCalls += 1;
      return sendJson(outgoing, 200, { input_tokens: estimateTokens(promptCharacters(request.body)) }, {});
    }
    if (request.method !== 'POST' || request.path !== '/v1/messages') {
      return sendError(outgoing, { type: 'error', status: 404, errorType: 'not_found_error', message: `Not found: ${request.path}` });
    }

    const response = queue.shift() ?? handler?.(request) ?? { type: 'reply' };
    if (response.type === 'error') return sendError(outgoing, response);
    if (response.type === 'raw') {
      outgoing.writeHead(response.status, { 'request-id': fakeId('req'), ...response.headers });
      outgoing.end(response.body);
      return;
    }
    const message = buildMessage(request.body, response);
    if (request.body?.stream === true) return sendStream(outgoing, message, response, options.eventDelayMs ?? 0);
    return sendJson(outgoing, 200, message, response.headers ?? {});
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}

function credentialOf(incoming: IncomingMessage): string | null {
  const apiKey = incoming.headers['x-api-key'];
  if (typeof apiKey === 'string') return apiKey;
  const authorization = incoming.headers.authorization;
  return authorization?.startsWith('Bearer ') ? authorization.slice('Bearer '.length) : null;
}

async function readRequest(incoming: IncomingMessage): Promise<FakeRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (!SECRET_HEADERS.has(name) && value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  let body: unknown = text;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    // Keep the raw text, so the request log shows what was sent.
  }
  const url = new URL(incoming.url ?? '/', 'http://127.0.0.1');
  return {
    method: incoming.method ?? 'GET',
    path: url.pathname,
    headers,
    body,
    retryCount: Number(headers['x-stainless-retry-count'] ?? 0),
    hadCredentials: credentialOf(incoming) !== null,
  };
}

function buildMessage(body: any, reply: Extract<FakeResponse, { type: 'reply' }>) {
  const text = reply.text ?? DEFAULT_REPLY_TEXT;
  const usage = reply.usage ?? {
    input_tokens: estimateTokens(promptCharacters(body)),
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
    output_tokens: estimateTokens(text),
    service_tier: 'standard',
    inference_geo: 'global',
  };
  // Key order follows a recorded 2026 reply: model, id, type, role, content, ... usage.
  return {
    model: reply.model ?? (typeof body?.model === 'string' && body.model.includes('-20') ? body.model : modelFor(body?.model)),
    id: fakeId('msg'),
    type: 'message',
    role: 'assistant',
    content: [{ type: 'text', text }],
    container: null,
    stop_reason: reply.stopReason ?? 'end_turn',
    stop_sequence: null,
    stop_details: null,
    usage,
  };
}

/** Map an alias to the dated snapshot the API reports in `model`. */
function modelFor(requested: unknown): string {
  const snapshots: Record<string, string> = {
    'claude-sonnet-4-5': 'claude-sonnet-4-5-20250929',
    'claude-haiku-4-5': 'claude-haiku-4-5-20251001',
    'claude-opus-4-1': 'claude-opus-4-1-20250805',
  };
  if (typeof requested !== 'string') return DEFAULT_MODEL;
  return snapshots[requested] ?? requested;
}

function sendJson(outgoing: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  const text = JSON.stringify(body);
  outgoing.writeHead(status, {
    'content-type': 'application/json',
    'request-id': fakeId('req'),
    'anthropic-organization-id': '00000000-0000-4000-8000-000000000000',
    ...headers,
  });
  outgoing.end(text);
}

function sendError(outgoing: ServerResponse, error: Extract<FakeResponse, { type: 'error' }>): void {
  const requestId = fakeId('req');
  const headers: Record<string, string> = { 'request-id': requestId, ...error.headers };
  if (error.retryAfter !== undefined) headers['retry-after'] = String(error.retryAfter);
  if (error.retryAfterMs !== undefined) headers['retry-after-ms'] = String(error.retryAfterMs);
  sendJson(
    outgoing,
    error.status,
    { type: 'error', error: { type: error.errorType, message: error.message ?? defaultErrorMessage(error.errorType) }, request_id: requestId },
    headers,
  );
}

function defaultErrorMessage(type: string): string {
  const messages: Record<string, string> = {
    rate_limit_error: 'Number of request tokens has exceeded your per-minute rate limit',
    overloaded_error: 'Overloaded',
    authentication_error: 'invalid x-api-key',
    not_found_error: 'model: not found',
    api_error: 'Internal server error',
  };
  return messages[type] ?? 'Error';
}

async function sendStream(
  outgoing: ServerResponse,
  message: ReturnType<typeof buildMessage>,
  reply: Extract<FakeResponse, { type: 'reply' }>,
  eventDelayMs: number,
): Promise<void> {
  outgoing.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'request-id': fakeId('req'),
    'anthropic-organization-id': '00000000-0000-4000-8000-000000000000',
    ...reply.headers,
  });
  const send = async (event: string, data: unknown) => {
    outgoing.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    if (eventDelayMs) await sleep(eventDelayMs);
  };

  const text = (message.content[0] as { text: string }).text;
  const startUsage = reply.usage ?? { ...message.usage, output_tokens: 1 };
  await send('message_start', {
    type: 'message_start',
    message: { ...message, content: [], stop_reason: null, stop_sequence: null, stop_details: null, usage: startUsage },
  });
  await send('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
  await send('ping', { type: 'ping' });

  const chunkSize = reply.chunkSize ?? 12;
  const chunks: string[] = [];
  for (let i = 0; i < text.length; i += chunkSize) chunks.push(text.slice(i, i + chunkSize));
  const end = reply.streamEnd ?? 'complete';
  const sent = end === 'error-event' ? chunks.slice(0, Math.max(1, Math.floor(chunks.length / 2))) : chunks;
  for (const chunk of sent) {
    await send('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: chunk } });
  }
  if (end === 'error-event') {
    await send('error', { type: 'error', error: { type: reply.streamErrorType ?? 'overloaded_error', message: 'Overloaded' } });
    outgoing.end();
    return;
  }

  await send('content_block_stop', { type: 'content_block_stop', index: 0 });
  const { cache_creation: _split, service_tier: _tier, inference_geo: _geo, ...cumulative } = message.usage as WireUsage;
  await send('message_delta', {
    type: 'message_delta',
    delta: { stop_reason: message.stop_reason, stop_sequence: null, stop_details: null },
    usage: reply.deltaUsage ?? cumulative,
  });
  if (end === 'no-message-stop') {
    outgoing.end();
    return;
  }
  await send('message_stop', { type: 'message_stop' });
  outgoing.end();
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
