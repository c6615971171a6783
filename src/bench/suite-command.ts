/**
 * `anthrotrace bench SUITE`: load the suite, run it live, from a replay or as
 * a dry run, compare with the baseline, write every output and choose the
 * exit code. Loaded only when the command runs, because it pulls in the SDK
 * and the store.
 */
import { readFile } from 'node:fs/promises';
import { EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK, InputError } from '../core/errors.js';
import { loadPricer } from '../cli/pricing-option.js';
import type { RepositoryAdapter } from '../store/repository.js';
import { createBenchCall } from './call-setup.js';
import { resolveStoreText } from '../cli/config.js';
import { EXIT_CASE_FAILED, type BenchFlags, type BenchIo } from './exit-codes.js';
import { compareWithBaseline, type Comparison, type GateThresholds, type MeasureComparison } from './gate.js';
import { currentCommit } from './git.js';
import { dryRunSuite } from './dry-run.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { appendStepSummary, checkOutputPath, describeFileError, writeFileAtomic } from './outputs.js';
import { startProgress } from './progress.js';
import { MEASURE_LABELS, formatChange, formatMeasure, renderCsv, renderTable } from './render.js';
import { failedEveryCall, resultTotals, type BenchMode, type BenchResult } from './result.js';
import { resultFromJson, resultToJson } from './result-json.js';
import { runBenchmark } from './runner.js';
import { loadSuite } from './suite-load.js';
import { parseVariableFlags } from './suite.js';
import { usdDecimal } from '../core/money.js';
import type { PromptRecord } from '../core/record.js';
import { plural } from '../output/plural.js';

export interface SuiteRunSettings {
  concurrency: number;
  maxRetries: number;
  thresholds: GateThresholds;
  /** Called with each stored record; the hook for live metrics (`--metrics-port`, `--pushgateway`). */
  onRecord?: (record: PromptRecord) => void;
}

export async function runSuiteCommand(io: BenchIo, suiteFile: string, flags: BenchFlags, settings: SuiteRunSettings): Promise<number> {
  let mode: BenchMode = 'live';
  if (flags.dryRun) mode = 'dry-run';
  else if (flags.replay) mode = 'replay';
  const loaded = await loadSuite(suiteFile, { variables: parseVariableFlags(flags.var) });
  const suite = mode === 'dry-run' ? dryRunSuite(loaded) : loaded;
  await checkOutputPaths(flags);
  const baseline = await readBaseline(flags);
  if (mode !== 'replay' && !io.env.ANTHROPIC_API_KEY && !io.env.ANTHROPIC_AUTH_TOKEN) {
    if (mode === 'dry-run') {
      throw new InputError('missing ANTHROPIC_API_KEY: --dry-run calls the free count_tokens endpoint, which needs a key, so set ANTHROPIC_API_KEY');
    }
    throw new InputError('missing ANTHROPIC_API_KEY: set it to call the API, or pass --replay FILE to run from a recording without a key');
  }
  const pricer = await loadPricer(io);
  const commit = await currentCommit(io.env);
  const total = suite.cases.reduce((sum, benchCase) => sum + benchCase.repetitions, 0);

  io.logger.info(`bench: ${suite.name}, ${plural(suite.cases.length, 'case')}, ${plural(total, 'call')}, ${mode}, concurrency ${settings.concurrency}`);
  const stop = new AbortController();
  const removeInterruptHandlers = onInterrupt(io, stop);
  const progress = await startProgress(io, flags.format === 'table' ? total : 0);
  let repository: RepositoryAdapter | null = null;
  let result: BenchResult;
  try {
    const setup = await createBenchCall({
      mode,
      io,
      pricer,
      maxRetries: settings.maxRetries,
      replayFile: flags.replay,
      recordFile: flags.record,
      storeText: resolveStoreText(flags.storeText, io.env, io.config ?? {}),
      logger: progress.logger,
      onRecord: settings.onRecord,
    });
    repository = setup.repository;
    result = await runBenchmark({
      suite,
      call: setup.call,
      mode,
      concurrency: settings.concurrency,
      commit,
      stopSignal: stop.signal,
      onProgress: (done, all, record, benchCase) => progress.update(done, all, benchCase.name, record.status),
    });
  } finally {
    progress.stop();
    removeInterruptHandlers();
    await repository?.close();
  }

  const comparison = baseline && flags.baseline ? compareWithBaseline(result, baseline, settings.thresholds, flags.baseline) : undefined;
  await writeOutputs(io, flags, result, comparison);
  return exitCodeFor(io, flags, result, comparison);
}

/** Check every file the run will write before the first (paid) call, so a bad path fails fast with exit 2. */
async function checkOutputPaths(flags: BenchFlags): Promise<void> {
  if (flags.output !== undefined) await checkOutputPath(flags.output, '--output');
  if (flags.markdown !== undefined) await checkOutputPath(flags.markdown, '--markdown');
  if (flags.junit !== undefined) await checkOutputPath(flags.junit, '--junit');
  if (flags.updateBaseline && flags.baseline !== undefined) await checkOutputPath(flags.baseline, '--baseline');
}

