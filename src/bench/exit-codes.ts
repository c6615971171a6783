/**
 * Exit codes and flag values of `anthrotrace bench`, shared by the command
 * and the code it runs. 0, 1, 2 and 130 are the codes of every command
 * (src/core/errors.ts); a regression exits 1.
 */

/** The run completed, but at least one case failed on every call. */
export const EXIT_CASE_FAILED = 3;

/** The suite run's flags as commander parses them (text until validated). */
export interface BenchFlags {
  var: string[];
  concurrency: string;
  format: 'table' | 'json' | 'csv';
  output?: string;
  markdown?: string;
  junit?: string;
  baseline?: string;
  updateBaseline?: boolean;
  maxCostIncrease: string;
  maxInputTokenIncrease: string;
  maxOutputTokenIncrease: string;
  maxLatencyIncrease: string;
  minCostDelta: string;
  minTokenDelta: string;
  minLatencyDeltaMs: string;
  replay?: string;
  record?: string;
  dryRun?: boolean;
  maxRetries: string;
  /** False with --no-store-text. */
  storeText?: boolean;
}

/** The part of the command line's context (`CliContext`) that the bench code uses. */
export interface BenchIo {
  options: { store?: string; pricing?: string };
  /** The config file's settings, when the caller read one. */
  config?: import('../cli/config.js').UserConfig;
  logger: import('../core/logger.js').Logger;
  env: NodeJS.ProcessEnv;
  writeOut(text: string): Promise<void>;
  /** Whether a spinner may be drawn on stderr. */
  interactive: boolean;
}
