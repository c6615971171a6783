/**
 * The Markdown summary for a pull request or $GITHUB_STEP_SUMMARY: the
 * verdict first, then each regression with its old and new value, then the
 * per-case table.
 */
import { usdDecimal } from '../core/money.js';
import type { Comparison } from './gate.js';
import { failedEveryCall, resultTotals, type BenchResult } from './result.js';
import { MEASURE_LABELS, caseStatus, formatChange, formatMeasure } from './render.js';
import { plural } from '../output/plural.js';

/** Escape the characters that would break a Markdown table cell or start formatting. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/([*_`<>[\]])/g, '\\$1').replace(/\r?\n/g, ' ');
}

export function renderMarkdown(result: BenchResult, comparison?: Comparison): string {
  const lines: string[] = [];
  const totals = resultTotals(result);
  const failedCases = result.cases.filter(failedEveryCall);

  lines.push(`## AnthroTrace benchmark: ${cell(result.suite)}`, '');
  lines.push(verdict(result, comparison, failedCases.length), '');
  const commit = result.commit ? `, commit \`${result.commit.slice(0, 12)}\`` : '';
  lines.push(
    `Mode ${result.mode}${commit}: ${plural(totals.calls, 'call')} (${totals.failedCalls} failed, ${plural(totals.attempts, 'HTTP attempt')}), total cost $${usdDecimal(totals.costNanos)}.`,
    '',
  );

  if (comparison && comparison.regressions.length > 0) {
    lines.push('### Regressions', '', '| case | measure | baseline | now | change |', '|---|---|---|---|---|');
    for (const item of comparison.regressions) {
      lines.push(
        `| ${cell(item.caseName)} | ${MEASURE_LABELS[item.measure]} | ${formatMeasure(item.measure, item.baseline)} | ${formatMeasure(item.measure, item.current)} | ${formatChange(item)} |`,
      );
    }
    lines.push('');
  }
  if (failedCases.length > 0) {
    lines.push('### Cases that failed every call', '');
    for (const item of failedCases) lines.push(`- ${cell(item.name)}: ${cell(item.errors.join('; ') || 'unknown error')}`);
    lines.push('');
  }
  if (comparison && (comparison.newCases.length > 0 || comparison.missingCases.length > 0)) {
    lines.push('### Cases not in both runs', '');
    for (const name of comparison.newCases) lines.push(`- new (not in the baseline): ${cell(name)}`);
    for (const name of comparison.missingCases) lines.push(`- missing (in the baseline, not run): ${cell(name)}`);
    lines.push('');
  }

  lines.push('### Cases', '', '| case | model | calls | median latency | input tokens | output tokens | median cost | status |', '|---|---|---|---|---|---|---|---|');
  for (const item of result.cases) {
    const latency = item.latencyMs ? formatMeasure('latency', item.latencyMs.median) : '-';
    const cost = item.cost ? `$${usdDecimal(item.cost.median)}` : '-';
    lines.push(
      `| ${cell(item.name)} | ${cell(item.model)} | ${item.calls}/${item.repetitions} | ${latency} | ${item.totalInputTokens?.median ?? '-'} | ${item.outputTokens?.median ?? '-'} | ${cost} | ${caseStatus(item)} |`,
    );
  }
  if (comparison && comparison.skipped.length > 0) {
    lines.push('', `Not gated: ${comparison.skipped.map((item) => `${MEASURE_LABELS[item.measure]} (${item.reason})`).join(', ')}.`);
  }
  return `${lines.join('\n')}\n`;
}

function verdict(result: BenchResult, comparison: Comparison | undefined, failedCases: number): string {
  const parts: string[] = [];
  if (!result.complete) parts.push('**Interrupted**: this is a partial result.');
  if (failedCases > 0) parts.push(`**${failedCases} case${failedCases === 1 ? '' : 's'} failed every call.**`);
  if (comparison) {
    const count = comparison.regressions.length;
    parts.push(count === 0 ? `No regression against \`${comparison.baselineFile}\`.` : `**${count} regression${count === 1 ? '' : 's'}** against \`${comparison.baselineFile}\`.`);
  }
  return parts.length > 0 ? parts.join(' ') : 'No baseline given: nothing was gated.';
}
