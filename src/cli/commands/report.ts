import { Option, type Command } from 'commander';
import { InputError } from '../../core/errors.js';
import { createContext } from '../context.js';
import { openStoreFromContext } from '../store-option.js';
import { addFilterOptions, addRangeOptions, describeRange, filterFromOptions, resolveRange, type FilterOptionValues, type RangeOptionValues } from '../range-options.js';
import { parseGroupBy } from '../../report/group-by.js';

interface ReportOptionValues extends RangeOptionValues, FilterOptionValues {
  by: string;
  fill?: boolean;
  format: 'table' | 'json' | 'csv';
  excelSafe?: boolean;
  html?: string;
}

export function registerReport(program: Command): void {
  const command = program
    .command('report')
    .description('sum requests, tokens and cost, grouped by time bucket and other keys')
    .option(
      '--by <keys>',
      'comma-separated keys: at most one of hour, day, week (ISO, from Monday), month, plus model, category, status, source, tag:KEY',
      'model',
    )
    .option('--fill', 'list time buckets without records as rows of zeros')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'csv']).default('table'))
    .option('--excel-safe', "CSV only: prefix text cells starting with =, +, -, @, tab or CR with ' so spreadsheets do not run them as formulas")
    .option('--html <file>', "also write the dashboard's views (cost, tokens, benchmarks, storage) as one self-contained HTML file");
  addRangeOptions(command);
  addFilterOptions(command);
  command.addHelpText(
    'after',
    `
Buckets follow the wall clock of --tz: a day runs from local midnight to local midnight (23 or 25 hours
when clocks change), and the hour repeated when clocks fall back is two rows, labelled with their offsets.
Without --from or --to the buckets run from the oldest to the newest stored record.
`,
  );
  command.action(async (options: ReportOptionValues, self: Command) => {
    const context = createContext(self);
    const groupBy = parseGroupBy(options.by);
    if (options.fill && groupBy.timeUnit === null) {
      throw new InputError(`invalid --fill with --by ${JSON.stringify(options.by)}: it fills time buckets, so add hour, day, week or month, such as --by day,model`);
    }
    if (options.html !== undefined) {
      const { checkOutputPath } = await import('../../bench/outputs.js');
      await checkOutputPath(options.html, '--html');
    }
    const range = resolveRange(options, context.env);
    const filter = filterFromOptions(options, range);
    // The table and JSON carry the range themselves; for CSV it goes to stderr.
    if (options.format === 'csv') context.logger.info(describeRange(range));
    else context.logger.debug(describeRange(range));

    const { buildReport } = await import('../../report/build.js');
    const { reportToCsv, reportToJsonText, reportToTable } = await import('../../report/render.js');
    const repository = await openStoreFromContext(context);
    let text: string;
    try {
      const report = await buildReport(repository, { ...range, filter, groupBy, fill: Boolean(options.fill) });
      if (options.format === 'json') text = reportToJsonText(report);
      else if (options.format === 'csv') text = reportToCsv(report, { excelSafe: Boolean(options.excelSafe) });
      else text = reportToTable(report);
    } finally {
      await repository.close();
    }
    await context.writeOut(text);
    if (options.html !== undefined) {
      const { writeHtmlReport } = await import('../../dashboard/html-report.js');
      await writeHtmlReport(context, { ...range, filter }, options.html);
    }
  });
}
