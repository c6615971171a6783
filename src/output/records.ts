/**
 * Writing a stream of records as `query` prints them. JSON Lines, JSON and
 * CSV are written record by record, so memory stays flat however many
 * records match. The table needs every row before it can size its columns.
 */
import { stringifyJson } from '../core/json.js';
import { formatUsdForTable } from '../core/money.js';
import { reportedModel, type PromptRecord } from '../core/record.js';
import { recordToJson } from '../core/record-json.js';
import { formatInstant, formatUtc, formatUtcRange } from '../time/format.js';
import { csvRow } from './csv.js';
import { RECORD_CSV_HEADER, recordToCsvValues } from './record-csv.js';
import { formatCount, renderTable, type TableColumn } from './table.js';
import type { OutputWriter } from './writer.js';

export const RECORD_FORMATS = ['table', 'json', 'jsonl', 'csv'] as const;
export type RecordFormat = (typeof RECORD_FORMATS)[number];

export interface RecordOutputOptions {
  format: RecordFormat;
  timezone: string;
  fromMs: number | null;
  toMs: number | null;
  excelSafe: boolean;
}

/** Write every record in `records` to `writer` in the chosen format; returns how many were written. */
export async function writeRecords(records: AsyncIterable<PromptRecord>, options: RecordOutputOptions, writer: OutputWriter): Promise<number> {
  switch (options.format) {
    case 'jsonl':
      return writeEach(records, writer, (record) => `${stringifyJson(recordToJson(record))}\n`);
    case 'csv':
      await writer.write(csvRow(RECORD_CSV_HEADER, options));
      return writeEach(records, writer, (record) => csvRow(recordToCsvValues(record, options.timezone), options));
    case 'json':
      return writeJsonDocument(records, options, writer);
    case 'table':
      return writeTable(records, options, writer);
  }
}

async function writeEach(records: AsyncIterable<PromptRecord>, writer: OutputWriter, format: (record: PromptRecord) => string): Promise<number> {
  let count = 0;
  for await (const record of records) {
    await writer.write(format(record));
    count++;
    if (writer.readerGone) break;
  }
  return count;
}

/** Write `{timezone, from, to, records}`, with from/to as UTC ISO strings or null, one record at a time. */
async function writeJsonDocument(records: AsyncIterable<PromptRecord>, options: RecordOutputOptions, writer: OutputWriter): Promise<number> {
  const from = options.fromMs === null ? null : formatUtc(options.fromMs);
  const to = options.toMs === null ? null : formatUtc(options.toMs);
  const head = stringifyJson({ timezone: options.timezone, from, to }, 2).replace(/\n}$/, '');
  await writer.write(`${head},\n  "records": [`);
  let count = 0;
  for await (const record of records) {
    const text = stringifyJson(recordToJson(record), 2).replace(/\n/g, '\n    ');
    await writer.write(`${count === 0 ? '\n' : ',\n'}    ${text}`);
    count++;
    if (writer.readerGone) break;
  }
  await writer.write(count === 0 ? ']\n}\n' : '\n  ]\n}\n');
  return count;
}

const TABLE_COLUMNS: TableColumn[] = [
  { header: 'started_at' },
  { header: 'model' },
  { header: 'category' },
  { header: 'status' },
  { header: 'input', align: 'right' },
  { header: 'output', align: 'right' },
  { header: 'cache write', align: 'right' },
  { header: 'cache read', align: 'right' },
  { header: 'cost (USD)', align: 'right' },
  { header: 'id' },
];

async function writeTable(records: AsyncIterable<PromptRecord>, options: RecordOutputOptions, writer: OutputWriter): Promise<number> {
  const rows: string[][] = [];
  for await (const record of records) {
    const { usage } = record;
    rows.push([
      formatInstant(record.startedAt.getTime(), options.timezone),
      reportedModel(record),
      record.category ?? '',
      record.status,
      formatCount(usage.inputTokens),
      formatCount(usage.outputTokens),
      formatCount(usage.cacheWrite5mTokens + usage.cacheWrite1hTokens),
      formatCount(usage.cacheReadTokens),
      formatUsdForTable(record.cost?.total ?? null, 6),
      record.id,
    ]);
  }
  const header = `Records in ${formatUtcRange(options.fromMs, options.toMs)} UTC, times in ${options.timezone}\n`;
  await writer.write(rows.length === 0 ? `${header}No records match.\n` : header + renderTable(TABLE_COLUMNS, rows));
  return rows.length;
}
