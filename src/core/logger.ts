/**
 * A levelled logger writing one line per message to stderr, so stdout carries
 * only data. The level comes from `--verbose` (DEBUG), `--quiet` (ERROR) or
 * the LOG_LEVEL environment variable (DEBUG, INFO, WARN, ERROR; default INFO).
 */

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

const LEVEL_ORDER: Record<LogLevel, number> = { DEBUG: 10, INFO: 20, WARN: 30, ERROR: 40 };
export const LOG_LEVELS = Object.keys(LEVEL_ORDER) as LogLevel[];

export interface Logger {
  readonly level: LogLevel;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export function parseLogLevel(text: string | undefined): LogLevel | undefined {
  if (text === undefined || text === '') return undefined;
  const upper = text.toUpperCase();
  if (upper === 'WARNING') return 'WARN';
  return upper in LEVEL_ORDER ? (upper as LogLevel) : undefined;
}

export function createLogger(level: LogLevel, write: (line: string) => void = (line) => process.stderr.write(line)): Logger {
  const threshold = LEVEL_ORDER[level];
  const emit = (messageLevel: LogLevel, prefix: string, message: string) => {
    if (LEVEL_ORDER[messageLevel] >= threshold) write(`${prefix}${message}\n`);
  };
  return {
    level,
    debug: (message) => emit('DEBUG', 'debug: ', message),
    info: (message) => emit('INFO', '', message),
    warn: (message) => emit('WARN', 'warning: ', message),
    error: (message) => emit('ERROR', 'error: ', message),
  };
}

/** A logger that drops everything; the default for library users who pass none. */
export const silentLogger: Logger = createLogger('ERROR', () => undefined);
