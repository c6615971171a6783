/**
 * What every command receives: the global options, a logger and the output
 * streams. Commands write data to stdout and everything else to stderr.
 */
import type { Command } from 'commander';
import { createLogger, parseLogLevel, type Logger, type LogLevel } from '../core/logger.js';
import { InputError } from '../core/errors.js';
import { loadUserConfig, type UserConfig } from './config.js';

export interface GlobalOptions {
  store?: string;
  cluster?: string;
  pricing?: string;
  verbose?: boolean;
  quiet?: boolean;
}

export interface CliContext {
  options: GlobalOptions;
  /** The config file's settings; `options` already has its store and pricing filled in where flag and environment left them out. */
  config: UserConfig;
  logger: Logger;
  env: NodeJS.ProcessEnv;
  /** Write data to stdout and wait until it is flushed. */
  writeOut(text: string): Promise<void>;
  /** Whether stderr is a terminal and colour is allowed (NO_COLOR unset or empty). */
  interactive: boolean;
  color: boolean;
}

export function logLevelFor(options: GlobalOptions, env: NodeJS.ProcessEnv): LogLevel {
  if (options.verbose) return 'DEBUG';
  if (options.quiet) return 'ERROR';
  const fromEnv = env.LOG_LEVEL;
  const level = parseLogLevel(fromEnv);
  if (fromEnv && !level) {
    throw new InputError(`invalid LOG_LEVEL ${JSON.stringify(fromEnv)}: use DEBUG, INFO, WARN or ERROR`);
  }
  return level ?? 'INFO';
}

export function writeToStdout(text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (text === '') return resolve();
    process.stdout.write(text, (error) => (error ? reject(error) : resolve()));
  });
}

/** Colour follows one rule: off when NO_COLOR is set to anything non-empty, on when FORCE_COLOR is set, else when stderr is a terminal. */
export function colorEnabled(env: NodeJS.ProcessEnv, isTty: boolean): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return isTty;
}

/** Add `cluster=NAME` to a ClickHouse store URL; the store validates the name. */
function withCluster(store: string | undefined, cluster: string): string {
  if (store === undefined || !/^clickhouses?:\/\//i.test(store)) {
    throw new InputError(`--cluster ${JSON.stringify(cluster)} needs a ClickHouse store: add --store clickhouse://host:8123/database`);
  }
  const url = new URL(store);
  url.searchParams.set('cluster', cluster);
  return url.toString();
}

export function createContext(command: Command): CliContext {
  const options = command.optsWithGlobals<GlobalOptions>();
  const env = process.env;
  const config = loadUserConfig(env);
  if (options.store === undefined && !env.ANTHROTRACE_STORE && config.store !== undefined) options.store = config.store;
  if (options.pricing === undefined && !env.ANTHROTRACE_PRICING && config.pricing !== undefined) options.pricing = config.pricing;
  if (options.cluster !== undefined) options.store = withCluster(options.store ?? env.ANTHROTRACE_STORE, options.cluster);
  const logger = createLogger(logLevelFor(options, env));
  const interactive = Boolean(process.stderr.isTTY) && !env.CI;
  return {
    options,
    config,
    logger,
    env,
    writeOut: writeToStdout,
    interactive,
    color: colorEnabled(env, Boolean(process.stderr.isTTY)),
  };
}
