import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnthropicPromptClient, PromptCallError } from '../src/client/index.js';
import { recordFromJson } from '../src/core/record-json.js';
import { startFakeAnthropic, type FakeAnthropic } from './support/fake-anthropic.js';
import { MemoryRepository } from './support/memory-repository.js';
import { stubPricer } from './support/stub-pricer.js';

const API_KEY = 'sk-ant-api03-secret-value-never-logged';

let fake: FakeAnthropic;
let directory: string;
before(async () => {
  fake = await startFakeAnthropic();
  directory = mkdtempSync(join(tmpdir(), 'anthrotrace-client-'));
});
after(async () => {
  await fake.close();
  rmSync(directory, { recursive: true, force: true });
});

function newClient(extra: Partial<ConstructorParameters<typeof AnthropicPromptClient>[0]> = {}) {
  const repository = new MemoryRepository();
  const lines: string[] = [];
  const logger = {
    level: 'DEBUG' as const,
    debug: (line: string) => void lines.push(line),
    info: (line: string) => void lines.push(line),
    warn: (line: string) => void lines.push(line),
    error: (line: string) => void lines.push(line),
  };
  const client = new AnthropicPromptClient({ repository, pricer: stubPricer, apiKey: API_KEY, baseURL: fake.url, logger, ...extra });
  return { client, repository, lines };
}

describe('AnthropicPromptClient API errors', () => {
  const cases = [
    { status: 401, errorType: 'authentication_error' },
    { status: 404, errorType: 'not_found_error' },
  ];
  for (const { status, errorType } of cases) {
    test(`${status} stores an error record with zero cost before throwing`, async () => {
      const { client, repository } = newClient();
      fake.enqueue({ type: 'error', status, errorType });

      const error = await client.send({ model: 'claude-sonnet-4-5', maxTokens: 8, prompt: 'hi' }).catch((thrown) => thrown);

      assert.ok(error instanceof PromptCallError);
      assert.equal(error.exitCode, 1);
      assert.match(error.message, new RegExp(`HTTP ${status}, ${errorType}, request req_`));
      assert.doesNotMatch(error.message, /\n/);
      const record = repository.records[0]!;
      assert.equal(record.status, 'error');
      assert.equal(record.httpStatus, status);
      assert.equal(record.errorType, errorType);
      assert.equal(record.attempts, 1);
      assert.match(record.requestId ?? '', /^req_/);
      assert.equal(record.modelServed, null);
      assert.deepEqual(record.cost, { input: 0n, output: 0n, cacheWrite5m: 0n, cacheWrite1h: 0n, cacheRead: 0n, webSearch: 0n, total: 0n });
      assert.equal(record.responseSummary, null);
    });
  }

  test('unpriced model with an error and no usage costs zero, not null', async () => {
    const { client, repository } = newClient();
    fake.enqueue({ type: 'error', status: 404, errorType: 'not_found_error' });
    await assert.rejects(client.send({ model: 'claude-nonexistent', maxTokens: 8, prompt: 'hi' }));
    assert.equal(repository.records[0]!.cost?.total, 0n);
  });

  test('max tokens 64000 unstreamed is rejected unsent, unrecorded', async () => {
    const { client, repository } = newClient();
    const before = fake.requests.length;
    const error = await client.send({ model: 'claude-sonnet-4-5', maxTokens: 64_000, prompt: 'long' }).catch((thrown) => thrown);
    assert.equal(error.exitCode, 2);
    assert.match(error.message, /request to model claude-sonnet-4-5 was not sent: Streaming is required .*: stream the reply \(--stream\) or lower max tokens/);
    assert.equal(repository.records.length, 0);
    assert.equal(fake.requests.length, before);
  });

  test('connection refused is recorded with the SDK error class', async () => {
    const closed = await startFakeAnthropic();
    const url = closed.url;
    await closed.close();
    const { client, repository } = newClient({ baseURL: url, maxRetries: 0 });
    await assert.rejects(client.send({ model: 'claude-sonnet-4-5', maxTokens: 8, prompt: 'hi' }), /APIConnectionError/);
    const record = repository.records[0]!;
    assert.equal(record.errorType, 'APIConnectionError');
    assert.equal(record.httpStatus, null);
    assert.equal(record.requestId, null);
  });

  test('API key appears in no record, log line or error message', async () => {
    const { client, repository, lines } = newClient();
    fake.enqueue({ type: 'error', status: 401, errorType: 'authentication_error' });
    const error = await client.send({ model: 'claude-sonnet-4-5', maxTokens: 8, prompt: 'hi' }).catch((thrown) => thrown);
    await client.send({ model: 'claude-sonnet-4-5', maxTokens: 8, prompt: 'hi', stream: true });

    const everything = [JSON.stringify(repository.records, (_key, value) => (typeof value === 'bigint' ? String(value) : value)), ...lines, error.message, String(error.stack)].join('\n');
    assert.ok(!everything.includes(API_KEY));
    assert.ok(!everything.includes('secret-value'));
    assert.equal(lines.filter((line) => line.startsWith('call request_id=')).length, 2);
  });
});

describe('AnthropicPromptClient store failures', () => {
  test('appends the record to the fallback file when the store rejects it', async () => {
    const fallbackPath = join(directory, 'nested', 'unsaved.jsonl');
    const { client, repository, lines } = newClient({ fallbackPath });
    repository.failWith = new Error('database is locked');
    fake.enqueue({ type: 'reply', text: 'paid for', usage: { input_tokens: 10, output_tokens: 4 } });

    const result = await client.send({ model: 'claude-sonnet-4-5', maxTokens: 8, prompt: 'hi' });

    assert.equal(result.destination, 'fallback-file');
    assert.equal(result.storeError?.message, 'database is locked');
    const saved = readFileSync(fallbackPath, 'utf8').trim().split('\n');
    assert.equal(saved.length, 1);
    const record = recordFromJson(JSON.parse(saved[0]!));
    assert.equal(record.id, result.record.id);
    assert.equal(record.usage.outputTokens, 4);
    assert.equal(record.cost?.total, 10n * 3000n + 4n * 15000n);
    assert.ok(lines.some((line) => line.includes('database is locked') && line.includes(fallbackPath)));
  });

  test('writes to stderr when the fallback file cannot be written', async () => {
    const blocked = join(directory, 'blocked');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(blocked, 'a file, so no directory can be made under it');
    const { client, repository } = newClient({ fallbackPath: join(blocked, 'unsaved.jsonl') });
    repository.failWith = new Error('disk full');
    const written: string[] = [];
    const original = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => {
      written.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    try {
      const result = await client.send({ model: 'claude-sonnet-4-5', maxTokens: 8, prompt: 'hi' });
      assert.equal(result.destination, 'stderr');
      assert.ok(written.some((line) => line.includes(result.record.id)));
    } finally {
      process.stderr.write = original;
    }
  });
});
