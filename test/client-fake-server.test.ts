import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { DEFAULT_REPLY_TEXT, startFakeAnthropic, type FakeAnthropic } from './support/fake-anthropic.js';

let fake: FakeAnthropic;
let sdk: Anthropic;
before(async () => {
  fake = await startFakeAnthropic({ apiKey: 'sk-ant-right' });
  sdk = new Anthropic({ apiKey: 'sk-ant-right', baseURL: fake.url, maxRetries: 0 });
});
after(async () => {
  await fake.close();
});

describe('fake Anthropic server through the SDK', () => {
  test('default reply derives input tokens from the prompt length', async () => {
    const { data, response } = await sdk.messages
      .create({ model: 'claude-haiku-4-5', max_tokens: 64, system: 'Be brief.', messages: [{ role: 'user', content: 'x'.repeat(40) }] })
      .withResponse();
    assert.equal(response.headers.get('content-type'), 'application/json');
    assert.match(response.headers.get('request-id') ?? '', /^req_011C\w{20}$/);
    assert.equal(data.model, 'claude-haiku-4-5-20251001');
    assert.equal((data.content[0] as Anthropic.TextBlock).text, DEFAULT_REPLY_TEXT);
    // "Be brief.\n" plus 40 characters is 50 characters, so ceil(50 / 4) = 13 tokens.
    assert.equal(data.usage.input_tokens, 13);
  });

  test('counts count_tokens calls and returns input_tokens', async () => {
    const before = fake.countTokensCalls;
    const result = await sdk.messages.countTokens({ model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'abcdefgh' }] });
    assert.equal(result.input_tokens, 2);
    assert.equal(fake.countTokensCalls, before + 1);
  });

  test('wrong key gets 401 authentication_error', async () => {
    const wrong = new Anthropic({ apiKey: 'sk-ant-wrong', baseURL: fake.url, maxRetries: 0 });
    const error = await wrong.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] }).catch((thrown) => thrown);
    assert.ok(error instanceof Anthropic.AuthenticationError);
    assert.equal(error.type, 'authentication_error');
    assert.match(error.requestID ?? '', /^req_/);
  });

  test('request log keeps headers without the key and the retry count', async () => {
    fake.enqueue({ type: 'error', status: 529, errorType: 'overloaded_error', retryAfterMs: 1 });
    const retrying = new Anthropic({ apiKey: 'sk-ant-right', baseURL: fake.url, maxRetries: 1 });
    const before = fake.requests.length;
    await retrying.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] });
    const logged = fake.requests.slice(before);
    assert.deepEqual(logged.map((request) => request.retryCount), [0, 1]);
    for (const request of logged) {
      assert.equal(request.headers.authorization, undefined);
      assert.equal(request.headers['x-api-key'], undefined);
      assert.equal(request.hadCredentials, true);
      assert.equal(request.body.model, 'claude-sonnet-4-5');
    }
  });

  test('handler answers when the queue is empty', async () => {
    fake.setHandler((request) => ({ type: 'reply', text: `echo ${request.body.messages[0].content}` }));
    try {
      const message = await sdk.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 8, messages: [{ role: 'user', content: 'ping' }] });
      assert.equal((message.content[0] as Anthropic.TextBlock).text, 'echo ping');
    } finally {
      fake.setHandler(undefined);
    }
  });

  test('MessageStream assembles a streamed reply with cumulative usage', async () => {
    fake.enqueue({ type: 'reply', text: 'streamed words', usage: { input_tokens: 25, output_tokens: 1 }, deltaUsage: { output_tokens: 15 } });
    const message = await sdk.messages.stream({ model: 'claude-sonnet-4-5', max_tokens: 32, messages: [{ role: 'user', content: 'hi' }] }).finalMessage();
    assert.equal((message.content[0] as Anthropic.TextBlock).text, 'streamed words');
    assert.equal(message.usage.input_tokens, 25);
    assert.equal(message.usage.output_tokens, 15);
  });

  test('unknown path gets 404 not_found_error', async () => {
    const response = await fetch(`${fake.url}/v1/nothing`, { method: 'POST', headers: { 'x-api-key': 'sk-ant-right' }, body: '{}' });
    assert.equal(response.status, 404);
    const body = await response.json();
    assert.equal(body.type, 'error');
    assert.equal(body.error.type, 'not_found_error');
  });

  test('latency delays each response by at least 30 ms', async () => {
    const slow = await startFakeAnthropic({ latencyMs: 30 });
    try {
      const client = new Anthropic({ apiKey: 'k', baseURL: slow.url, maxRetries: 0 });
      const started = performance.now();
      await client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] });
      assert.ok(performance.now() - started >= 29);
    } finally {
      await slow.close();
    }
  });
});
