import { Option, type Command } from 'commander';
import { EXIT_INTERRUPTED, InputError } from '../../core/errors.js';
import { createContext } from '../context.js';
import { EXIT_CASE_FAILED, type BenchFlags } from '../../bench/exit-codes.js';
import { DEFAULT_THRESHOLDS, parseCostFloor, parseIncreaseLimit, parseNonNegative, type GateThresholds } from '../../bench/gate.js';
import { usdDecimal } from '../../core/money.js';
import { addLiveMetricsOptions, startLiveMetrics, type LiveMetricsOptions } from '../../metrics/live.js';
import { quoteExcerpt } from '../../output/excerpt.js';

export type BenchCommandOptions = BenchFlags & { storage?: 'sqlite' | 'clickhouse'; records: string } & LiveMetricsOptions;

const percent = (fraction: number | null) => (fraction === null ? 'off' : `${Math.round(fraction * 1000) / 10}%`);

export function registerBench(program: Command): void {
  const limits = DEFAULT_THRESHOLDS.maxIncrease;
  const command = program
    .command('bench')
    .argument('[suite]', 'suite file (YAML or JSON); not needed with --storage')
    .description(
      'run a prompt benchmark suite and gate it against a baseline; exit 0 within limits, 1 on a regression, 2 for invalid input, ' +
        `${EXIT_CASE_FAILED} when a case failed every call, ${EXIT_INTERRUPTED} when interrupted`,
    )
    .option('--var <name=value>', 'set a {{variable}} of the suite, overriding the suite; repeatable', (value: string, all: string[]) => [...all, value], [])
    .option('-c, --concurrency <n>', 'calls in flight at once', '4')
    .addOption(new Option('--format <format>', 'what stdout receives').choices(['table', 'json', 'csv']).default('table'))
    .option('--output <file>', 'write the JSON result (the baseline format) to this file')
    .option('--markdown <file>', 'write a Markdown summary to this file (also appended to $GITHUB_STEP_SUMMARY when set)')
    .option('--junit <file>', 'write JUnit XML, one test case per suite case, to this file')
    .option('--baseline <file>', 'compare each case with this earlier JSON result and exit 1 on a regression')
    .option('--update-baseline', 'write this run as the new baseline to the --baseline file')
    .option('--max-cost-increase <percent>', 'allowed rise of the median cost per call, or off', percent(limits.cost))
    .option('--max-input-token-increase <percent>', 'allowed rise of median input tokens (cache included), or off', percent(limits.input_tokens))
    .option('--max-output-token-increase <percent>', 'allowed rise of median output tokens, or off', percent(limits.output_tokens))
    .option('--max-latency-increase <percent>', 'allowed rise of median latency (live runs only), or off', percent(limits.latency))
    .option('--min-cost-delta <usd>', 'ignore cost rises of at most this many USD per call', usdDecimal(DEFAULT_THRESHOLDS.minCostDelta))
    .option('--min-token-delta <tokens>', 'ignore token rises of at most this many tokens', String(DEFAULT_THRESHOLDS.minTokenDelta))
    .option('--min-latency-delta-ms <ms>', 'ignore latency rises of at most this many milliseconds', String(DEFAULT_THRESHOLDS.minLatencyDeltaMs))
    .addOption(new Option('--replay <file>', 'answer every call from this recording instead of the API (no API key needed)').conflicts(['record', 'dryRun']))
    .option('--record <file>', 'append every HTTP exchange to this file, for a later --replay')
    .addOption(new Option('--dry-run', 'only count and price each case\'s input with the free count_tokens endpoint').conflicts('record'))
    .option('--max-retries <n>', 'retries after a failed attempt (429, 5xx, connection errors), waiting as retry-after says', '4')
    .addOption(new Option('--storage <engine>', 'benchmark the store instead of a suite: inserts and standard reports').choices(['sqlite', 'clickhouse']))
    .option('--records <n>', 'records generated for --storage', '10000')
    .option('--no-store-text', 'store neither prompt texts nor reply summaries (also ANTHROTRACE_STORE_TEXT=false or "store_text": false in the config file)');
  addLiveMetricsOptions(command);

  command.action(async (suiteFile: string | undefined, options: BenchCommandOptions, actionCommand: Command) => {
    const ctx = createContext(actionCommand);
    if (options.storage) {
      rejectSuiteFlagsWithStorage(suiteFile, options, actionCommand);
      const { runStorageCommand } = await import('../../bench/storage-command.js');
      await runStorageCommand(ctx, options);
      return;
    }
    if (!suiteFile) throw new InputError('missing suite file: pass one, such as anthrotrace bench fixtures/bench/smoke.yaml, or use --storage sqlite');
    if (options.updateBaseline && !options.baseline) throw new InputError('--update-baseline needs --baseline FILE: name the file to write');

    const { runSuiteCommand } = await import('../../bench/suite-command.js');
    const settings = {
      concurrency: concurrencyFrom(options.concurrency),
      maxRetries: nonNegativeInteger(options.maxRetries, '--max-retries'),
      thresholds: thresholdsFrom(options),
    };
    const live = await startLiveMetrics(ctx, options);
    try {
      process.exitCode = await runSuiteCommand(ctx, suiteFile, options, { ...settings, onRecord: live.observe });
    } finally {
      await live.finish();
    }
  });
}

