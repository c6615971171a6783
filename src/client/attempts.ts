/**
 * Counts the HTTP attempts of each logical call. The client tags every call
 * with a private header. This fetch wrapper counts the attempts that carry it,
 * keeps the last response's status and request id, and removes the header
 * before the request is sent, so it reaches neither the API nor a recording.
 */
import { AnthroTraceError } from '../core/errors.js';
import type { FetchFunction } from './types.js';

export const CALL_ID_HEADER = 'x-anthrotrace-call-id';

export interface CallAttempts {
  attempts: number;
  lastStatus: number | null;
  lastRequestId: string | null;
  /** A local failure (such as a replay miss) that stopped the call before any API response. */
  localError: AnthroTraceError | null;
}

export class AttemptCounter {
  private readonly calls = new Map<string, CallAttempts>();

  constructor(private readonly inner: FetchFunction) {}

  begin(callId: string): CallAttempts {
    const state: CallAttempts = { attempts: 0, lastStatus: null, lastRequestId: null, localError: null };
    this.calls.set(callId, state);
    return state;
  }

  end(callId: string): void {
    this.calls.delete(callId);
  }

  readonly fetch: FetchFunction = async (input, init) => {
    const headers = new Headers(init?.headers);
    const callId = headers.get(CALL_ID_HEADER);
    const state = callId === null ? undefined : this.calls.get(callId);
    if (callId !== null) headers.delete(CALL_ID_HEADER);
    if (state) state.attempts += 1;

    try {
      const response = await this.inner(input, { ...init, headers });
      if (state) {
        state.lastStatus = response.status;
        state.lastRequestId = response.headers.get('request-id');
      }
      return response;
    } catch (error) {
      if (!(error instanceof AnthroTraceError) || !state) throw error;
      // The SDK would retry a thrown error as a connection failure. A local
      // failure is final, so return a status the SDK does not retry, and the
      // client rethrows the original error.
      state.localError = error;
      state.attempts -= 1;
      return new Response(JSON.stringify({ type: 'error', error: { type: 'local_error', message: error.message } }), {
        status: 400,
        headers: { 'content-type': 'application/json', 'x-should-retry': 'false' },
      });
    }
  };
}
