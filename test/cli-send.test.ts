import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeAnthropic, type FakeAnthropic } from './support/fake-anthropic.js';
import { QUICKSTART_PROMPT, QUICKSTART_TEXT, recordQuickstart } from './support/quickstart-fixture.js';
import { storedRecords } from './support/stored-records.js';

const BINARY = fileURLToPath(new URL('../bin/anthrotrace.js', import.meta.url));
const QUICKSTART = fileURLToPath(new URL('../fixtures/replay/quickstart.jsonl', import.meta.url));
const API_KEY = 'sk-ant-api03-cli-secret-key-value';

let fake: FakeAnthropic;
let directory: string;
let storeCounter = 0;
before(async () => {
  fake = await startFakeAnthropic();
  directory = mkdtempSync(join(tmpdir(), 'anthrotrace-cli-send-'));
});
after(async () => {
  await fake.close();
  rmSync(directory, { recursive: true, force: true });
});

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the built CLI without blocking this process, which serves the fake API. */
function run(args: string[], options: { env?: Record<string, string | undefined>; input?: string } = {}): Promise<RunResult> {
  const env: Record<string, string | undefined> = { ...process.env, ANTHROPIC_API_KEY: undefined, ANTHROPIC_BASE_URL: undefined, LOG_LEVEL: undefined, ...options.env };
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [BINARY, ...args], { env: env as NodeJS.ProcessEnv }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
    child.stdin?.end(options.input ?? '');
  });
}

function newStore(): string {
  storeCounter += 1;
  return join(directory, `store-${storeCounter}.db`);
}


describe('anthrotrace send --replay with the quick start fixture', () => {
  for (const stream of [false, true]) {
    const flags = stream ? ['--stream'] : [];
    test(`prints the haiku as text${stream ? ' while streaming' : ''} and stores the record`, async () => {
      const store = newStore();
      const result = await run(['--store', store, 'send', '--replay', QUICKSTART, ...flags, QUICKSTART_PROMPT]);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, `${QUICKSTART_TEXT}\n`);
      assert.match(result.stderr, /call request_id=req_\w+ model=claude-sonnet-5-5 status=ok http_status=200 duration_ms=\d+ attempts=1/);
      assert.match(result.stderr, /cost \$0\.000306: input 18, output 27, cache read 0/);
      const records = await storedRecords(store);
      assert.equal(records.length, 1);
      assert.equal(records[0]!.usage.inputTokens, 18);
      assert.equal(records[0]!.timeToFirstTokenMs === null, !stream);
    });

    test(`prints the record as JSON${stream ? ' while streaming' : ''}`, async () => {
      const result = await run(['--store', newStore(), 'send', '--replay', QUICKSTART, '--format', 'json', ...flags, QUICKSTART_PROMPT]);
      assert.equal(result.code, 0, result.stderr);
      const output = JSON.parse(result.stdout);
      assert.equal(output.text, QUICKSTART_TEXT);
      assert.equal(output.record.model, 'claude-sonnet-5-5');
      assert.equal(output.record.model_requested, 'claude-sonnet-5-5');
      assert.equal(output.record.status, 'ok');
      assert.deepEqual(output.record.usage, {
        input_tokens: 18,
        output_tokens: 27,
        cache_write_5m_tokens: 0,
        cache_write_1h_tokens: 0,
        cache_read_tokens: 0,
        web_search_requests: 0,
      });
      // Sonnet 5.5 list prices: 18 * $2 + 27 * $10 per million tokens.
      assert.match(result.stdout, /"total": 0\.000306\b/);
      assert.equal(output.record.prompt_text, QUICKSTART_PROMPT);
    });
  }

  test('fixture matches a fresh recording except ids', async () => {
    const fresh = join(directory, 'quickstart-fresh.jsonl');
    await recordQuickstart(fresh);
    // Request and message ids are random per recording. Replay ignores request headers, and the
    // SDK's version and platform headers change with the SDK release and the machine.
    const normalize = (text: string) =>
      text
        .replace(/(req|msg)_\w{24}/g, '$1_ID')
        .replace(/"(x-stainless-[a-z-]+|user-agent|anthropic-version)":"[^"]*",?/g, '');
    assert.equal(normalize(readFileSync(fresh, 'utf8')), normalize(readFileSync(QUICKSTART, 'utf8')));
  });

  test('--no-store-text keeps neither prompt nor reply', async () => {
    const store = newStore();
    const result = await run(['--store', store, 'send', '--replay', QUICKSTART, '--no-store-text', '--format', 'json', QUICKSTART_PROMPT]);
    assert.equal(result.code, 0, result.stderr);
    const output = JSON.parse(result.stdout);
    assert.equal(output.record.prompt_text, null);
    assert.equal(output.record.response_summary, null);
    assert.equal(output.text, QUICKSTART_TEXT);
    const [record] = await storedRecords(store);
    assert.equal(record!.promptText, null);
    assert.equal(record!.responseSummary, null);
  });

  test('reads the prompt from stdin when no argument is given', async () => {
    const result = await run(['--store', newStore(), 'send', '--replay', QUICKSTART], { input: `${QUICKSTART_PROMPT}\n` });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, `${QUICKSTART_TEXT}\n`);
  });

  test('unrecorded prompt exits 2 naming the model and the file', async () => {
    const store = newStore();
    const result = await run(['--store', store, 'send', '--replay', QUICKSTART, '--model', 'claude-haiku-4-5', QUICKSTART_PROMPT]);
    assert.equal(result.code, 2);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^error: no recorded response in .*quickstart\.jsonl matches this request to model claude-haiku-4-5; record one by running the same command with an API key and --record /m);
    assert.equal(result.stderr.trim().split('\n').length, 1);
  });
});

