/**
 * The `anthrotrace` command line. Only the invoked command's module is
 * imported, and command modules load heavy dependencies (the SDK, database
 * drivers, prom-client) inside their actions, so start-up stays fast.
 */
import { Command, CommanderError, Option } from 'commander';
import { AnthroTraceError, EXIT_FAILURE, EXIT_USAGE } from '../core/errors.js';
import { COMMANDS, invokedCommandName } from './commands/index.js';
import { readPackageVersion } from './version.js';

/**
 * Build the program with the full definition of the command named in `args`
 * (the arguments after the program name) and a one-line entry for each other.
 */
export async function buildProgram(args: string[]): Promise<Command> {
  const program = new Command('anthrotrace')
    .description('Log, price and report Anthropic Messages API calls.')
    .version(readPackageVersion(), '-V, --version', 'print the version')
    .option('--store <spec>', 'where records are kept: a SQLite path, sqlite:PATH or clickhouse://… (env ANTHROTRACE_STORE)')
    .option('--cluster <name>', 'ClickHouse only: create replicated tables ON CLUSTER with a Distributed table over them (same as ?cluster=NAME in the store URL)')
    .option('--pricing <file>', 'a price file that adds or overrides price entries (env ANTHROTRACE_PRICING)')
    .addOption(new Option('-v, --verbose', 'log debug messages and show stack traces').conflicts('quiet'))
    .option('-q, --quiet', 'log only errors')
    // Commander may add a second line (a "Did you mean" suggestion); keep each error on one line.
    .configureOutput({ outputError: (text, write) => write(`${text.trim().replace(/\s*\n\s*/g, ' ')} (run with --help for usage)\n`) })
    .exitOverride();

  const invoked = invokedCommandName(args);
  for (const entry of COMMANDS) {
    if (entry.name === invoked) (await entry.load())(program);
    else program.command(entry.name).description(entry.summary);
  }
  return program;
}

export async function main(argv: string[]): Promise<number> {
  exitQuietlyWhenStdoutCloses();
  const program = await buildProgram(argv.slice(2));
  const verbose = argv.includes('--verbose') || argv.includes('-v');
  try {
    await program.parseAsync(argv);
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (error) {
    return reportError(error, verbose);
  }
}

/**
 * Exit with success when stdout is closed. A reader that stops early
 * (`anthrotrace query | head`) makes the next write fail with EPIPE, which is
 * a normal end for a command line, not an error with a stack trace.
 */
function exitQuietlyWhenStdoutCloses(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

/** Print one line for the error and return its exit code; the stack only with --verbose. */
export function reportError(error: unknown, verbose: boolean): number {
  if (error instanceof CommanderError) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
    // Help printed in place of a missing command (`anthrotrace` alone) is invalid usage; `anthrotrace help` is not.
    if (error.code === 'commander.help') return error.exitCode === 0 ? 0 : EXIT_USAGE;
    // Commander has already printed its message.
    return EXIT_USAGE;
  }
  if (error instanceof AnthroTraceError) {
    process.stderr.write(`error: ${error.message}\n`);
    if (verbose && error.stack) process.stderr.write(`${error.stack}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`error: ${message}\n`);
  if (verbose && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  return EXIT_FAILURE;
}
