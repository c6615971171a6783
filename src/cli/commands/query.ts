import { Option, type Command } from 'commander';
import { InputError } from '../../core/errors.js';
import { RECORD_FORMATS, type RecordFormat } from '../../output/records.js';
import { createContext } from '../context.js';
import { openStoreFromContext } from '../store-option.js';
import { addFilterOptions, addRangeOptions, describeRange, filterFromOptions, resolveRange, type FilterOptionValues, type RangeOptionValues } from '../range-options.js';

interface QueryOptionValues extends RangeOptionValues, FilterOptionValues {
  format: RecordFormat;
  order: 'asc' | 'desc';
  limit?: string;
  excelSafe?: boolean;
}

export function registerQuery(program: Command): void {
  const command = program
    .command('query')
    .description('list logged calls in a time range, newest first')
    .addOption(new Option('--format <format>', 'output format; jsonl can be read back by import').choices(RECORD_FORMATS).default('table'))
    .addOption(new Option('--order <order>', 'order by start time').choices(['asc', 'desc']).default('desc'))
    .option('--limit <count>', 'print at most this many records (default: all)')
    .option('--excel-safe', "CSV only: prefix text cells starting with =, +, -, @, tab or CR with ' so spreadsheets do not run them as formulas");
  addRangeOptions(command);
  addFilterOptions(command);
  command.action(async (options: QueryOptionValues, self: Command) => {
    const context = createContext(self);
    const range = resolveRange(options, context.env);
    const filter = filterFromOptions(options, range);
    const limit = parseLimit(options.limit);
    // The table and JSON carry the range themselves; for CSV and JSON Lines it goes to stderr.
    if (options.format === 'csv' || options.format === 'jsonl') context.logger.info(describeRange(range));
    else context.logger.debug(describeRange(range));

    const { OutputWriter } = await import('../../output/writer.js');
    const { writeRecords } = await import('../../output/records.js');
    const repository = await openStoreFromContext(context);
    try {
      const writer = new OutputWriter();
      const records = repository.query(filter, { order: options.order, ...(limit === undefined ? {} : { limit }) });
      const count = await writeRecords(records, { format: options.format, excelSafe: Boolean(options.excelSafe), ...range }, writer);
      await writer.flush();
      context.logger.debug(`${count} records written`);
    } finally {
      await repository.close();
    }
  });
}

function parseLimit(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text.trim()) || Number(text) < 1 || !Number.isSafeInteger(Number(text))) {
    throw new InputError(`invalid --limit ${JSON.stringify(text)}: use a whole number of 1 or more, such as --limit 100`);
  }
  return Number(text);
}
