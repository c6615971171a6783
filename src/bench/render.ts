/**
 * Human and CSV renderings of a benchmark result. JSON is in result-json.ts,
 * Markdown in markdown.ts and JUnit XML in junit.ts.
 */
import Table from 'cli-table3';
import { formatUsdForTable, usdDecimal } from '../core/money.js';
import type { Measure, MeasureComparison } from './gate.js';
import { failedEveryCall, type BenchResult, type CaseResult } from './result.js';
import type { CountStats } from './stats.js';

/** `$0.0123` for cost, `1,234` for tokens, `812 ms` for latency. */
export function formatMeasure(measure: Measure, value: number | bigint): string {
  if (typeof value === 'bigint') return `$${usdDecimal(value)}`;
  if (measure === 'latency') return `${Math.round(value).toLocaleString('en-US')} ms`;
  return value.toLocaleString('en-US');
}

/** `+25.0%`, `-3.1%`, or `new` when the baseline was zero. */
export function formatChange(item: MeasureComparison): string {
  if (item.change === null) return Number(item.current) === 0 ? '0.0%' : 'from 0';
  const percent = (item.change * 100).toFixed(1);
  return item.change > 0 ? `+${percent}%` : `${percent}%`;
}

export const MEASURE_LABELS: Record<Measure, string> = {
  cost: 'cost per call',
  input_tokens: 'input tokens',
  output_tokens: 'output tokens',
  latency: 'latency',
};

export function caseStatus(item: CaseResult): string {
  if (item.calls === 0) return 'not run';
  if (failedEveryCall(item)) return 'failed';
  if (item.failed > 0) return `${item.failed} failed`;
  if (item.calls < item.repetitions) return 'partial';
  return 'ok';
}

const count = (stats: CountStats | null, field: 'median' | 'p90' = 'median') => (stats ? stats[field].toLocaleString('en-US') : '-');
const ms = (value: number | undefined) => (value === undefined ? '-' : Math.round(value).toLocaleString('en-US'));

export function renderTable(result: BenchResult): string {
  const table = new Table({
    head: ['case', 'model', 'calls', 'attempts', 'median ms', 'p90 ms', 'input', 'output', 'cache w/r', 'median USD', 'p90 USD', 'status'],
    style: { head: [], border: [] },
  });
  for (const item of result.cases) {
    table.push([
      item.name,
      item.model,
      // Completed of planned calls: an interrupted run shows 2/6, not 2/2. Failures show in the status column.
      `${item.calls}/${item.repetitions}`,
      item.attempts,
      ms(item.latencyMs?.median),
      ms(item.latencyMs?.p90),
      count(item.totalInputTokens),
      count(item.outputTokens),
      `${count(item.cacheWriteTokens)}/${count(item.cacheReadTokens)}`,
      item.cost ? formatUsdForTable(item.cost.median, 6) : item.succeeded > 0 ? 'unpriced' : '-',
      item.cost ? formatUsdForTable(item.cost.p90, 6) : '-',
      caseStatus(item),
    ]);
  }
  const heading = `${result.suite} (${result.mode}${result.complete ? '' : ', interrupted: partial result'})`;
  return `${heading}\n${table.toString()}\n`;
}

export const CSV_COLUMNS = [
  'case', 'model', 'category', 'mode', 'repetitions', 'calls', 'succeeded', 'failed', 'attempts',
  'latency_mean_ms', 'latency_median_ms', 'latency_p90_ms', 'latency_p99_ms', 'latency_min_ms', 'latency_max_ms',
  'input_tokens_median', 'input_tokens_p90', 'output_tokens_median', 'output_tokens_p90',
  'cache_write_tokens_median', 'cache_write_tokens_p90', 'cache_read_tokens_median', 'cache_read_tokens_p90',
  'total_input_tokens_median', 'total_input_tokens_p90',
  'cost_usd_median', 'cost_usd_p90', 'cost_usd_total', 'unpriced_calls', 'errors',
] as const;

export function renderCsv(result: BenchResult): string {
  const rows = [CSV_COLUMNS.join(',')];
  for (const item of result.cases) {
    const latency = item.latencyMs;
    const pair = (stats: CountStats | null) => [stats?.median ?? '', stats?.p90 ?? ''];
    rows.push(
      [
        item.name, item.model, item.category ?? '', result.mode, item.repetitions, item.calls, item.succeeded, item.failed, item.attempts,
        latency?.mean ?? '', latency?.median ?? '', latency?.p90 ?? '', latency?.p99 ?? '', latency?.min ?? '', latency?.max ?? '',
        ...pair(item.inputTokens), ...pair(item.outputTokens), ...pair(item.cacheWriteTokens), ...pair(item.cacheReadTokens),
        ...pair(item.totalInputTokens),
        item.cost ? usdDecimal(item.cost.median) : '', item.cost ? usdDecimal(item.cost.p90) : '', item.cost ? usdDecimal(item.cost.total) : '',
        item.unpricedCalls, item.errors.join('; '),
      ]
        .map((value) => csvField(String(value)))
        .join(','),
    );
  }
  return `${rows.join('\r\n')}\r\n`;
}

/** Quote a field as RFC 4180 requires: when it contains a comma, a quote or a line break. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
