/**
 * Writes fixtures/replay/quickstart.jsonl: the README quick start's two
 * requests (`send "Write a haiku about exact accounting."`, without and with
 * --stream), recorded by `send --record` against the fake server.
 *
 * Run after a build: npx tsx test/support/quickstart-fixture.ts
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeAnthropic, type FakeResponse } from './fake-anthropic.js';

export const QUICKSTART_PROMPT = 'Write a haiku about exact accounting.';
export const QUICKSTART_TEXT = 'Every cent in place,\nledger columns meet as one—\nbalance, to the last.';

/** Headers a real reply carries besides request-id and content-type (values made up, formats as documented). */
const RATE_LIMIT_HEADERS = {
  'anthropic-ratelimit-requests-limit': '4000',
  'anthropic-ratelimit-requests-remaining': '3999',
  'anthropic-ratelimit-requests-reset': '2026-11-30T09:14:07Z',
  'anthropic-ratelimit-input-tokens-limit': '2000000',
  'anthropic-ratelimit-input-tokens-remaining': '2000000',
  'anthropic-ratelimit-input-tokens-reset': '2026-11-30T09:14:07Z',
  'anthropic-ratelimit-output-tokens-limit': '400000',
  'anthropic-ratelimit-output-tokens-remaining': '400000',
  'anthropic-ratelimit-output-tokens-reset': '2026-11-30T09:14:07Z',
};

const USAGE = {
  input_tokens: 18,
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 0,
  cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
  output_tokens: 27,
  service_tier: 'standard',
  inference_geo: 'global',
};

export const QUICKSTART_REPLIES: FakeResponse[] = [
  { type: 'reply', text: QUICKSTART_TEXT, usage: USAGE, headers: RATE_LIMIT_HEADERS },
  {
    type: 'reply',
    text: QUICKSTART_TEXT,
    usage: { ...USAGE, output_tokens: 1 },
    deltaUsage: { input_tokens: 18, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 27 },
    chunkSize: 14,
    headers: RATE_LIMIT_HEADERS,
  },
];

/** Record the quick start's exchanges into `file` through the built CLI. */
export async function recordQuickstart(file: string): Promise<void> {
  const fake = await startFakeAnthropic();
  const directory = mkdtempSync(join(tmpdir(), 'anthrotrace-quickstart-'));
  const binary = fileURLToPath(new URL('../../bin/anthrotrace.js', import.meta.url));
  try {
    fake.enqueue(...QUICKSTART_REPLIES);
    for (const extra of [[], ['--stream']]) {
      // Asynchronous, because the fake server runs in this process and must keep serving.
      await promisify(execFile)(process.execPath, [binary, 'send', '--record', file, ...extra, QUICKSTART_PROMPT], {
        env: { ...process.env, ANTHROPIC_API_KEY: 'sk-ant-fixture', ANTHROPIC_BASE_URL: fake.url, ANTHROTRACE_STORE: join(directory, 'store.db') },
      });
    }
  } finally {
    await fake.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const target = fileURLToPath(new URL('../../fixtures/replay/quickstart.jsonl', import.meta.url));
  rmSync(target, { force: true });
  await recordQuickstart(target);
  console.error(`wrote ${target}`);
}
