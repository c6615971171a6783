import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AnthropicPromptClient } from '../src/client/index.js';
import { startFakeAnthropic, type FakeAnthropic } from './support/fake-anthropic.js';
import { MemoryRepository } from './support/memory-repository.js';
import { stubPricer } from './support/stub-pricer.js';

const API_KEY = 'sk-ant-test-key-0123456789';

let fake: FakeAnthropic;
before(async () => {
  fake = await startFakeAnthropic();
});
after(async () => {
  await fake.close();
});

function newClient(repository = new MemoryRepository(), extra: Partial<ConstructorParameters<typeof AnthropicPromptClient>[0]> = {}) {
  const client = new AnthropicPromptClient({ repository, pricer: stubPricer, apiKey: API_KEY, baseURL: fake.url, ...extra });
  return { client, repository };
}

describe('AnthropicPromptClient JSON replies', () => {
  test('stores one priced record with the request id', async () => {
    const { client, repository } = newClient();
    fake.enqueue({
      type: 'reply',
      text: 'Exact.',
      usage: {
        input_tokens: 12,
        cache_creation_input_tokens: 100,
        cache_read_input_tokens: 1800,
        cache_creation: { ephemeral_5m_input_tokens: 40, ephemeral_1h_input_tokens: 60 },
        output_tokens: 5,
        service_tier: 'standard',
        inference_geo: 'global',
      },
    });

    const result = await client.send({ model: 'claude-sonnet-4-5', maxTokens: 64, prompt: 'Say hi', tags: { team: 'ledger' }, category: 'demo' });

    assert.equal(result.text, 'Exact.');
    assert.equal(repository.records.length, 1);
    const record = repository.records[0]!;
    assert.match(record.requestId ?? '', /^req_/);
    assert.match(record.messageId ?? '', /^msg_/);
    assert.equal(record.modelRequested, 'claude-sonnet-4-5');
    assert.equal(record.modelServed, 'claude-sonnet-4-5-20250929');
    assert.equal(record.status, 'ok');
    assert.equal(record.attempts, 1);
    assert.equal(record.httpStatus, 200);
    assert.equal(record.stopReason, 'end_turn');
    assert.deepEqual(record.usage, {
      inputTokens: 12,
      outputTokens: 5,
      cacheWrite5mTokens: 40,
      cacheWrite1hTokens: 60,
      cacheReadTokens: 1800,
      webSearchRequests: 0,
    });
    // 12*3000 + 5*15000 + 40*3750 + 60*6000 + 1800*300 nano-dollars
    assert.equal(record.cost?.total, 36000n + 75000n + 150000n + 360000n + 540000n);
    assert.equal(record.serviceTier, 'standard');
    assert.equal(record.inferenceGeo, 'global');
    assert.equal(record.timeToFirstTokenMs, null);
    assert.equal(record.category, 'demo');
    assert.deepEqual(record.tags, { team: 'ledger' });
    assert.equal(record.source, 'send');
    assert.equal(record.promptText, 'Say hi');
    assert.equal(record.responseSummary, 'Exact.');
    assert.match(record.promptHash ?? '', /^[0-9a-f]{64}$/);
  });

  test('request carries version header, not call id', async () => {
    const { client } = newClient();
    const before = fake.requests.length;
    await client.send({ model: 'claude-sonnet-4-5', maxTokens: 32, system: 'Be brief.', prompt: 'Hi', temperature: 0.2 });

    const request = fake.requests[before]!;
    assert.equal(request.path, '/v1/messages');
    // The SDK picks the API version date (2026-10-21 in @anthropic-ai/sdk 1.17); the API requires one.
    assert.match(request.headers['anthropic-version'] ?? '', /^\d{4}-\d{2}-\d{2}$/);
    assert.equal(request.headers['x-anthrotrace-call-id'], undefined);
    assert.equal(request.hadCredentials, true);
    assert.deepEqual(request.body, {
      model: 'claude-sonnet-4-5',
      max_tokens: 32,
      messages: [{ role: 'user', content: 'Hi' }],
      system: 'Be brief.',
      temperature: 0.2,
    });
  });

  test('keeps the summary to 200 characters and omits text with storeText false', async () => {
    const long = 'x'.repeat(250);
    const { client, repository } = newClient();
    fake.enqueue({ type: 'reply', text: long });
    await client.send({ model: 'claude-sonnet-4-5', maxTokens: 300, prompt: 'long' });
    assert.equal(repository.records[0]!.responseSummary?.length, 200);

    const quiet = newClient(new MemoryRepository(), { storeText: false });
    await quiet.client.send({ model: 'claude-sonnet-4-5', maxTokens: 300, prompt: 'secret prompt' });
    const record = quiet.repository.records[0]!;
    assert.equal(record.promptText, null);
    assert.equal(record.responseSummary, null);
    assert.match(record.promptHash ?? '', /^[0-9a-f]{64}$/);
  });

  test('hashes equal prompts equally whatever the key order', async () => {
    const { client, repository } = newClient();
    await client.send({ model: 'claude-sonnet-4-5', maxTokens: 8, prompt: 'same' });
    await client.send({ model: 'claude-sonnet-4-5', maxTokens: 8, messages: [{ content: 'same', role: 'user' }] });
    await client.send({ model: 'claude-sonnet-4-5', maxTokens: 8, prompt: 'other' });
    const [first, second, third] = repository.records.map((record) => record.promptHash);
    assert.equal(first, second);
    assert.notEqual(first, third);
  });

  test('stores an unpriced model with null cost and a warning naming it', async () => {
    const warnings: string[] = [];
    const logger = { level: 'INFO' as const, debug() {}, info() {}, warn: (line: string) => void warnings.push(line), error() {} };
    const { client, repository } = newClient(new MemoryRepository(), { logger });
    await client.send({ model: 'claude-unknown-9', maxTokens: 8, prompt: 'hi' });
    assert.equal(repository.records[0]!.cost, null);
    assert.equal(repository.records[0]!.priceEntry, null);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /claude-unknown-9/);
  });

  test('merges default and per-call tags and calls onRecord once', async () => {
    const seen: string[] = [];
    const { client, repository } = newClient(new MemoryRepository(), {
      tags: { team: 'a', env: 'ci' },
      category: 'default-category',
      source: 'bench',
      onRecord: (record) => void seen.push(record.id),
    });
    await client.send({ model: 'claude-sonnet-4-5', maxTokens: 8, prompt: 'hi', tags: { team: 'b' } });
    const record = repository.records[0]!;
    assert.deepEqual(record.tags, { team: 'b', env: 'ci' });
    assert.equal(record.category, 'default-category');
    assert.equal(record.source, 'bench');
    assert.deepEqual(seen, [record.id]);
  });

  test('rejects a request with both prompt and messages', async () => {
    const { client, repository } = newClient();
    await assert.rejects(
      client.send({ model: 'claude-sonnet-4-5', maxTokens: 8, prompt: 'a', messages: [{ role: 'user', content: 'b' }] }),
      /exactly one of prompt or messages/,
    );
    await assert.rejects(client.send({ model: 'claude-sonnet-4-5', maxTokens: 0, prompt: 'a' }), /invalid max tokens 0/);
    assert.equal(repository.records.length, 0);
  });
});

