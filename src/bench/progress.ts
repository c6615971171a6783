/**
 * Progress on stderr: an ora spinner when stderr is a terminal outside CI and
 * stdout carries the table, nothing otherwise. Log lines written while the
 * spinner runs clear it first, so the two do not mix on one line.
 */
import { createLogger, type Logger } from '../core/logger.js';
import type { BenchIo } from './exit-codes.js';

export interface Progress {
  /** The logger to use while the spinner may be drawn. */
  logger: Logger;
  update(done: number, total: number, caseName: string, status: string): void;
  stop(): void;
}

/** Pass `total` 0 for no spinner, as with a machine-readable format. */
export async function startProgress(io: BenchIo, total: number): Promise<Progress> {
  // ora 8 divides by the terminal width, and a terminal that reports 0 columns (as under `script`) makes it loop forever.
  const widthKnown = (process.stderr.columns ?? 80) > 0;
  if (!io.interactive || total === 0 || !widthKnown) return { logger: io.logger, update: () => undefined, stop: () => undefined };

  const { default: ora } = await import('ora');
  const spinner = ora({ text: `0/${total} calls`, stream: process.stderr }).start();
  let failed = 0;
  const logger = createLogger(io.logger.level, (line) => {
    spinner.clear();
    process.stderr.write(line);
    spinner.render();
  });
  return {
    logger,
    update: (done, all, caseName, status) => {
      if (status !== 'ok') failed += 1;
      spinner.text = `${done}/${all} calls${failed > 0 ? `, ${failed} failed` : ''}: ${caseName}`;
    },
    stop: () => spinner.stop(),
  };
}
