import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AnthropicPromptClient } from '../src/client/index.js';
import type { FetchFunction } from '../src/client/index.js';
import { clientBenchCall } from '../src/bench/client-call.js';
import { failedEveryCall } from '../src/bench/result.js';
import { runBenchmark } from '../src/bench/runner.js';
import { parseSuite } from '../src/bench/suite-load.js';
import { startFakeAnthropic, type FakeAnthropic } from './support/fake-anthropic.js';
import { MemoryRepository } from './support/memory-repository.js';
import { stubPricer } from './support/stub-pricer.js';

let fake: FakeAnthropic;
before(async () => {
  fake = await startFakeAnthropic();
});
after(async () => {
  await fake.close();
});

function benchCall(repository: MemoryRepository, fetchFunction?: FetchFunction) {
  const client = new AnthropicPromptClient({
    repository,
    pricer: stubPricer,
    apiKey: 'sk-ant-test',
    baseURL: fake.url,
    source: 'bench',
    maxRetries: 4,
    ...(fetchFunction ? { fetch: fetchFunction } : {}),
  });
  return clientBenchCall(client);
}

const suite = (yaml: string) => parseSuite(yaml, 'runner.yaml');

describe('benchmark runner against the fake API', () => {
  test('runs 3 cases of 3, 1, 2 repetitions', async () => {
    fake.setHandler(undefined);
    const repository = new MemoryRepository();
    const result = await runBenchmark({
      suite: suite(
        [
          'defaults: {model: claude-haiku-4-5, max_tokens: 50}',
          'cases:',
          '  - {name: one, prompt: "first prompt", repetitions: 3}',
          '  - {name: two, prompt: "a somewhat longer second prompt for the fake", tags: {team: x}}',
          '  - {name: three, model: claude-sonnet-4-5, prompt: "third", repetitions: 2}',
        ].join('\n'),
      ),
      call: benchCall(repository),
      mode: 'live',
      concurrency: 4,
      runId: 'run-abc',
      commit: '0123456789abcdef0123456789abcdef01234567',
    });

    assert.equal(result.complete, true);
    assert.deepEqual(result.cases.map((item) => [item.name, item.calls, item.succeeded]), [['one', 3, 3], ['two', 1, 1], ['three', 2, 2]]);
    assert.equal(repository.records.length, 6);
    for (const record of repository.records) {
      assert.equal(record.source, 'bench');
      assert.equal(record.tags.bench_run, 'run-abc');
      assert.equal(record.tags.git_commit, '0123456789abcdef0123456789abcdef01234567');
    }
    assert.equal(repository.records.filter((record) => record.tags.bench_case === 'one').length, 3);
    assert.equal(repository.records.find((record) => record.tags.bench_case === 'two')!.tags.team, 'x');
    // The fake counts one token per four characters: "first prompt" is 12 characters.
    assert.deepEqual(result.cases[0]!.inputTokens, { median: 3, p90: 3 });
    // Haiku at $1 in and $5 out per million: 3 input and 18 output tokens.
    assert.equal(result.cases[0]!.cost!.median, 3n * 1000n + 18n * 5000n);
    assert.equal(result.cases[0]!.cost!.total, 3n * (3n * 1000n + 18n * 5000n));
  });

  test('429 burst waits retry-after 1 s, 3 attempts', async () => {
    fake.setHandler(undefined);
    fake.enqueue(
      { type: 'error', status: 429, errorType: 'rate_limit_error', retryAfter: 1 },
      { type: 'error', status: 429, errorType: 'rate_limit_error', retryAfterMs: 20 },
    );
    const repository = new MemoryRepository();
    const started = Date.now();
    const result = await runBenchmark({
      suite: suite('cases:\n  - {name: limited, model: claude-haiku-4-5, prompt: hi, repetitions: 2}'),
      call: benchCall(repository),
      mode: 'live',
      concurrency: 1,
    });

    const [item] = result.cases;
    assert.equal(item!.failed, 0);
    assert.equal(item!.succeeded, 2);
    assert.equal(item!.attempts, 4);
    assert.deepEqual(repository.records.map((record) => record.attempts).sort(), [1, 3]);
    assert.ok(Date.now() - started >= 1000, 'the retry waited for retry-after');
  });

  test('latency follows delays of 20 to 100 ms', async () => {
    fake.setHandler(undefined);
    const delays = [20, 40, 60, 80, 100];
    let call = 0;
    const slowFetch: FetchFunction = async (input, init) => {
      await new Promise((resolve) => setTimeout(resolve, delays[call++ % delays.length]));
      return fetch(input, init);
    };
    const result = await runBenchmark({
      suite: suite('cases:\n  - {name: varied, model: claude-haiku-4-5, prompt: hi, repetitions: 5}'),
      call: benchCall(new MemoryRepository(), slowFetch),
      mode: 'live',
      concurrency: 1,
    });

    const latency = result.cases[0]!.latencyMs!;
    assert.ok(latency.min >= 20, `min ${latency.min}`);
    assert.ok(latency.max >= 100, `max ${latency.max}`);
    assert.ok(latency.median >= 60, `median ${latency.median}`);
    assert.ok(latency.median < latency.max, `median ${latency.median}, max ${latency.max}`);
    assert.ok(latency.p90 >= latency.median, `p90 ${latency.p90}`);
    assert.ok(latency.p90 <= latency.max, `p90 ${latency.p90}`);
  });

  test('case failing every call, run continues', async () => {
    fake.setHandler((request) =>
      request.body?.model === 'claude-missing' ? { type: 'error', status: 404, errorType: 'not_found_error' } : undefined,
    );
    const repository = new MemoryRepository();
    const result = await runBenchmark({
      suite: suite(
        ['cases:', '  - {name: broken, model: claude-missing, prompt: hi, repetitions: 2}', '  - {name: fine, model: claude-haiku-4-5, prompt: hi, repetitions: 2}'].join('\n'),
      ),
      call: benchCall(repository),
      mode: 'live',
      concurrency: 2,
    });
    fake.setHandler(undefined);

    const [broken, fine] = result.cases;
    assert.equal(failedEveryCall(broken!), true);
    assert.equal(broken!.failed, 2);
    assert.deepEqual(broken!.errors, ['not_found_error (HTTP 404): model: not found']);
    assert.equal(broken!.latencyMs, null);
    assert.equal(fine!.succeeded, 2);
    assert.equal(repository.records.length, 4);
  });

  test('concurrency 2 keeps at most 2 calls in flight', async () => {
    fake.setHandler(undefined);
    let inFlight = 0;
    let maxInFlight = 0;
    const countingFetch: FetchFunction = async (input, init) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        await new Promise((resolve) => setTimeout(resolve, 15));
        return await fetch(input, init);
      } finally {
        inFlight -= 1;
      }
    };
    await runBenchmark({
      suite: suite('cases:\n  - {name: many, model: claude-haiku-4-5, prompt: hi, repetitions: 8}'),
      call: benchCall(new MemoryRepository(), countingFetch),
      mode: 'live',
      concurrency: 2,
    });
    assert.equal(maxInFlight, 2);
  });

  test('stop signal leaves run incomplete', async () => {
    fake.setHandler(undefined);
    const stop = new AbortController();
    const repository = new MemoryRepository();
    const result = await runBenchmark({
      suite: suite('cases:\n  - {name: long, model: claude-haiku-4-5, prompt: hi, repetitions: 20}'),
      call: benchCall(repository),
      mode: 'live',
      concurrency: 2,
      stopSignal: stop.signal,
      onProgress: (done) => {
        if (done === 3) stop.abort();
      },
    });
    assert.equal(result.complete, false);
    // Call 3 finished while call 4 was in flight, so 3 or 4 calls were made.
    assert.ok(result.cases[0]!.calls >= 3, `calls ${result.cases[0]!.calls}`);
    assert.ok(result.cases[0]!.calls <= 4, `calls ${result.cases[0]!.calls}`);
    assert.equal(repository.records.length, result.cases[0]!.calls);
  });
});
