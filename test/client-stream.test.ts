import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AnthropicPromptClient, PromptCallError } from '../src/client/index.js';
import { startFakeAnthropic, type FakeAnthropic } from './support/fake-anthropic.js';
import { MemoryRepository } from './support/memory-repository.js';
import { stubPricer } from './support/stub-pricer.js';

let fake: FakeAnthropic;
before(async () => {
  fake = await startFakeAnthropic({ eventDelayMs: 1 });
});
after(async () => {
  await fake.close();
});

function newClient() {
  const repository = new MemoryRepository();
  const client = new AnthropicPromptClient({ repository, pricer: stubPricer, apiKey: 'sk-ant-test', baseURL: fake.url });
  return { client, repository };
}

describe('AnthropicPromptClient streaming', () => {
  test('passes text in order and records time to first token', async () => {
    const { client, repository } = newClient();
    fake.enqueue({ type: 'reply', text: 'one two three four five', chunkSize: 4 });
    const pieces: string[] = [];

    const result = await client.send({ model: 'claude-sonnet-4-5', maxTokens: 64, prompt: 'count', stream: true, onText: (text) => void pieces.push(text) });

    assert.deepEqual(pieces, ['one ', 'two ', 'thre', 'e fo', 'ur f', 'ive']);
    assert.equal(result.text, 'one two three four five');
    assert.equal(result.message.stop_reason, 'end_turn');
    const record = repository.records[0]!;
    assert.equal(record.status, 'ok');
    assert.equal(record.responseSummary, 'one two three four five');
    assert.match(record.requestId ?? '', /^req_/);
    assert.match(record.messageId ?? '', /^msg_/);
    assert.equal(typeof record.timeToFirstTokenMs, 'number');
    assert.ok(record.timeToFirstTokenMs! <= record.durationMs);
  });

  const cases = [
    {
      name: 'start input 27 output 1, delta input 27 output 47 stores output 47',
      start: { input_tokens: 27, output_tokens: 1 },
      delta: { input_tokens: 27, output_tokens: 47 },
      input: 27,
      output: 47,
    },
    {
      name: 'older delta with only output 15 stores output 15, not 16',
      start: { input_tokens: 25, output_tokens: 1 },
      delta: { output_tokens: 15 },
      input: 25,
      output: 15,
    },
    {
      name: 'start input 199 output 1, delta output 312 stores output 312',
      start: { input_tokens: 199, output_tokens: 1 },
      delta: { output_tokens: 312 },
      input: 199,
      output: 312,
    },
    {
      name: 'delta input 10682 after start input 2679 stores the delta value',
      start: { input_tokens: 2679, output_tokens: 3 },
      delta: { input_tokens: 10682, output_tokens: 510, server_tool_use: { web_search_requests: 1 } },
      input: 10682,
      output: 510,
    },
  ];
  for (const testCase of cases) {
    test(`usage: ${testCase.name}`, async () => {
      const { client, repository } = newClient();
      fake.enqueue({ type: 'reply', text: 'streamed', usage: testCase.start, deltaUsage: testCase.delta });
      await client.send({ model: 'claude-sonnet-4-5', maxTokens: 512, prompt: 'usage', stream: true });
      const record = repository.records[0]!;
      assert.equal(record.usage.inputTokens, testCase.input);
      assert.equal(record.usage.outputTokens, testCase.output);
    });
  }

  test('null delta fields and the cache split keep the message_start values', async () => {
    const { client, repository } = newClient();
    fake.enqueue({
      type: 'reply',
      usage: {
        input_tokens: 21,
        cache_creation_input_tokens: 300,
        cache_read_input_tokens: 1800,
        cache_creation: { ephemeral_5m_input_tokens: 100, ephemeral_1h_input_tokens: 200 },
        output_tokens: 1,
        service_tier: 'priority',
        inference_geo: 'us',
      },
      deltaUsage: { input_tokens: null, cache_creation_input_tokens: null, cache_read_input_tokens: 1800, output_tokens: 7 },
    });
    await client.send({ model: 'claude-sonnet-4-5', maxTokens: 64, prompt: 'cache', stream: true });
    const record = repository.records[0]!;
    assert.deepEqual(record.usage, {
      inputTokens: 21,
      outputTokens: 7,
      cacheWrite5mTokens: 100,
      cacheWrite1hTokens: 200,
      cacheReadTokens: 1800,
      webSearchRequests: 0,
    });
    assert.equal(record.serviceTier, 'priority');
    assert.equal(record.inferenceGeo, 'us');
  });

  test('stream closed before message_stop keeps partial usage and is an error', async () => {
    const { client, repository } = newClient();
    fake.enqueue({ type: 'reply', text: 'cut short', usage: { input_tokens: 40, output_tokens: 1 }, deltaUsage: { output_tokens: 9 }, streamEnd: 'no-message-stop' });

    const error = await client.send({ model: 'claude-sonnet-4-5', maxTokens: 64, prompt: 'cut', stream: true }).catch((thrown) => thrown);

    assert.ok(error instanceof PromptCallError);
    assert.match(error.message, /incomplete_stream/);
    const record = repository.records[0]!;
    assert.equal(error.record.id, record.id);
    assert.equal(record.status, 'error');
    assert.equal(record.errorType, 'incomplete_stream');
    assert.equal(record.httpStatus, 200);
    assert.equal(record.usage.inputTokens, 40);
    assert.equal(record.usage.outputTokens, 9);
    // 40 * 3000 + 9 * 15000 nano-dollars: the generated tokens are billed.
    assert.equal(record.cost?.total, 255_000n);
    assert.equal(record.responseSummary, 'cut short');
  });

  test('error event mid-stream keeps the message_start usage and the text so far', async () => {
    const { client, repository } = newClient();
    fake.enqueue({
      type: 'reply',
      text: 'abcdefghijklmnop',
      chunkSize: 4,
      usage: { input_tokens: 50, output_tokens: 2 },
      streamEnd: 'error-event',
      streamErrorType: 'overloaded_error',
    });
    const pieces: string[] = [];

    await assert.rejects(
      client.send({ model: 'claude-sonnet-4-5', maxTokens: 64, prompt: 'fail', stream: true, onText: (text) => void pieces.push(text) }),
      /during the stream: HTTP 200, overloaded_error, request req_/,
    );

    assert.deepEqual(pieces, ['abcd', 'efgh']);
    const record = repository.records[0]!;
    assert.equal(record.status, 'error');
    assert.equal(record.errorType, 'overloaded_error');
    assert.equal(record.httpStatus, 200);
    assert.equal(record.attempts, 1);
    assert.equal(record.usage.inputTokens, 50);
    assert.equal(record.usage.outputTokens, 2);
    assert.equal(record.cost?.total, 50n * 3000n + 2n * 15000n);
    assert.match(record.requestId ?? '', /^req_/);
  });

  test('529 before the stream starts is retried and counted', async () => {
    const { client, repository } = newClient();
    fake.enqueue({ type: 'error', status: 529, errorType: 'overloaded_error', retryAfterMs: 2 }, { type: 'reply', text: 'after retry' });
    const result = await client.send({ model: 'claude-sonnet-4-5', maxTokens: 64, prompt: 'retry', stream: true });
    assert.equal(result.text, 'after retry');
    assert.equal(repository.records[0]!.attempts, 2);
    assert.equal(repository.records[0]!.status, 'ok');
  });
});
