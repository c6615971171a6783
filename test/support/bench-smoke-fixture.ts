/**
 * Writes fixtures/replay/bench-smoke.jsonl and fixtures/bench/smoke.baseline.json: the smoke suite
 * recorded by `bench --record` against the fake server with its default replies, then replayed with
 * `--update-baseline`.
 *
 * Run after a build: npx tsx test/support/bench-smoke-fixture.ts
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeAnthropic } from './fake-anthropic.js';

// Relative paths, because the baseline stores the suite path as given on the command line.
const SUITE = 'fixtures/bench/smoke.yaml';
const REPLAY = 'fixtures/replay/bench-smoke.jsonl';
const BASELINE = 'fixtures/bench/smoke.baseline.json';

/** Record the smoke suite into REPLAY and write BASELINE from that recording, through the built CLI. */
export async function recordBenchSmoke(root: string): Promise<void> {
  const fake = await startFakeAnthropic();
  const directory = mkdtempSync(join(tmpdir(), 'anthrotrace-bench-smoke-'));
  const binary = join(root, 'bin', 'anthrotrace.js');
  const env = { ...process.env, XDG_DATA_HOME: directory, ANTHROTRACE_STORE: join(directory, 'store.db') };
  // Asynchronous, because the fake server runs in this process and must keep serving.
  const run = (args: string[], extra: Record<string, string> = {}) =>
    promisify(execFile)(process.execPath, [binary, 'bench', SUITE, ...args], { cwd: root, env: { ...env, ...extra } });
  try {
    rmSync(join(root, REPLAY), { force: true });
    rmSync(join(root, BASELINE), { force: true });
    // One call at a time, so the recording lists the calls in suite order.
    await run(['--record', REPLAY, '--concurrency', '1'], { ANTHROPIC_API_KEY: 'sk-ant-fixture', ANTHROPIC_BASE_URL: fake.url });
    await run(['--replay', REPLAY, '--baseline', BASELINE, '--update-baseline']);
  } finally {
    await fake.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  await recordBenchSmoke(root);
  console.error(`wrote ${join(root, REPLAY)} and ${join(root, BASELINE)}`);
}
