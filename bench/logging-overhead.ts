/**
 * Time that AnthropicPromptClient adds to one call: 2,000 sequential calls
 * through the bare SDK and 2,000 through the client with the built-in price
 * table and SQLite logging (one insert per call, in a scratch file). The
 * loopback fake API runs in a child process and replies at once. The two loops
 * alternate in blocks of 100 calls, so load from other processes falls on both.
 *
 * Usage: node --import tsx bench/logging-overhead.ts [CALLS=2000] [RUNS=3]
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Anthropic from '@anthropic-ai/sdk';
import { AnthropicPromptClient } from '../src/client/index.js';
import { loadPriceTable } from '../src/pricing/table.js';
import { openRepository } from '../src/store/open.js';

const BLOCK = 100;

if (process.argv[2] === '--serve') {
  const { startFakeAnthropic } = await import('../test/support/fake-anthropic.js');
  const fake = await startFakeAnthropic();
  process.stdout.write(`${fake.url}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => void fake.close().then(() => process.exit(0)));
} else {
  await main();
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function main(): Promise<void> {
  const [calls = 2000, runs = 3] = process.argv.slice(2).map(Number);
  const server = spawn(process.execPath, ['--import', 'tsx', new URL(import.meta.url).pathname, '--serve'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve) => createInterface({ input: server.stdout! }).once('line', resolve));
  const directory = await mkdtemp(join(tmpdir(), 'anthrotrace-logging-overhead-'));
  const apiKey = 'sk-ant-bench';
  const params = { model: 'claude-haiku-4-5', max_tokens: 16, messages: [{ role: 'user' as const, content: 'Say hi' }] };

  const sdk = new Anthropic({ apiKey, baseURL: url });
  const pricer = await loadPriceTable();
  const repository = await openRepository({ kind: 'sqlite', path: join(directory, 'overhead.db') });
  const client = new AnthropicPromptClient({ repository, pricer, apiKey, baseURL: url, source: 'bench' });

  /** Milliseconds per call, one entry per call. */
  const timeCalls = async (count: number, call: () => Promise<unknown>, into: number[]) => {
    for (let i = 0; i < count; i++) {
      const started = performance.now();
      await call();
      into.push(performance.now() - started);
    }
  };
  const bareCall = () => sdk.messages.create(params);
  const clientCall = () => client.send({ model: params.model, maxTokens: params.max_tokens, prompt: 'Say hi' });

  // Warm up both paths: JIT, the connection pool and the SQLite page cache.
  await timeCalls(300, bareCall, []);
  await timeCalls(300, clientCall, []);

  const added: number[] = [];
  for (let run = 1; run <= runs; run++) {
    const bare: number[] = [];
    const logged: number[] = [];
    for (let done = 0; done < calls; done += BLOCK) {
      await timeCalls(Math.min(BLOCK, calls - done), bareCall, bare);
      await timeCalls(Math.min(BLOCK, calls - done), clientCall, logged);
    }
    const bareMedian = median(bare);
    const loggedMedian = median(logged);
    added.push(loggedMedian - bareMedian);
    console.log(
      `run ${run}: median per call bare SDK ${bareMedian.toFixed(3)} ms, client with SQLite ${loggedMedian.toFixed(3)} ms, ` +
        `added ${(loggedMedian - bareMedian).toFixed(3)} ms, ratio ${(loggedMedian / bareMedian).toFixed(2)}`,
    );
  }
  console.log(`median added time per call over ${runs} runs of ${calls} calls: ${median(added).toFixed(3)} ms`);

  await repository.close();
  server.stdin!.end();
  await rm(directory, { recursive: true, force: true });
}
