/**
 * Errors that reach the user. Each carries the process exit code, and its
 * message is one line: what failed, the value, and what to do.
 */

export const EXIT_OK = 0;
/** The operation failed: the API, the store or a file could not do what was asked. */
export const EXIT_FAILURE = 1;
/** Invalid usage or input: a flag, a value or a file that cannot be accepted. */
export const EXIT_USAGE = 2;
/** Interrupted by SIGINT or SIGTERM after in-flight work was saved. */
export const EXIT_INTERRUPTED = 130;

export class AnthroTraceError extends Error {
  readonly exitCode: number;

  constructor(message: string, exitCode: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.exitCode = exitCode;
  }
}

/** Invalid usage or input (exit code 2). */
export class InputError extends AnthroTraceError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, EXIT_USAGE, options);
  }
}

/** The operation failed (exit code 1). */
export class OperationError extends AnthroTraceError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, EXIT_FAILURE, options);
  }
}
