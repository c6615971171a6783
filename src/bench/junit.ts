/**
 * JUnit XML for CI servers: one <testcase> per suite case. A case fails when
 * it regressed against the baseline or failed every call; a case that was
 * never run (an interrupted run) is skipped.
 */
import type { Comparison } from './gate.js';
import { failedEveryCall, type BenchResult, type CaseResult } from './result.js';
import { MEASURE_LABELS, formatChange, formatMeasure } from './render.js';
import { plural } from '../output/plural.js';

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

interface CaseVerdict {
  item: CaseResult;
  failures: { type: string; message: string }[];
  skipped: boolean;
}

export function renderJunit(result: BenchResult, comparison?: Comparison): string {
  const verdicts: CaseVerdict[] = result.cases.map((item) => {
    const failures: { type: string; message: string }[] = [];
    if (failedEveryCall(item)) failures.push({ type: 'failed', message: `every call failed: ${item.errors.join('; ') || 'unknown error'}` });
    for (const regression of comparison?.regressions.filter((entry) => entry.caseName === item.name) ?? []) {
      failures.push({
        type: 'regression',
        message: `${MEASURE_LABELS[regression.measure]} went from ${formatMeasure(regression.measure, regression.baseline)} to ${formatMeasure(regression.measure, regression.current)} (${formatChange(regression)})`,
      });
    }
    // An interrupted case, with fewer calls than planned, is skipped: its statistics cover too few calls to pass or fail it.
    return { item, failures, skipped: item.calls < item.repetitions };
  });
  const failed = verdicts.filter((verdict) => verdict.failures.length > 0).length;
  const skipped = verdicts.filter((verdict) => verdict.skipped && verdict.failures.length === 0).length;
  const seconds = ((result.finishedAt.getTime() - result.startedAt.getTime()) / 1000).toFixed(3);
  const suiteName = escapeXml(result.suite);
  const attributes = `tests="${verdicts.length}" failures="${failed}" errors="0" skipped="${skipped}" time="${seconds}"`;

  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="anthrotrace bench" ${attributes}>`];
  lines.push(`  <testsuite name="${suiteName}" ${attributes} timestamp="${result.startedAt.toISOString()}">`);
  for (const { item, failures, skipped: notRun } of verdicts) {
    // The case's time is its median latency, the number a reader compares between runs.
    const time = ((item.latencyMs?.median ?? 0) / 1000).toFixed(3);
    lines.push(`    <testcase name="${escapeXml(item.name)}" classname="${suiteName}" time="${time}">`);
    for (const failure of failures) {
      lines.push(`      <failure type="${failure.type}" message="${escapeXml(failure.message)}">${escapeXml(failure.message)}</failure>`);
    }
    if (notRun && failures.length === 0) lines.push(`      <skipped message="${escapeXml(skippedMessage(item))}"/>`);
    lines.push(`      <system-out>${escapeXml(caseSummary(item))}</system-out>`);
    lines.push('    </testcase>');
  }
  lines.push('  </testsuite>', '</testsuites>');
  return `${lines.join('\n')}\n`;
}

function skippedMessage(item: CaseResult): string {
  if (item.calls === 0) return 'not run: the benchmark was interrupted';
  return `incomplete: ${item.calls} of ${item.repetitions} calls ran before the benchmark was interrupted`;
}

function caseSummary(item: CaseResult): string {
  const parts = [`model ${item.model}`, `${item.succeeded}/${item.calls} calls succeeded`, `${plural(item.attempts, 'HTTP attempt')} in all`];
  if (item.latencyMs) parts.push(`median latency ${formatMeasure('latency', item.latencyMs.median)}`);
  if (item.totalInputTokens) parts.push(`median input tokens ${item.totalInputTokens.median}`);
  if (item.outputTokens) parts.push(`median output tokens ${item.outputTokens.median}`);
  if (item.cost) parts.push(`median cost ${formatMeasure('cost', item.cost.median)}`);
  if (item.errors.length > 0) parts.push(`errors: ${item.errors.join('; ')}`);
  return parts.join(', ');
}
