/**
 * `anthrotrace import FILE`: store records from a JSON-lines file or stdin
 * (`-`), priced at their own start times. Exit codes: 0 imported (also when
 * every record was already stored); 1 the store failed; 2 an invalid line
 * (nothing is stored unless --skip-invalid), a file that cannot be read or
 * does not exist, or an invalid flag.
 */
import { access, constants, stat } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { stringifyJson } from '../../core/json.js';
import { AnthroTraceError, InputError, OperationError } from '../../core/errors.js';
import { importRecords, StoreInsertError } from '../../import/import-records.js';
import { createContext, type CliContext } from '../context.js';
import { openStoreFromContext, storeError } from '../store-option.js';
import { plural } from '../../output/plural.js';

interface ImportCommandOptions {
  skipInvalid?: boolean;
  format: 'text' | 'json';
}

export function registerImport(program: Command): void {
  program
    .command('import')
    .description('store records from a JSON-lines file: {ts, model, usage} lines or full records from query --format jsonl')
    .argument('<file>', 'the JSON-lines file, or - for standard input')
    .option('--skip-invalid', 'skip invalid lines with a warning instead of importing nothing')
    .addOption(new Option('--format <format>', 'summary format: text on stderr, or json on stdout').choices(['text', 'json']).default('text'))
    .addHelpText(
      'after',
      '\nEach line is one JSON object, either the minimal form\n' +
        '  {"ts":"2025-11-03T09:15:00Z","model":"claude-sonnet-4-5","usage":{"input_tokens":1200,"output_tokens":300}}\n' +
        'with optional category, tags, request_id, status, service_tier, batch, inference_geo and speed, or a\n' +
        'full record as query --format jsonl writes it. Minimal lines, and full records without cost_usd, are\n' +
        'priced at their own ts; full records keep their cost_usd. A line without request_id gets an id derived\n' +
        'from its content, so importing the same file again adds nothing.\n' +
        '\nExit codes: 0 imported; 1 the store failed; 2 an invalid line (nothing is stored unless\n' +
        '--skip-invalid), a missing or unreadable file, or an invalid flag.',
    )
    .action(async (file: string, options: ImportCommandOptions, command: Command) => {
      const ctx = createContext(command);
      await runImport(ctx, file, options);
    });
}

async function checkReadable(file: string): Promise<void> {
  try {
    const info = await stat(file);
    if (info.isDirectory()) throw new InputError(`cannot import ${file}: it is a directory; pass a JSON-lines file or - for stdin`);
    await access(file, constants.R_OK);
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new InputError(`cannot import ${file}: ${reason}; pass a JSON-lines file or - for stdin`);
  }
}

/** Name the store for a failed insert and the input for a failed read; AnthroTrace errors pass through. */
function importError(error: unknown, file: string, location: string): Error {
  if (error instanceof StoreInsertError) return storeError(error.cause, location);
  if (error instanceof AnthroTraceError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new OperationError(`reading ${file === '-' ? 'standard input' : file} failed: ${message}`, { cause: error });
}

async function runImport(ctx: CliContext, file: string, options: ImportCommandOptions): Promise<void> {
  if (file !== '-') await checkReadable(file);
  const { loadPricer } = await import('../pricing-option.js');
  const { unpricedModelWarning } = await import('../../pricing/table.js');

  const pricer = await loadPricer(ctx);
  const repository = await openStoreFromContext(ctx);
  let summary;
  try {
    summary = await importRecords(file === '-' ? process.stdin : file, {
      repository,
      pricer,
      logger: ctx.logger,
      skipInvalid: options.skipInvalid === true,
      unpricedWarning: unpricedModelWarning,
    });
  } catch (error) {
    throw importError(error, file, repository.location);
  } finally {
    await repository.close();
  }

  if (summary.skipped > 0) ctx.logger.warn(`skipped ${plural(summary.skipped, 'invalid line')}`);
  if (options.format === 'json') {
    const json = { imported: summary.imported, already_stored: summary.alreadyStored, skipped: summary.skipped, unpriced: summary.unpriced };
    await ctx.writeOut(`${stringifyJson(json)}\n`);
  } else {
    // A ClickHouse store that could not take every record keeps the rest in its local spool.
    const { spooledRecords, flushCommand } = repository as { spooledRecords?: number; flushCommand?: string };
    const spooled = spooledRecords !== undefined && spooledRecords > 0
      ? ` (${spooledRecords} kept in the spool until ClickHouse is reachable: run ${flushCommand})`
      : '';
    ctx.logger.info(`imported ${summary.imported}${spooled}, already stored ${summary.alreadyStored}, skipped ${summary.skipped}`);
  }
}
