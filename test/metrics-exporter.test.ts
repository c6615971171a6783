import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { createLogger } from '../src/core/logger.js';
import { PrometheusMetricsExporter } from '../src/metrics/exporter.js';
import type { AggregateRow } from '../src/store/repository.js';
import { cardinalityRecords, makeRecord } from './support/metrics-records.js';
import { parseExposition, promtoolCheckMetrics, samplesOf } from './support/prometheus.js';

function capturingLogger() {
  const lines: string[] = [];
  return { lines, logger: createLogger('INFO', (line) => lines.push(line)) };
}

describe('PrometheusMetricsExporter', () => {
  test('1,000 users and prompts give 2 prompt series', async () => {
    const records = cardinalityRecords();
    const exporter = new PrometheusMetricsExporter();
    for (const record of records) exporter.observe(record);
    const exposition = await exporter.metrics();
    const samples = parseExposition(exposition);

    const prompts = samplesOf(samples, 'anthrotrace_prompt_total');
    assert.equal(prompts.length, 2);
    assert.equal(samplesOf(samples, 'anthrotrace_prompt_total', { model: 'claude-sonnet-4-5' })[0]?.text, '600');
    assert.equal(samplesOf(samples, 'anthrotrace_prompt_total', { model: 'claude-haiku-4-5' })[0]?.text, '400');
    assert.equal(prompts[0]?.labels.category, 'chat');

    const tokens = (model: string, tokenType: string) => samplesOf(samples, 'anthrotrace_prompt_tokens_total', { model, token_type: tokenType })[0]?.text;
    assert.equal(tokens('claude-sonnet-4-5', 'input'), '60000');
    assert.equal(tokens('claude-haiku-4-5', 'input'), '40000');
    assert.equal(tokens('claude-sonnet-4-5', 'output'), '6000');
    assert.equal(tokens('claude-haiku-4-5', 'output'), '4000');

    assert.equal(samplesOf(samples, 'anthrotrace_prompt_cost_usd_total', { model: 'claude-sonnet-4-5' })[0]?.text, '0.27');
    assert.equal(samplesOf(samples, 'anthrotrace_prompt_cost_usd_total', { model: 'claude-haiku-4-5' })[0]?.text, '0.06');

    const forbidden = new Set(records.flatMap((record) => [record.tags.user_id!, record.promptText!, record.id, record.requestId!]));
    const leaked = samples.flatMap((sample) => Object.values(sample.labels)).filter((value) => forbidden.has(value));
    assert.deepEqual(leaked, []);
  });

  test('line count does not grow from 10 to 1,000 distinct users', async () => {
    const lineCount = async (users: number) => {
      const exporter = new PrometheusMetricsExporter();
      cardinalityRecords().forEach((record, index) => {
        record.tags = { user_id: `user-${index % users}` };
        exporter.observe(record);
      });
      return (await exporter.metrics()).split('\n').length;
    };
    assert.equal(await lineCount(1000), await lineCount(10));
  });

  test('cost summed over 1,000 calls prints as 0.33', async () => {
    // Each call costs 100 x $1 + 46 x $5 per million tokens = $0.00033.
    const exporter = new PrometheusMetricsExporter({ histograms: false });
    let floatSum = 0;
    for (let index = 0; index < 1000; index++) {
      exporter.observe(makeRecord({ model: 'claude-haiku-4-5', inputTokens: 100, outputTokens: 46 }));
      floatSum += 0.00033;
    }
    const samples = parseExposition(await exporter.metrics());

    assert.equal(samplesOf(samples, 'anthrotrace_prompt_cost_usd_total')[0]?.text, '0.33');
    assert.notEqual(String(floatSum), '0.33', 'summing floats would not have printed 0.33');
  });

  test('sonnet 0.27 and haiku 0.06 print exactly', async () => {
    const exporter = new PrometheusMetricsExporter({ histograms: false });
    for (const record of cardinalityRecords()) exporter.observe(record);
    const costs = samplesOf(parseExposition(await exporter.metrics()), 'anthrotrace_prompt_cost_usd_total').map((sample) => sample.text);
    assert.deepEqual(costs.sort(), ['0.06', '0.27']);
  });

  test('call retried after 529 and 429 counts once at $0.002', async () => {
    const exporter = new PrometheusMetricsExporter();
    exporter.observe(makeRecord({ model: 'claude-haiku-4-5', inputTokens: 1000, outputTokens: 200, attempts: 3 }));
    const samples = parseExposition(await exporter.metrics());

    assert.equal(samplesOf(samples, 'anthrotrace_prompt_total')[0]?.text, '1');
    assert.equal(samplesOf(samples, 'anthrotrace_prompt_tokens_total', { token_type: 'input' })[0]?.text, '1000');
    assert.equal(samplesOf(samples, 'anthrotrace_prompt_tokens_total', { token_type: 'output' })[0]?.text, '200');
    assert.equal(samplesOf(samples, 'anthrotrace_prompt_cost_usd_total')[0]?.text, '0.002');
    assert.equal(samplesOf(samples, 'anthrotrace_prompt_duration_seconds_count')[0]?.text, '1');
  });

  test('categories past a limit of 3 fold into other with 1 warning', async () => {
    const { lines, logger } = capturingLogger();
    const exporter = new PrometheusMetricsExporter({ maxCategories: 3, logger });
    for (const category of ['a', 'b', 'c', 'd', 'e', 'a', null]) exporter.observe(makeRecord({ category }));
    const samples = parseExposition(await exporter.metrics());

    const byCategory = Object.fromEntries(samplesOf(samples, 'anthrotrace_prompt_total').map((sample) => [sample.labels.category, sample.text]));
    assert.deepEqual(byCategory, { a: '2', b: '1', c: '1', other: '2', none: '1' });
    assert.equal(lines.filter((line) => line.startsWith('warning:')).length, 1);
    assert.match(lines[0]!, /more than 3 distinct category values: "d"/);
  });

  test('unpriced model counted in anthrotrace_prompt_unpriced_total', async () => {
    const exporter = new PrometheusMetricsExporter();
    exporter.observe(makeRecord({ model: 'claude-future-9' }));
    exporter.observe(makeRecord({ model: 'claude-haiku-4-5' }));
    const samples = parseExposition(await exporter.metrics());

    assert.equal(samplesOf(samples, 'anthrotrace_prompt_unpriced_total', { model: 'claude-future-9' })[0]?.text, '1');
    assert.equal(samplesOf(samples, 'anthrotrace_prompt_unpriced_total', { model: 'claude-haiku-4-5' })[0]?.text, '0');
    assert.equal(samplesOf(samples, 'anthrotrace_prompt_cost_usd_total', { model: 'claude-future-9' })[0]?.text, '0');
  });

  test('time to first token observed for streamed calls only', async () => {
    const exporter = new PrometheusMetricsExporter();
    exporter.observe(makeRecord({ durationMs: 3000, timeToFirstTokenMs: 400 }));
    exporter.observe(makeRecord({ durationMs: 700 }));
    const samples = parseExposition(await exporter.metrics());

    assert.equal(samplesOf(samples, 'anthrotrace_prompt_time_to_first_token_seconds_count')[0]?.text, '1');
    assert.equal(samplesOf(samples, 'anthrotrace_prompt_time_to_first_token_seconds_bucket', { le: '0.5' })[0]?.text, '1');
    assert.equal(samplesOf(samples, 'anthrotrace_prompt_duration_seconds_count')[0]?.text, '2');
    assert.equal(samplesOf(samples, 'anthrotrace_prompt_duration_seconds_bucket', { le: '1' })[0]?.text, '1');
  });

  test('aggregate rows give the same counters as records', async () => {
    const records = cardinalityRecords();
    const live = new PrometheusMetricsExporter({ histograms: false });
    for (const record of records) live.observe(record);

    const row = (model: string, requests: number): AggregateRow => ({
      bucketIndex: null,
      dimensionValues: [model, 'chat', 'ok', 'send'],
      requests,
      unpricedRequests: 0,
      usage: { inputTokens: 100 * requests, outputTokens: 10 * requests, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, cacheReadTokens: 0, webSearchRequests: 0 },
      costNanos: BigInt(requests) * (model === 'claude-sonnet-4-5' ? 450_000n : 150_000n),
    });
    const aggregated = new PrometheusMetricsExporter({ histograms: false });
    aggregated.addAggregateRows([row('claude-sonnet-4-5', 600), row('claude-haiku-4-5', 400)]);

    assert.equal(await aggregated.metrics(), await live.metrics());
  });

  test('promtool check metrics reports nothing on the exposition', async () => {
    const exporter = new PrometheusMetricsExporter();
    for (const record of cardinalityRecords()) exporter.observe(record);
    exporter.observe(makeRecord({ category: null, timeToFirstTokenMs: 250, status: 'error', source: 'bench' }));
    const result = await promtoolCheckMetrics(await exporter.metrics());
    assert.equal(result.output, '');
    assert.equal(result.code, 0);
  });
});
