import type { Command } from 'commander';

type Register = (program: Command) => void;

export interface CommandEntry {
  name: string;
  /** One line for the command list in `anthrotrace --help`. */
  summary: string;
  /** Imports the command's module, which defines its options and action. */
  load(): Promise<Register>;
}

/**
 * Every subcommand, in the order `--help` lists them. Only the module of the
 * command being run is imported, so start-up does not pay for the others.
 */
export const COMMANDS: CommandEntry[] = [
  { name: 'send', summary: 'send one prompt to the Messages API and log its usage and cost', load: async () => (await import('./send.js')).registerSend },
  { name: 'cost', summary: 'price a usage without calling the API', load: async () => (await import('./cost.js')).registerCost },
  { name: 'import', summary: 'store records from a JSON-lines file', load: async () => (await import('./import.js')).registerImport },
  { name: 'query', summary: 'list logged calls in a time range, newest first', load: async () => (await import('./query.js')).registerQuery },
  { name: 'report', summary: 'sum requests, tokens and cost, grouped by time bucket and other keys', load: async () => (await import('./report.js')).registerReport },
  { name: 'bench', summary: 'run a prompt benchmark suite and gate it against a baseline', load: async () => (await import('./bench.js')).registerBench },
  { name: 'serve-metrics', summary: 'serve totals from the store to Prometheus at /metrics', load: async () => (await import('./serve-metrics.js')).registerServeMetrics },
  { name: 'dashboard', summary: 'serve a local page with charts of cost, tokens, benchmarks and storage', load: async () => (await import('./dashboard.js')).registerDashboard },
  { name: 'flush', summary: 'deliver records kept in the local spool to the ClickHouse store', load: async () => (await import('./flush.js')).registerFlush },
];

/** Global options that take a value, so that the word after them is not read as the command name. */
const GLOBAL_OPTIONS_WITH_VALUE = new Set(['--store', '--pricing', '--cluster']);

/** Find the command that `args` (the arguments after the program name) run, if any; `help NAME` counts as NAME. */
export function invokedCommandName(args: string[]): string | undefined {
  const words: string[] = [];
  for (let index = 0; index < args.length && words.length < 2; index += 1) {
    const arg = args[index]!;
    if (GLOBAL_OPTIONS_WITH_VALUE.has(arg)) index += 1;
    else if (!arg.startsWith('-')) words.push(arg);
  }
  return words[0] === 'help' ? words[1] : words[0];
}
