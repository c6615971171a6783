import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnthropicPromptClient, ReplayMissError, createRecordingFetch, createReplayFetch } from '../src/client/index.js';
import type { PromptRecord } from '../src/core/record.js';
import { startFakeAnthropic, type FakeAnthropic } from './support/fake-anthropic.js';
import { MemoryRepository } from './support/memory-repository.js';
import { stubPricer } from './support/stub-pricer.js';

const API_KEY = 'sk-ant-api03-recording-secret';

let fake: FakeAnthropic;
let directory: string;
before(async () => {
  fake = await startFakeAnthropic();
  directory = mkdtempSync(join(tmpdir(), 'anthrotrace-recording-'));
});
after(async () => {
  await fake.close();
  rmSync(directory, { recursive: true, force: true });
});

function recordingClient(file: string) {
  const repository = new MemoryRepository();
  const client = new AnthropicPromptClient({
    repository,
    pricer: stubPricer,
    apiKey: API_KEY,
    baseURL: fake.url,
    fetch: createRecordingFetch(file, (input, init) => fetch(input, init)),
  });
  return { client, repository };
}

function replayClient(file: string) {
  const repository = new MemoryRepository();
  // No API key and an address nothing listens on: a replay must not need either.
  const client = new AnthropicPromptClient({ repository, pricer: stubPricer, apiKey: 'replay', baseURL: 'http://127.0.0.1:9', fetch: createReplayFetch(file) });
  return { client, repository };
}

/** The fields a replay must reproduce; ids, instants and durations differ by design. */
function comparable(record: PromptRecord) {
  const { id: _id, startedAt: _startedAt, durationMs: _duration, timeToFirstTokenMs: _ttft, ...rest } = record;
  return rest;
}

describe('record and replay', () => {
  test('replay reproduces JSON, streamed and retried calls', async () => {
    const file = join(directory, 'mixed.jsonl');
    const recorder = recordingClient(file);
    fake.enqueue(
      { type: 'reply', text: 'first', usage: { input_tokens: 30, cache_read_input_tokens: 1200, output_tokens: 6 } },
      { type: 'reply', text: 'streamed reply text', usage: { input_tokens: 12, output_tokens: 1 }, deltaUsage: { input_tokens: 12, output_tokens: 9 } },
      { type: 'error', status: 529, errorType: 'overloaded_error', retryAfterMs: 1 },
      { type: 'reply', text: 'after a retry' },
    );
    const texts: string[] = [];
    texts.push((await recorder.client.send({ model: 'claude-sonnet-4-5', maxTokens: 64, prompt: 'one' })).text);
    texts.push((await recorder.client.send({ model: 'claude-sonnet-4-5', maxTokens: 64, prompt: 'two', stream: true })).text);
    texts.push((await recorder.client.send({ model: 'claude-haiku-4-5', maxTokens: 64, prompt: 'three' })).text);

    const replayer = replayClient(file);
    const replayed: string[] = [];
    const streamed: string[] = [];
    replayed.push((await replayer.client.send({ model: 'claude-sonnet-4-5', maxTokens: 64, prompt: 'one' })).text);
    replayed.push((await replayer.client.send({ model: 'claude-sonnet-4-5', maxTokens: 64, prompt: 'two', stream: true, onText: (text) => void streamed.push(text) })).text);
    replayed.push((await replayer.client.send({ model: 'claude-haiku-4-5', maxTokens: 64, prompt: 'three' })).text);

    assert.deepEqual(replayed, texts);
    assert.equal(streamed.join(''), 'streamed reply text');
    assert.equal(replayer.repository.records.length, 3);
    for (let i = 0; i < 3; i++) {
      assert.deepEqual(comparable(replayer.repository.records[i]!), comparable(recorder.repository.records[i]!));
    }
    assert.equal(replayer.repository.records[2]!.attempts, 2);
    assert.equal(typeof replayer.repository.records[1]!.timeToFirstTokenMs, 'number');
  });

  test('recording drops credentials and keeps the wire headers', async () => {
    const file = join(directory, 'credentials.jsonl');
    const recorder = recordingClient(file);
    await recorder.client.send({ model: 'claude-sonnet-4-5', maxTokens: 16, prompt: 'hi' });
    await recorder.client.send({ model: 'claude-sonnet-4-5', maxTokens: 16, prompt: 'hi', stream: true });

    const text = readFileSync(file, 'utf8');
    assert.ok(!text.includes(API_KEY));
    assert.ok(!text.includes('recording-secret'));
    const [json, stream] = text.trim().split('\n').map((line) => JSON.parse(line));
    assert.equal(json.request.headers.authorization, undefined);
    assert.equal(json.request.headers['x-api-key'], undefined);
    assert.equal(json.request.headers['x-anthrotrace-call-id'], undefined);
    assert.equal(json.response.headers['content-type'], 'application/json');
    assert.match(json.response.headers['request-id'], /^req_/);
    assert.match(stream.response.headers['content-type'], /^text\/event-stream/);
    assert.match(stream.response.body, /^event: message_start\ndata: /);
    assert.match(stream.response.body, /event: message_stop\ndata: \{"type":"message_stop"\}\n\n$/);
  });

  test('identical requests get their responses in recorded order', async () => {
    const file = join(directory, 'repeated.jsonl');
    const recorder = recordingClient(file);
    fake.enqueue({ type: 'reply', text: 'first answer' }, { type: 'reply', text: 'second answer' });
    await recorder.client.send({ model: 'claude-sonnet-4-5', maxTokens: 16, prompt: 'again' });
    await recorder.client.send({ model: 'claude-sonnet-4-5', maxTokens: 16, prompt: 'again' });

    const replayer = replayClient(file);
    assert.equal((await replayer.client.send({ model: 'claude-sonnet-4-5', maxTokens: 16, prompt: 'again' })).text, 'first answer');
    assert.equal((await replayer.client.send({ model: 'claude-sonnet-4-5', maxTokens: 16, prompt: 'again' })).text, 'second answer');
    await assert.rejects(
      replayer.client.send({ model: 'claude-sonnet-4-5', maxTokens: 16, prompt: 'again' }),
      /all 2 recorded responses for this request to model claude-sonnet-4-5 in .*repeated\.jsonl were already served/,
    );
  });

  test('unrecorded request fails with the model, the file and no record', async () => {
    const file = join(directory, 'miss.jsonl');
    const recorder = recordingClient(file);
    await recorder.client.send({ model: 'claude-sonnet-4-5', maxTokens: 16, prompt: 'recorded' });

    const replayer = replayClient(file);
    const error = await replayer.client.send({ model: 'claude-haiku-4-5', maxTokens: 16, prompt: 'not recorded' }).catch((thrown) => thrown);

    assert.ok(error instanceof ReplayMissError);
    assert.equal(error.exitCode, 2);
    assert.match(error.message, /no recorded response in .*miss\.jsonl matches this request to model claude-haiku-4-5; record one/);
    assert.match(error.message, /--record .*miss\.jsonl/);
    assert.equal(replayer.repository.records.length, 0);
  });

  test('unwritable recording path fails at once', () => {
    const path = join(directory, 'no-such-directory', 'out.jsonl');
    assert.throws(() => createRecordingFetch(path, (input, init) => fetch(input, init)), /cannot write recording file .*out\.jsonl: .*choose a writable path for --record/);
  });

  test('missing replay file is an input error naming the file', () => {
    assert.throws(() => createReplayFetch(join(directory, 'absent.jsonl')), /cannot read replay file .*absent\.jsonl: file not found/);
  });
});
