/**
 * Writing a report as JSON, CSV or a table. JSON and CSV carry exact
 * decimals; the table rounds costs for reading but never shows a small
 * non-zero cost as zero.
 */
import { DecimalNumber, stringifyJson } from '../core/json.js';
import { formatUsdForTable, usdDecimal } from '../core/money.js';
import type { TokenUsage } from '../core/record.js';
import { csvRow, type CsvOptions, type CsvValue } from '../output/csv.js';
import { formatCount, renderTable, type TableColumn } from '../output/table.js';
import { formatInstant, formatUtc, formatUtcRange } from '../time/format.js';
import type { Report, ReportRow, ReportSums } from './build.js';

const USAGE_FIELDS: [keyof TokenUsage, string, string][] = [
  ['inputTokens', 'input_tokens', 'input'],
  ['outputTokens', 'output_tokens', 'output'],
  ['cacheWrite5mTokens', 'cache_write_5m_tokens', 'cache write 5m'],
  ['cacheWrite1hTokens', 'cache_write_1h_tokens', 'cache write 1h'],
  ['cacheReadTokens', 'cache_read_tokens', 'cache read'],
  ['webSearchRequests', 'web_search_requests', 'web searches'],
];

function sumsToJson(sums: ReportSums): Record<string, unknown> {
  const json: Record<string, unknown> = { requests: sums.requests };
  for (const [field, name] of USAGE_FIELDS) json[name] = sums.usage[field];
  json.unpriced_requests = sums.unpricedRequests;
  json.cost_usd = new DecimalNumber(usdDecimal(sums.costNanos));
  return json;
}

function keyValues(report: Report, row: ReportRow): (string | null)[] {
  const time = report.request.groupBy.timeUnit === null ? [] : [row.bucket?.label ?? null];
  return [...time, ...row.dimensionValues];
}

/** Format the report as `{timezone, from, to, group_by, rows, totals}`, the same shape when there are no rows. */
export function reportToJsonText(report: Report): string {
  const { request } = report;
  const rows = report.rows.map((row) => {
    const json: Record<string, unknown> = {};
    const values = keyValues(report, row);
    request.groupBy.keys.forEach((key, index) => (json[key] = values[index]));
    if (row.bucket !== null) {
      json.bucket_start = formatUtc(row.bucket.startMs);
      json.bucket_end = formatUtc(row.bucket.endMs);
    }
    return { ...json, ...sumsToJson(row) };
  });
  const document = {
    timezone: request.timezone,
    from: request.fromMs === null ? null : formatUtc(request.fromMs),
    to: request.toMs === null ? null : formatUtc(request.toMs),
    group_by: request.groupBy.keys,
    rows,
    totals: sumsToJson(report.totals),
  };
  return `${stringifyJson(document, 2)}\n`;
}

/** Write a header row and one row per report row, with bucket bounds in the report's zone and their offsets. There is no totals row, so the column sums stay the totals. */
export function reportToCsv(report: Report, options: CsvOptions = {}): string {
  const { groupBy, timezone } = report.request;
  const hasBucket = groupBy.timeUnit !== null;
  const header = [...groupBy.keys, ...(hasBucket ? ['bucket_start', 'bucket_end'] : []), 'requests'];
  header.push(...USAGE_FIELDS.map(([, name]) => name), 'unpriced_requests', 'cost_usd');
  const lines = [csvRow(header, options)];
  for (const row of report.rows) {
    const values: CsvValue[] = keyValues(report, row);
    if (hasBucket) values.push(formatInstant(row.bucket!.startMs, timezone), formatInstant(row.bucket!.endMs, timezone));
    values.push(row.requests, ...USAGE_FIELDS.map(([field]) => row.usage[field]), row.unpricedRequests, usdDecimal(row.costNanos));
    lines.push(csvRow(values, options));
  }
  return lines.join('');
}

/** Render the table with a header naming the zone and the exact UTC range, a totals row, and a note on unpriced requests. */
export function reportToTable(report: Report): string {
  const { request, buckets } = report;
  const lines = [`Report by ${request.groupBy.keys.join(', ')} in ${request.timezone}`];
  lines.push(`Range ${formatUtcRange(request.fromMs, request.toMs)} UTC`);
  if (buckets !== null && (request.fromMs === null || request.toMs === null)) {
    const last = buckets.boundaries[buckets.boundaries.length - 1]!;
    lines.push(`Buckets cover ${formatUtcRange(buckets.boundaries[0]!, last)} UTC, from the oldest to the newest stored record`);
  }

  const decimals = costDecimals([...report.rows.map((row) => row.costNanos), report.totals.costNanos]);
  const columns: TableColumn[] = request.groupBy.keys.map((key) => ({ header: key }));
  columns.push({ header: 'requests', align: 'right' });
  columns.push(...USAGE_FIELDS.map(([, , header]): TableColumn => ({ header, align: 'right' })));
  columns.push({ header: 'unpriced', align: 'right' }, { header: 'cost (USD)', align: 'right' });

  const cells = (keys: (string | null)[], sums: ReportSums): string[] => [
    ...keys.map((value) => value ?? '(none)'),
    formatCount(sums.requests),
    ...USAGE_FIELDS.map(([field]) => formatCount(sums.usage[field])),
    formatCount(sums.unpricedRequests),
    formatCost(sums, decimals),
  ];
  const body = report.rows.map((row) => cells(keyValues(report, row), row));
  // `--by` always names at least one key, so the first column can carry the word "total".
  body.push(cells(request.groupBy.keys.map((_, index) => (index === 0 ? 'total' : '')), report.totals));

  let text = `${lines.join('\n')}\n${renderTable(columns, body)}`;
  if (report.totals.unpricedRequests > 0) {
    text += `* ${report.totals.unpricedRequests} ${report.totals.unpricedRequests === 1 ? 'request has' : 'requests have'} no price entry: their tokens are counted, but the cost leaves them out. Add prices with --pricing.\n`;
  }
  return text;
}

/** Format the cost cell: `unpriced` when no request in the row had a price, and a `*` when some lacked one. */
function formatCost(sums: ReportSums, decimals: number): string {
  if (sums.requests > 0 && sums.unpricedRequests === sums.requests) return 'unpriced*';
  return formatUsdForTable(sums.costNanos, decimals) + (sums.unpricedRequests > 0 ? '*' : '');
}

/**
 * Choose the decimals for the cost column: enough to show the finest amount
 * exactly or to three significant digits, whichever is fewer, from 2 (cents)
 * to 6. Amounts too small for 6 decimals show as `<0.000001`.
 */
export function costDecimals(amounts: readonly bigint[]): number {
  let decimals = 2;
  for (const nanos of amounts) {
    if (nanos === 0n) continue;
    const [whole = '0', fraction = ''] = usdDecimal(nanos < 0n ? -nanos : nanos).split('.');
    const leadingZeros = whole === '0' ? fraction.length - fraction.replace(/^0+/, '').length : 0;
    const significant = whole === '0' ? leadingZeros + 3 : Math.max(0, 3 - whole.length);
    decimals = Math.max(decimals, Math.min(fraction.length, significant, 6));
  }
  return decimals;
}
