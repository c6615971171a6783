/**
 * `anthrotrace import` into the ClickHouse store through the chDB test
 * endpoint, for several store batch sizes (`?batch_size=`).
 * Usage (after npm run build): node bench/clickhouse-import.mjs [COUNT] [BATCH_SIZES] [RUNS]
 * Defaults: 1,000,000 records, batch sizes 10000, 1 run each; prints the
 * median wall-clock time of each and records per second, start-up included.
 *
 * The input is minimal-form JSON lines, generated once into .bench-data/.
 * Each run imports into a new database, and the stored count (FINAL) is
 * checked against COUNT afterwards.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const count = Number(process.argv[2] ?? 1_000_000);
const batchSizes = (process.argv[3] ?? '10000').split(',').map(Number);
const runs = Number(process.argv[4] ?? 1);
const dataDirectory = join(process.cwd(), '.bench-data');
const input = join(dataDirectory, `clickhouse-import-${count}.jsonl`);
const MODELS = ['claude-sonnet-4-5', 'claude-haiku-4-5', 'claude-opus-4-1', 'claude-sonnet-4-20250514'];
const CATEGORIES = ['chat', 'search', 'summarise', 'eval', null];

async function generate() {
  mkdirSync(dataDirectory, { recursive: true });
  if (existsSync(input)) return;
  const out = createWriteStream(input);
  const start = Date.parse('2026-01-01T00:00:00Z');
  for (let index = 0; index < count; index += 1) {
    const line = {
      ts: new Date(start + index * 1_000).toISOString(),
      model: MODELS[index % MODELS.length],
      usage: { input_tokens: 100 + (index % 5000), output_tokens: 10 + (index % 700), cache_read_input_tokens: index % 3 === 0 ? 8000 : 0 },
      ...(CATEGORIES[index % 5] ? { category: CATEGORIES[index % 5] } : {}),
      tags: { team: `team-${index % 11}` },
      ...(index % 2 === 0 ? { request_id: `req_bench_${index}` } : {}),
    };
    if (!out.write(`${JSON.stringify(line)}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'close');
}

/** Starts the endpoint as a child process and resolves with it and its URL. */
async function startEndpoint(dataDir) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/clickhouse-local.ts', '--port', '0', '--data', dataDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let text = '';
  for await (const chunk of child.stdout) {
    text += chunk.toString();
    const match = /clickhouse-endpoint ready (\S+)/.exec(text);
    if (match) return { child, url: match[1] };
  }
  throw new Error('the endpoint exited before it was ready');
}

async function storedCount(url, database) {
  const query = `SELECT count() FROM ${database}.anthrotrace_records FINAL`;
  const response = await fetch(`${url}/?query=${encodeURIComponent(query)}`);
  return Number((await response.text()).trim());
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

await generate();
const work = mkdtempSync(join(tmpdir(), 'anthrotrace-bench-ch-'));
const { child, url } = await startEndpoint(join(work, 'chdb'));
try {
  let runNumber = 0;
  for (const batchSize of batchSizes) {
    const seconds = [];
    for (let run = 0; run < runs; run += 1) {
      runNumber += 1;
      const database = `bench_import_${runNumber}`;
      const store = `${url.replace('http:', 'clickhouse:')}/${database}?batch_size=${batchSize}&spool=${join(work, 'spool.db')}`;
      const started = process.hrtime.bigint();
      const result = spawnSync(process.execPath, ['bin/anthrotrace.js', '--store', store, '--quiet', 'import', input], { stdio: 'inherit' });
      if (result.status !== 0) throw new Error(`import exited with ${result.status}`);
      seconds.push(Number(process.hrtime.bigint() - started) / 1e9);
      const stored = await storedCount(url, database);
      if (stored !== count) throw new Error(`expected ${count} stored records, found ${stored}`);
    }
    const time = median(seconds);
    console.log(`batch_size=${batchSize}: median ${time.toFixed(2)} s over ${runs} run(s), ${Math.round(count / time).toLocaleString('en-US')} records/s`);
  }
} finally {
  child.kill('SIGTERM');
  await once(child, 'exit');
  rmSync(work, { recursive: true, force: true });
}
