import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { after, describe, test } from 'node:test';
import { cardinalityRecords, makeRecord } from './support/metrics-records.js';
import { startPrometheus, waitFor, type RunningPrometheus } from './support/prometheus.js';
import { BINARY, insertRecords, startServeMetrics, temporaryStorePath, type ServeMetricsProcess } from './support/serve-metrics.js';

interface ReportRow {
  model: string;
  requests: number;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  unpriced_requests: number;
  cost_usd: number;
}

describe('serve-metrics scraped by Prometheus 2.42', () => {
  let prometheus: RunningPrometheus | undefined;
  let server: ServeMetricsProcess | undefined;
  after(async () => {
    await prometheus?.stop();
    await server?.stop();
  });

  test('Prometheus query totals equal report --format json', async () => {
    const storePath = temporaryStorePath();
    await insertRecords(storePath, [
      ...cardinalityRecords(),
      makeRecord({ model: 'claude-haiku-4-5', inputTokens: 1000, outputTokens: 200, attempts: 3, category: 'eval', source: 'bench' }),
      makeRecord({ model: 'claude-future-9', category: null }),
      makeRecord({ model: 'claude-sonnet-4-5', status: 'error', inputTokens: 0, outputTokens: 0 }),
    ]);
    server = await startServeMetrics(storePath, ['--ingest-lag', '0s']);
    prometheus = await startPrometheus(new URL(server.url).host);

    const report = spawnSync(process.execPath, [BINARY, '--store', storePath, 'report', '--by', 'model', '--format', 'json'], { encoding: 'utf8' });
    assert.equal(report.status, 0, report.stderr);
    const { rows, totals } = JSON.parse(report.stdout) as { rows: ReportRow[]; totals: ReportRow };
    assert.equal(rows.length, 3);

    const byModel = async (expression: string) => {
      const result = await prometheus!.query(`sum by (model) (${expression})`);
      return Object.fromEntries(result.map((sample) => [sample.labels.model, sample.value]));
    };
    const requests = await waitFor('Prometheus to scrape serve-metrics', async () => {
      const found = await byModel('anthrotrace_prompt_total');
      return Object.keys(found).length === 3 ? found : undefined;
    });
    const input = await byModel('anthrotrace_prompt_tokens_total{token_type="input"}');
    const output = await byModel('anthrotrace_prompt_tokens_total{token_type="output"}');
    const cost = await byModel('anthrotrace_prompt_cost_usd_total');
    const unpriced = await byModel('anthrotrace_prompt_unpriced_total');

    for (const row of rows) {
      assert.equal(requests[row.model], row.requests, `requests of ${row.model}`);
      assert.equal(input[row.model], row.input_tokens, `input tokens of ${row.model}`);
      assert.equal(output[row.model], row.output_tokens, `output tokens of ${row.model}`);
      assert.equal(cost[row.model], row.cost_usd, `cost of ${row.model}`);
      assert.equal(unpriced[row.model], row.unpriced_requests, `unpriced requests of ${row.model}`);
    }
    assert.equal(requests['claude-haiku-4-5'], 401);
    assert.equal(cost['claude-haiku-4-5'], 0.062);
    assert.equal(unpriced['claude-future-9'], 1);

    // PromQL sums in floating point, so the total across models is only equal to about 1e-12.
    const [total] = await prometheus.query('sum(anthrotrace_prompt_cost_usd_total)');
    assert.equal(totals.cost_usd, 0.332);
    assert.ok(Math.abs(total!.value - totals.cost_usd) < 1e-12, `total cost ${total?.value}`);
  });
});