describe('anthrotrace send against the API', () => {
  test('sends with the key, records, and leaks the key nowhere with --verbose', async () => {
    const store = newStore();
    const recording = join(directory, 'verbose.jsonl');
    const env = { ANTHROPIC_API_KEY: API_KEY, ANTHROPIC_BASE_URL: fake.url };
    const result = await run(['--store', store, '--verbose', 'send', '--record', recording, '--tag', 'team=ledger', '--category', 'demo', 'hello'], { env });
    const streamed = await run(['--store', store, '--verbose', 'send', '--record', recording, '--stream', 'hello'], { env });

    assert.equal(result.code, 0, result.stderr);
    assert.equal(streamed.code, 0, streamed.stderr);
    const storeFiles = [store, `${store}-wal`].filter((path) => existsSync(path)).map((path) => readFileSync(path).toString('latin1'));
    const everything = [result.stdout, result.stderr, streamed.stdout, streamed.stderr, readFileSync(recording, 'utf8'), ...storeFiles];
    for (const text of everything) assert.ok(!text.includes(API_KEY));
    const records = await storedRecords(store);
    assert.equal(records.length, 2);
    assert.deepEqual(records[0]!.tags, { team: 'ledger' });
    assert.equal(records[0]!.category, 'demo');
  });

  test('API error stores the record and exits 1 with one line', async () => {
    const store = newStore();
    fake.enqueue({ type: 'error', status: 404, errorType: 'not_found_error', message: 'model: claude-nope' });
    const result = await run(['--store', store, 'send', '--model', 'claude-nope', 'hi'], { env: { ANTHROPIC_API_KEY: API_KEY, ANTHROPIC_BASE_URL: fake.url } });

    assert.equal(result.code, 1);
    const errorLines = result.stderr.split('\n').filter((line) => line.startsWith('error: '));
    assert.equal(errorLines.length, 1);
    assert.match(errorLines[0]!, /HTTP 404, not_found_error, request req_\w+: model: claude-nope; check the model id/);
    const [record] = await storedRecords(store);
    assert.equal(record!.status, 'error');
    assert.equal(record!.httpStatus, 404);
    assert.equal(record!.errorType, 'not_found_error');
    assert.equal(record!.cost?.total, 0n);
  });

  test('SIGINT mid-stream stores partial usage, exits 130', async () => {
    const slow = await startFakeAnthropic({ eventDelayMs: 150 });
    try {
      slow.enqueue({ type: 'reply', text: 'a slow reply in many pieces', chunkSize: 2, usage: { input_tokens: 70, output_tokens: 3 } });
      const store = newStore();
      const env = { ...process.env, ANTHROPIC_API_KEY: API_KEY, ANTHROPIC_BASE_URL: slow.url };
      const child = spawn(process.execPath, [BINARY, '--store', store, 'send', '--stream', 'hi'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.stdout.once('data', () => child.kill('SIGINT'));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));

      assert.equal(code, 130, stderr);
      assert.match(stderr, /error: interrupted: the call was aborted and its record stored/);
      const [record] = await storedRecords(store);
      assert.equal(record!.status, 'error');
      assert.equal(record!.errorType, 'incomplete_stream');
      assert.equal(record!.usage.inputTokens, 70);
      assert.equal(record!.usage.outputTokens, 3);
    } finally {
      await slow.close();
    }
  });

  test('missing API key exits 2 and says how to fix it', async () => {
    const store = newStore();
    const result = await run(['--store', store, 'send', 'hi']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^error: missing API key: set ANTHROPIC_API_KEY, or use --replay FILE/);
    assert.equal(existsSync(store), false);
  });
});

describe('anthrotrace send flags', () => {
  const cases: { args: string[]; message: RegExp }[] = [
    { args: ['--max-tokens', '0'], message: /invalid --max-tokens "0": use a whole number of at least 1/ },
    { args: ['--max-tokens', '12.5'], message: /invalid --max-tokens "12\.5"/ },
    { args: ['--temperature', '1.5'], message: /invalid --temperature "1\.5": use a number from 0 to 1/ },
    { args: ['--tag', 'team'], message: /invalid --tag "team": use key=value/ },
    { args: ['--format', 'xml'], message: /argument 'xml' is invalid/ },
    { args: ['--record', 'a.jsonl', '--replay', 'b.jsonl'], message: /cannot be used with option '--replay/ },
    { args: ['--no-such-flag'], message: /unknown option '--no-such-flag'/ },
  ];
  for (const { args, message } of cases) {
    test(`${args.join(' ')} exits 2`, async () => {
      const result = await run(['--store', newStore(), 'send', ...args, 'hi'], { env: { ANTHROPIC_API_KEY: API_KEY, ANTHROPIC_BASE_URL: fake.url } });
      assert.equal(result.code, 2);
      assert.match(result.stderr, message);
      assert.equal(result.stdout, '');
    });
  }

  test('empty stdin and no argument exits 2', async () => {
    const result = await run(['--store', newStore(), 'send', '--replay', QUICKSTART], { input: '' });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /missing prompt: give it as an argument/);
  });

  test('missing replay file exits 2 naming it', async () => {
    const result = await run(['--store', newStore(), 'send', '--replay', join(directory, 'absent.jsonl'), 'hi']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /cannot read replay file .*absent\.jsonl: file not found/);
  });
});