function thresholdsFrom(options: BenchCommandOptions): GateThresholds {
  return {
    maxIncrease: {
      cost: parseIncreaseLimit('--max-cost-increase', options.maxCostIncrease),
      input_tokens: parseIncreaseLimit('--max-input-token-increase', options.maxInputTokenIncrease),
      output_tokens: parseIncreaseLimit('--max-output-token-increase', options.maxOutputTokenIncrease),
      latency: parseIncreaseLimit('--max-latency-increase', options.maxLatencyIncrease),
    },
    minCostDelta: parseCostFloor(options.minCostDelta),
    minTokenDelta: parseNonNegative('--min-token-delta', options.minTokenDelta, 'tokens'),
    minLatencyDeltaMs: parseNonNegative('--min-latency-delta-ms', options.minLatencyDeltaMs, 'milliseconds'),
  };
}

/**
 * Max calls in flight. The bound is a chosen cap, not an API limit: far more
 * concurrent calls only open more connections at once, which fail or hit rate limits.
 */
export const MAX_CONCURRENCY = 256;

function concurrencyFrom(text: string): number {
  const value = positiveInteger(text, '--concurrency');
  if (value > MAX_CONCURRENCY) {
    throw new InputError(`invalid --concurrency ${quoteExcerpt(text)}: use a whole number from 1 to ${MAX_CONCURRENCY}`);
  }
  return value;
}

/** The suite run's flags that `--storage` would silently ignore; each one given with --storage is rejected. */
const SUITE_ONLY_FLAGS: Array<[keyof BenchCommandOptions, string]> = [
  ['var', '--var'],
  ['concurrency', '--concurrency'],
  ['markdown', '--markdown'],
  ['junit', '--junit'],
  ['baseline', '--baseline'],
  ['updateBaseline', '--update-baseline'],
  ['maxCostIncrease', '--max-cost-increase'],
  ['maxInputTokenIncrease', '--max-input-token-increase'],
  ['maxOutputTokenIncrease', '--max-output-token-increase'],
  ['maxLatencyIncrease', '--max-latency-increase'],
  ['minCostDelta', '--min-cost-delta'],
  ['minTokenDelta', '--min-token-delta'],
  ['minLatencyDeltaMs', '--min-latency-delta-ms'],
  ['replay', '--replay'],
  ['record', '--record'],
  ['dryRun', '--dry-run'],
  ['maxRetries', '--max-retries'],
  ['storeText', '--no-store-text'],
  ['metricsPort', '--metrics-port'],
  ['pushgateway', '--pushgateway'],
];

function rejectSuiteFlagsWithStorage(suiteFile: string | undefined, options: BenchCommandOptions, command: Command): void {
  const engine = options.storage!;
  if (suiteFile !== undefined) {
    throw new InputError(`invalid suite ${suiteFile} with --storage ${engine}: the storage benchmark runs no suite; drop one of them`);
  }
  // Defaults count as unset: only values from the command line are rejected.
  const suiteFlagsGiven = SUITE_ONLY_FLAGS.filter(([key]) => command.getOptionValueSource(key as string) === 'cli').map(([, flag]) => flag);
  if (suiteFlagsGiven.length > 0) {
    const single = suiteFlagsGiven.length === 1;
    throw new InputError(`invalid ${suiteFlagsGiven.join(', ')} with --storage ${engine}: ${single ? 'it applies' : 'they apply'} to suite runs only; drop ${single ? 'it' : 'them'}`);
  }
}

export function positiveInteger(text: string, flag: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value < 1) throw new InputError(`invalid ${flag} ${quoteExcerpt(text)}: use a whole number, 1 or more`);
  return value;
}

function nonNegativeInteger(text: string, flag: string): number {
  if (!/^\d+$/.test(text.trim())) throw new InputError(`invalid ${flag} ${quoteExcerpt(text)}: use a whole number, 0 or more`);
  return Number(text);
}
