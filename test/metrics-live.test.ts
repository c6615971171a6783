import { strict as assert } from 'node:assert';
import { after, before, describe, test } from 'node:test';
import { AnthropicPromptClient } from '../src/client/index.js';
import { InputError } from '../src/core/errors.js';
import { createLogger } from '../src/core/logger.js';
import { startLiveMetrics } from '../src/metrics/live.js';
import { loadPriceTable } from '../src/pricing/table.js';
import { SQLiteRepository } from '../src/store/sqlite/repository.js';
import { startFakeAnthropic, type FakeAnthropic } from './support/fake-anthropic.js';
import { makeRecord } from './support/metrics-records.js';
import { freePort, parseExposition, samplesOf, startPushgateway, type RunningServer } from './support/prometheus.js';
import { temporaryStorePath } from './support/serve-metrics.js';

function capturingLogger() {
  const lines: string[] = [];
  return { lines, logger: createLogger('INFO', (line) => lines.push(line)) };
}

const value = (exposition: string, name: string, labels: Record<string, string> = {}) => samplesOf(parseExposition(exposition), name, labels)[0]?.text;

describe('live metrics', () => {
  let fake: FakeAnthropic;
  let pushgateway: RunningServer;
  before(async () => {
    fake = await startFakeAnthropic();
    pushgateway = await startPushgateway();
  });
  after(async () => {
    await fake.close();
    await pushgateway.stop();
  });

  test('call retried after 529 and 429 counts once at $0.002', async () => {
    const repository = new SQLiteRepository(temporaryStorePath());
    await repository.init();
    const live = await startLiveMetrics({ logger: createLogger('ERROR') }, { metricsPort: '0' });
    const client = new AnthropicPromptClient({
      repository,
      pricer: await loadPriceTable(),
      apiKey: 'sk-ant-test-key-0123456789',
      baseURL: fake.url,
      maxRetries: 2,
      onRecord: live.observe,
    });
    fake.enqueue(
      { type: 'error', status: 529, errorType: 'overloaded_error', retryAfterMs: 1 },
      { type: 'error', status: 429, errorType: 'rate_limit_error', retryAfterMs: 1 },
      { type: 'reply', model: 'claude-haiku-4-5-20251001', usage: { input_tokens: 1000, output_tokens: 200 } },
    );
    const requestsBefore = fake.requests.length;

    await client.send({ model: 'claude-haiku-4-5', maxTokens: 256, prompt: 'Retry me' });
    const response = await fetch(live.url!);
    const exposition = await response.text();
    await live.finish();
    await repository.close();

    assert.equal(fake.requests.length - requestsBefore, 3);
    assert.equal(value(exposition, 'anthrotrace_prompt_total'), '1');
    assert.equal(value(exposition, 'anthrotrace_prompt_total', { model: 'claude-haiku-4-5-20251001', status: 'ok', source: 'send' }), '1');
    assert.equal(value(exposition, 'anthrotrace_prompt_tokens_total', { token_type: 'input' }), '1000');
    assert.equal(value(exposition, 'anthrotrace_prompt_tokens_total', { token_type: 'output' }), '200');
    assert.equal(value(exposition, 'anthrotrace_prompt_cost_usd_total'), '0.002');
    assert.equal(value(exposition, 'anthrotrace_prompt_duration_seconds_count'), '1');
  });

  test('Pushgateway 1.5 shows the pushed counters with job and labels', async () => {
    const { lines, logger } = capturingLogger();
    const live = await startLiveMetrics({ logger }, { pushgateway: pushgateway.url, pushJob: 'ci-prompts', pushLabel: { branch: 'main', run: '42' } });
    live.observe(makeRecord({ model: 'claude-sonnet-4-5', inputTokens: 100, outputTokens: 10, category: 'eval' }));
    live.observe(makeRecord({ model: 'claude-sonnet-4-5', inputTokens: 100, outputTokens: 10, category: 'eval' }));
    await live.finish();

    const exposition = await (await fetch(`${pushgateway.url}/metrics`)).text();
    const labels = { job: 'ci-prompts', branch: 'main', run: '42', model: 'claude-sonnet-4-5', category: 'eval' };
    assert.equal(value(exposition, 'anthrotrace_prompt_total', labels), '2');
    assert.equal(value(exposition, 'anthrotrace_prompt_tokens_total', { ...labels, token_type: 'input' }), '200');
    assert.equal(value(exposition, 'anthrotrace_prompt_cost_usd_total', labels), '0.0009');
    assert.match(lines.join(''), /pushed metrics to http:\/\/127\.0\.0\.1:\d+ \(job=ci-prompts, branch=main, run=42\)/);
  });

  test('failed push is a warning, not an error', async () => {
    const { lines, logger } = capturingLogger();
    const closedPort = await freePort();
    const live = await startLiveMetrics({ logger }, { pushgateway: `http://127.0.0.1:${closedPort}` });
    live.observe(makeRecord());

    await live.finish();

    assert.equal(lines.length, 1);
    assert.match(lines[0]!, new RegExp(`^warning: pushing metrics to http://127\\.0\\.0\\.1:${closedPort} \\(job=anthrotrace\\) failed, the run itself is unaffected: .*ECONNREFUSED`));
  });

  test('without --metrics-port or --pushgateway nothing starts', async () => {
    const live = await startLiveMetrics({ logger: createLogger('ERROR') }, {});
    assert.equal(live.url, null);
    live.observe(makeRecord());
    await live.finish();
  });

  test('invalid --pushgateway and --metrics-port are input errors', async () => {
    const logger = createLogger('ERROR');
    await assert.rejects(startLiveMetrics({ logger }, { pushgateway: 'ftp://127.0.0.1:9091' }), InputError);
    await assert.rejects(startLiveMetrics({ logger }, { metricsPort: 'http' }), /invalid --metrics-port "http": use a TCP port from 0 to 65535/);
  });
});