describe('AnthropicPromptClient retries', () => {
  test('529, 429, 200: one record, attempts 3, $0.002', async () => {
    const { client, repository } = newClient();
    const before = fake.requests.length;
    fake.enqueue(
      { type: 'error', status: 529, errorType: 'overloaded_error', retryAfterMs: 5 },
      { type: 'error', status: 429, errorType: 'rate_limit_error', retryAfter: 0.005 },
      { type: 'reply', text: 'ok', usage: { input_tokens: 1000, output_tokens: 200 } },
    );

    await client.send({ model: 'claude-haiku-4-5', maxTokens: 256, prompt: 'retry me' });

    assert.equal(repository.records.length, 1);
    const record = repository.records[0]!;
    assert.equal(record.attempts, 3);
    assert.equal(record.status, 'ok');
    assert.equal(record.usage.inputTokens, 1000);
    assert.equal(record.usage.outputTokens, 200);
    assert.equal(record.cost?.total, 2_000_000n);
    assert.deepEqual(
      fake.requests.slice(before).map((request) => request.retryCount),
      [0, 1, 2],
    );
  });

  test('429 on every attempt stores one error record with attempts 3', async () => {
    const { client, repository } = newClient();
    fake.enqueue(
      { type: 'error', status: 429, errorType: 'rate_limit_error', retryAfterMs: 1 },
      { type: 'error', status: 429, errorType: 'rate_limit_error', retryAfterMs: 1 },
      { type: 'error', status: 429, errorType: 'rate_limit_error', retryAfterMs: 1 },
    );
    await assert.rejects(client.send({ model: 'claude-haiku-4-5', maxTokens: 8, prompt: 'hi' }), /HTTP 429, rate_limit_error, request req_/);
    const record = repository.records[0]!;
    assert.equal(record.attempts, 3);
    assert.equal(record.status, 'error');
    assert.equal(record.errorType, 'rate_limit_error');
    assert.equal(record.httpStatus, 429);
    assert.equal(record.cost?.total, 0n);
  });

  test('maxRetries 0 makes one attempt', async () => {
    const { client, repository } = newClient(new MemoryRepository(), { maxRetries: 0 });
    fake.enqueue({ type: 'error', status: 529, errorType: 'overloaded_error', retryAfterMs: 1 });
    await assert.rejects(client.send({ model: 'claude-haiku-4-5', maxTokens: 8, prompt: 'hi' }), /HTTP 529, overloaded_error/);
    assert.equal(repository.records[0]!.attempts, 1);
  });
});
