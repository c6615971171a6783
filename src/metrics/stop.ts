/**
 * Waiting for a long-running command to be stopped: by a time limit, SIGINT
 * or SIGTERM, whichever comes first.
 */

export type StopReason = 'duration' | 'SIGINT' | 'SIGTERM';

/** Resolve when `durationMs` has passed (never when undefined) or a stop signal arrives, then remove the handlers. */
export function waitForStop(durationMs: number | undefined): Promise<StopReason> {
  return new Promise((resolve) => {
    const stop = (reason: StopReason) => {
      clearTimeout(timer);
      process.off('SIGINT', onInterrupt);
      process.off('SIGTERM', onTerminate);
      resolve(reason);
    };
    const onInterrupt = () => stop('SIGINT');
    const onTerminate = () => stop('SIGTERM');
    const timer = durationMs === undefined ? undefined : setTimeout(() => stop('duration'), durationMs);
    process.once('SIGINT', onInterrupt);
    process.once('SIGTERM', onTerminate);
  });
}