async function readBaseline(flags: BenchFlags): Promise<BenchResult | null> {
  if (!flags.baseline) return null;
  let text: string;
  try {
    text = await readFile(flags.baseline, 'utf8');
  } catch (error) {
    // With --update-baseline a missing file is the first baseline, about to be written.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && flags.updateBaseline) return null;
    const hint = flags.updateBaseline ? 'check its permissions' : 'check the path, or write one with --update-baseline';
    throw new InputError(`cannot read baseline ${flags.baseline}: ${describeFileError(error)}; ${hint}`, { cause: error });
  }
  return resultFromJson(text, flags.baseline);
}

/**
 * Stop new calls on the first SIGINT or SIGTERM. Calls in flight still
 * finish, are stored and count in the partial result. A second signal exits at once.
 */
function onInterrupt(io: BenchIo, stop: AbortController): () => void {
  const handler = (signal: NodeJS.Signals) => {
    if (stop.signal.aborted) {
      io.logger.error(`${signal} again: exiting without waiting for calls in flight`);
      process.exit(EXIT_INTERRUPTED);
    }
    io.logger.warn(`${signal}: starting no new calls; waiting for the calls in flight, then writing a partial result (send ${signal} again to quit at once)`);
    stop.abort();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}

async function writeOutputs(io: BenchIo, flags: BenchFlags, result: BenchResult, comparison: Comparison | undefined): Promise<void> {
  const markdown = renderMarkdown(result, comparison);
  if (flags.output) await writeFileAtomic(flags.output, resultToJson(result, comparison), '--output');
  if (flags.markdown) await writeFileAtomic(flags.markdown, markdown, '--markdown');
  if (flags.junit) await writeFileAtomic(flags.junit, renderJunit(result, comparison), '--junit');
  const summaryPath = await appendStepSummary(io.env, markdown);
  if (summaryPath) io.logger.debug(`appended the summary to ${summaryPath}`);
  if (flags.updateBaseline && flags.baseline) await updateBaseline(io, flags.baseline, result);

  if (flags.format === 'json') await io.writeOut(resultToJson(result, comparison));
  else if (flags.format === 'csv') await io.writeOut(renderCsv(result));
  else await io.writeOut(renderTable(result) + (comparison ? `\n${comparisonText(comparison)}` : ''));
}

async function updateBaseline(io: BenchIo, path: string, result: BenchResult): Promise<void> {
  const failed = result.cases.filter(failedEveryCall).map((item) => item.name);
  if (!result.complete || failed.length > 0) {
    const why = result.complete ? `case ${failed.join(', ')} failed every call` : 'the run was interrupted';
    io.logger.warn(`baseline ${path} not updated: ${why}; rerun when every case succeeds`);
    return;
  }
  await writeFileAtomic(path, resultToJson(result), '--baseline');
  io.logger.info(`baseline ${path} updated`);
}

function comparisonText(comparison: Comparison): string {
  const count = comparison.regressions.length;
  const verdict = count === 0 ? 'no regression' : `${count} regression${count === 1 ? '' : 's'}`;
  const lines = [`baseline ${comparison.baselineFile}: ${verdict} in ${plural(comparison.compared.length, 'comparison')}`];
  for (const item of comparison.regressions) {
    lines.push(`  regression: ${describeRegression(item)}`);
  }
  for (const name of comparison.newCases) lines.push(`  new case (not in the baseline): ${name}`);
  for (const name of comparison.missingCases) lines.push(`  missing case (in the baseline, not run): ${name}`);
  return `${lines.join('\n')}\n`;
}

/** Describe one regression, such as `case "greeting": cost per call $0.0001 -> $0.00012 (+20.0%)`. */
function describeRegression(item: MeasureComparison): string {
  const values = `${formatMeasure(item.measure, item.baseline)} -> ${formatMeasure(item.measure, item.current)}`;
  return `case ${JSON.stringify(item.caseName)}: ${MEASURE_LABELS[item.measure]} ${values} (${formatChange(item)})`;
}

function exitCodeFor(io: BenchIo, flags: BenchFlags, result: BenchResult, comparison: Comparison | undefined): number {
  const totals = resultTotals(result);
  io.logger.info(`bench: ${plural(totals.calls, 'call')}, ${totals.failedCalls} failed, ${plural(totals.attempts, 'attempt')}, cost $${usdDecimal(totals.costNanos)}`);
  if (!result.complete) {
    io.logger.warn(`interrupted after ${plural(totals.calls, 'call')}: the result is partial`);
    return EXIT_INTERRUPTED;
  }
  const failed = result.cases.filter(failedEveryCall);
  for (const item of failed) io.logger.error(`case ${item.name} failed every call (${item.calls}): ${item.errors.join('; ')}`);
  if (failed.length > 0) return EXIT_CASE_FAILED;
  if (comparison && comparison.regressions.length > 0) {
    // --update-baseline accepts this run: the regressions are reported as warnings, and the new baseline contains them.
    for (const item of comparison.regressions) {
      if (flags.updateBaseline) io.logger.warn(`accepted regression (--update-baseline): ${describeRegression(item)}`);
      else io.logger.error(`regression: ${describeRegression(item)}`);
    }
    return flags.updateBaseline ? EXIT_OK : EXIT_FAILURE;
  }
  return EXIT_OK;
}
