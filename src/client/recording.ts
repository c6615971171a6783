/**
 * Record and replay HTTP exchanges with the API, as fetch functions the SDK
 * sends through. A recording file has one JSON line per HTTP attempt:
 *
 *   {"request":{"method","path","headers","body"},"response":{"status","headers","body"}}
 *
 * where `request.body` is the parsed JSON the SDK sent and `response.body` the
 * raw text the server returned (a JSON document or a server-sent event
 * stream). Credentials are dropped before anything is written.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { InputError } from '../core/errors.js';
import { canonicalJson } from './record-builder.js';
import type { FetchFunction } from './types.js';

export interface RecordedExchange {
  request: { method: string; path: string; headers: Record<string, string>; body: unknown };
  response: { status: number; headers: Record<string, string>; body: string };
}

/** Request headers that carry credentials. */
const CREDENTIAL_HEADERS = new Set(['x-api-key', 'authorization', 'proxy-authorization', 'cookie']);
/** Response headers that describe one connection, not the reply, or set state. */
const SKIPPED_RESPONSE_HEADERS = new Set(['set-cookie', 'connection', 'keep-alive', 'transfer-encoding', 'content-length', 'date']);

function urlOf(input: string | URL | Request): URL {
  if (typeof input === 'string') return new URL(input);
  if (input instanceof URL) return input;
  return new URL(input.url);
}

function headersWithout(headers: Headers, skipped: Set<string>): Record<string, string> {
  const kept: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (!skipped.has(name.toLowerCase())) kept[name.toLowerCase()] = value;
  });
  return kept;
}

function parseBody(body: RequestInit['body']): unknown {
  if (body === undefined || body === null) return null;
  const text = typeof body === 'string' ? body : Buffer.isBuffer(body) ? body.toString('utf8') : String(body);
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Wrap `inner` so each exchange is appended to `path` once its body has been
 * read in full. Bodies are teed, so the caller still reads a stream as it
 * arrives. Throws `InputError` at once when `path` cannot be opened for
 * appending. A later write failure goes to `onWriteError` (default: a warning
 * on stderr), because the call itself succeeded and its record is kept.
 */
export function createRecordingFetch(
  path: string,
  inner: FetchFunction,
  onWriteError: (error: Error) => void = (error) => process.stderr.write(`warning: recording to ${path} failed: ${error.message}\n`),
): FetchFunction {
  try {
    appendFileSync(path, '');
  } catch (error) {
    throw new InputError(`cannot write recording file ${path}: ${(error as Error).message}; choose a writable path for --record`);
  }

  return async (input, init) => {
    const url = urlOf(input);
    const request = {
      method: (init?.method ?? 'GET').toUpperCase(),
      path: url.pathname,
      headers: headersWithout(new Headers(init?.headers), CREDENTIAL_HEADERS),
      body: parseBody(init?.body),
    };
    const response = await inner(input, init);
    if (!response.body) {
      try {
        append(path, { request, response: { status: response.status, headers: headersWithout(response.headers, SKIPPED_RESPONSE_HEADERS), body: '' } });
      } catch (error) {
        onWriteError(error as Error);
      }
      return response;
    }

    const [forCaller, forFile] = response.body.tee();
    const headers = headersWithout(response.headers, SKIPPED_RESPONSE_HEADERS);
    const written = new Response(forFile).text().then(
      (body) => {
        try {
          append(path, { request, response: { status: response.status, headers, body } });
        } catch (error) {
          onWriteError(error as Error);
        }
      },
      () => {
        // The caller reads the same broken body and reports it. A partial exchange is not worth replaying.
      },
    );
    // The caller's body ends only after the exchange is on disk, so a replay right after a call finds it.
    const body = forCaller.pipeThrough(new TransformStream({ flush: () => written }));
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

function append(path: string, exchange: RecordedExchange): void {
  appendFileSync(path, `${JSON.stringify(exchange)}\n`);
}

/** A request that the replay file has no (or no more) recorded responses for. */
export class ReplayMissError extends InputError {}

function exchangeKey(method: string, path: string, body: unknown): string {
  return `${method} ${path} ${canonicalJson(body)}`;
}

/**
 * Read the exchanges in `path` into a fetch that serves them without any
 * network. A request matches by method, path and canonical JSON body;
 * identical requests get their recorded responses in order. Throws
 * `InputError` when the file cannot be read or parsed.
 */
export function createReplayFetch(path: string): FetchFunction {
  const queues = loadExchanges(path);
  const served = new Map<string, number>();

  return async (input, init) => {
    const url = urlOf(input);
    const method = (init?.method ?? 'GET').toUpperCase();
    const body = parseBody(init?.body);
    const key = exchangeKey(method, url.pathname, body);
    const exchange = queues.get(key)?.shift();
    if (!exchange) throw new ReplayMissError(missMessage(path, body, served.get(key) ?? 0));
    served.set(key, (served.get(key) ?? 0) + 1);

    const { status, headers, body: text } = exchange.response;
    // A null-body status such as 204 must be built without a body.
    return new Response(status === 204 || status === 304 ? null : text, { status, headers });
  };
}

/** Only a missing file is fixed by recording one; a directory or an unreadable file needs another path. */
function replayReadMessage(path: string, error: NodeJS.ErrnoException): string {
  const head = `cannot read replay file ${path}`;
  switch (error.code) {
    case 'ENOENT':
      return `${head}: file not found; create it with --record ${path}`;
    case 'EISDIR':
      return `${head}: it is a directory; pass the JSON Lines file that --record wrote`;
    case 'EACCES':
    case 'EPERM':
      return `${head}: permission denied; make it readable or pass another file`;
    default:
      return `${head}: ${error.message}; pass the JSON Lines file that --record wrote`;
  }
}

function loadExchanges(path: string): Map<string, RecordedExchange[]> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InputError(replayReadMessage(path, error as NodeJS.ErrnoException));
  }

  const queues = new Map<string, RecordedExchange[]>();
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    let exchange: RecordedExchange;
    try {
      exchange = JSON.parse(line) as RecordedExchange;
    } catch {
      throw new InputError(`invalid replay file ${path}: line ${index + 1} is not JSON`);
    }
    if (typeof exchange?.request?.path !== 'string' || typeof exchange?.response?.status !== 'number') {
      throw new InputError(`invalid replay file ${path}: line ${index + 1} lacks request.path or response.status`);
    }
    const key = exchangeKey(exchange.request.method ?? 'POST', exchange.request.path, exchange.request.body);
    const queue = queues.get(key) ?? [];
    queue.push(exchange);
    queues.set(key, queue);
  });
  return queues;
}

function missMessage(path: string, body: unknown, alreadyServed: number): string {
  const model = typeof (body as { model?: unknown })?.model === 'string' ? (body as { model: string }).model : 'unknown';
  const what =
    alreadyServed > 0
      ? `all ${alreadyServed} recorded responses for this request to model ${model} in ${path} were already served`
      : `no recorded response in ${path} matches this request to model ${model}`;
  return `${what}; record one by running the same command with an API key and --record ${path}`;
}
