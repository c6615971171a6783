/**
 * Harness overhead of `anthrotrace bench`: the same calls made through the
 * benchmark runner (AnthropicPromptClient, pricing, one SQLite insert per
 * call) and through the bare SDK, both at the same concurrency against the
 * loopback fake API, which replies at once. The fake API runs in a child process,
 * so it does not share the event loop with the code being measured.
 *
 * Usage: node --import tsx bench/harness-overhead.ts [CALLS=10000] [CONCURRENCY=32] [RUNS=5]
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Anthropic from '@anthropic-ai/sdk';
import { AnthropicPromptClient } from '../src/client/index.js';
import { clientBenchCall } from '../src/bench/client-call.js';
import { runBenchmark } from '../src/bench/runner.js';
import type { BenchCase } from '../src/bench/suite.js';
import { loadPriceTable } from '../src/pricing/table.js';
import { openRepository } from '../src/store/open.js';

if (process.argv[2] === '--serve') {
  const { startFakeAnthropic } = await import('../test/support/fake-anthropic.js');
  const fake = await startFakeAnthropic();
  process.stdout.write(`${fake.url}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => void fake.close().then(() => process.exit(0)));
} else {
  await main();
}

async function main(): Promise<void> {
  const [calls = 10_000, concurrency = 32, runs = 5] = process.argv.slice(2).map(Number);
  const server = spawn(process.execPath, ['--import', 'tsx', new URL(import.meta.url).pathname, '--serve'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve) => createInterface({ input: server.stdout! }).once('line', resolve));
  const directory = await mkdtemp(join(tmpdir(), 'anthrotrace-harness-'));
  const apiKey = 'sk-ant-bench';
  const benchCase: BenchCase = {
    name: 'overhead',
    model: 'claude-haiku-4-5',
    system: null,
    messages: [{ role: 'user', content: 'Say hi' }],
    maxTokens: 16,
    temperature: null,
    category: null,
    tags: {},
    repetitions: calls,
    line: 1,
  };

  const sdk = new Anthropic({ apiKey, baseURL: url });
  const bare = async (count: number) => {
    let next = 0;
    const worker = async () => {
      while (next++ < count) await sdk.messages.create({ model: benchCase.model, max_tokens: benchCase.maxTokens, messages: benchCase.messages });
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  };

  const pricer = await loadPriceTable();
  const harness = async (count: number, run: number) => {
    const repository = await openRepository({ kind: 'sqlite', path: join(directory, `run-${run}.db`) });
    const client = new AnthropicPromptClient({ repository, pricer, apiKey, baseURL: url, source: 'bench' });
    await runBenchmark({ suite: { name: 'overhead', file: 'overhead', cases: [{ ...benchCase, repetitions: count }] }, call: clientBenchCall(client), mode: 'live', concurrency });
    await repository.close();
  };

  // Wall time, and CPU time of this process (user + system), which the wait for the server cannot hide.
  const time = async (work: () => Promise<void>) => {
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    await work();
    const cpu = process.cpuUsage(cpuBefore);
    return { wallMs: performance.now() - started, cpuMs: (cpu.user + cpu.system) / 1000 };
  };

  await bare(500);
  await harness(500, -1);
  const bareRuns: { wallMs: number; cpuMs: number }[] = [];
  const harnessRuns: { wallMs: number; cpuMs: number }[] = [];
  for (let run = 0; run < runs; run++) {
    bareRuns.push(await time(() => bare(calls)));
    harnessRuns.push(await time(() => harness(calls, run)));
    const [b, h] = [bareRuns.at(-1)!, harnessRuns.at(-1)!];
    console.error(`run ${run + 1}: bare SDK ${b.wallMs.toFixed(0)} ms (CPU ${b.cpuMs.toFixed(0)} ms), harness ${h.wallMs.toFixed(0)} ms (CPU ${h.cpuMs.toFixed(0)} ms)`);
  }

  const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
  const wall = [median(bareRuns.map((run) => run.wallMs)), median(harnessRuns.map((run) => run.wallMs))] as const;
  const cpu = [median(bareRuns.map((run) => run.cpuMs)), median(harnessRuns.map((run) => run.cpuMs))] as const;
  console.log(`calls ${calls}, concurrency ${concurrency}, runs ${runs} (medians)`);
  console.log(`bare SDK: ${wall[0].toFixed(0)} ms, ${((calls * 1000) / wall[0]).toFixed(0)} calls/s, CPU ${(cpu[0] / calls).toFixed(3)} ms per call`);
  console.log(`harness:  ${wall[1].toFixed(0)} ms, ${((calls * 1000) / wall[1]).toFixed(0)} calls/s, CPU ${(cpu[1] / calls).toFixed(3)} ms per call`);
  console.log(`added per call: wall ${((wall[1] - wall[0]) / calls).toFixed(3)} ms, CPU ${((cpu[1] - cpu[0]) / calls).toFixed(3)} ms; wall ratio harness/bare ${(wall[1] / wall[0]).toFixed(2)}`);

  server.stdin!.end();
  await rm(directory, { recursive: true, force: true });
}
