import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { startFakeAnthropic, type FakeAnthropic } from './support/fake-anthropic.js';
import { freePort, parseExposition, samplesOf, startPushgateway, type RunningServer } from './support/prometheus.js';
import { BINARY, temporaryStorePath } from './support/serve-metrics.js';

const SMOKE_SUITE = new URL('../fixtures/bench/smoke.yaml', import.meta.url).pathname;
const SMOKE_REPLAY = new URL('../fixtures/replay/bench-smoke.jsonl', import.meta.url).pathname;

interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

function runCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BINARY, '--store', temporaryStorePath(), ...args], {
      env: { ...process.env, ANTHROPIC_API_KEY: undefined, ANTHROPIC_BASE_URL: undefined, LOG_LEVEL: 'INFO', NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('send and bench with live metrics', () => {
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
  const liveEnv = () => ({ ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: fake.url });
  const pushed = async () => parseExposition(await (await fetch(`${pushgateway.url}/metrics`)).text());

  test('send --pushgateway pushes its call once', async () => {
    fake.enqueue({ type: 'reply', model: 'claude-haiku-4-5-20251001', usage: { input_tokens: 1000, output_tokens: 200 } });
    const result = await runCli(
      ['send', 'Hello', '--model', 'claude-haiku-4-5', '--category', 'demo', '--pushgateway', pushgateway.url, '--push-job', 'ci-send', '--push-label', 'run=7'],
      liveEnv(),
    );
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /pushed metrics to http:\/\/127\.0\.0\.1:\d+ \(job=ci-send, run=7\)/);

    const samples = await pushed();
    const labels = { job: 'ci-send', run: '7', model: 'claude-haiku-4-5-20251001', category: 'demo' };
    assert.equal(samplesOf(samples, 'anthrotrace_prompt_total', { ...labels, status: 'ok', source: 'send' })[0]?.text, '1');
    assert.equal(samplesOf(samples, 'anthrotrace_prompt_tokens_total', { ...labels, token_type: 'input' })[0]?.text, '1000');
    assert.equal(samplesOf(samples, 'anthrotrace_prompt_cost_usd_total', labels)[0]?.text, '0.002');
    assert.equal(samplesOf(samples, 'anthrotrace_prompt_duration_seconds_count', { job: 'ci-send', run: '7' })[0]?.text, '1');
  });

  test('bench --replay --pushgateway pushes all 6 calls', async () => {
    const result = await runCli(['bench', SMOKE_SUITE, '--replay', SMOKE_REPLAY, '--pushgateway', pushgateway.url, '--push-label', 'suite=smoke']);
    assert.equal(result.status, 0, result.stderr);

    const samples = await pushed();
    const prompts = samplesOf(samples, 'anthrotrace_prompt_total', { job: 'anthrotrace', suite: 'smoke', source: 'bench' });
    assert.equal(prompts.reduce((sum, sample) => sum + Number(sample.text), 0), 6);
    assert.ok(prompts.every((sample) => sample.labels.category === 'bench-smoke'));
  });

  test('send with an unreachable Pushgateway still exits 0', async () => {
    const closedPort = await freePort();
    fake.enqueue({ type: 'reply', usage: { input_tokens: 10, output_tokens: 5 } });
    const result = await runCli(['send', 'Hello', '--pushgateway', `http://127.0.0.1:${closedPort}`], liveEnv());

    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /^warning: pushing metrics to http:\/\/127\.0\.0\.1:\d+ \(job=anthrotrace\) failed, the run itself is unaffected: /m);
  });

  test('send --metrics-port 0 serves during the run and stops', async () => {
    fake.enqueue({ type: 'reply', usage: { input_tokens: 10, output_tokens: 5 } });
    const result = await runCli(['send', 'Hello', '--metrics-port', '0'], liveEnv());

    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /^serving this run's metrics at http:\/\/127\.0\.0\.1:\d+\/metrics$/m, result.stderr);
    assert.match(result.stderr, /^stopped serving metrics at http:\/\/127\.0\.0\.1:\d+\/metrics$/m, result.stderr);
  });

  test('invalid --push-label exits with code 2', async () => {
    const result = await runCli(['send', 'Hello', '--pushgateway', pushgateway.url, '--push-label', '9lives=yes'], liveEnv());
    assert.equal(result.status, 2);
    assert.match(result.stderr, /^error: invalid --push-label "9lives=yes": use name=value/m);
  });
});
