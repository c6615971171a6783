/**
 * `anthrotrace import` into a new SQLite store, against a plain better-sqlite3
 * prepared INSERT of the same rows in one transaction into the same schema.
 * Usage (after npm run build): node bench/import-sqlite.mjs [COUNT] [RUNS]
 * Defaults: 1,000,000 records, 3 runs; prints the median of each.
 *
 * The input is minimal-form JSON lines, generated once into .bench-data/.
 * The import time is wall-clock time of the spawned CLI, start-up included.
 * The baseline reads the imported rows back into memory first, then times
 * only the INSERT loop, with the same WAL and synchronous settings.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SQLiteRepository } from '../dist/store/sqlite/repository.js';

const count = Number(process.argv[2] ?? 1_000_000);
const runs = Number(process.argv[3] ?? 3);
const dataDirectory = join(process.cwd(), '.bench-data');
const input = join(dataDirectory, `import-${count}.jsonl`);
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
      usage: {
        input_tokens: 100 + (index % 5000),
        output_tokens: 10 + (index % 700),
        cache_creation_input_tokens: index % 7 === 0 ? 2000 : 0,
        cache_read_input_tokens: index % 3 === 0 ? 8000 : 0,
      },
      ...(CATEGORIES[index % 5] ? { category: CATEGORIES[index % 5] } : {}),
      tags: { team: `team-${index % 11}` },
      ...(index % 2 === 0 ? { request_id: `req_bench_${index}` } : {}),
    };
    if (!out.write(`${JSON.stringify(line)}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'close');
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function timeImport(store) {
  rmSync(store, { force: true });
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['bin/anthrotrace.js', '--store', store, '--quiet', 'import', input], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`import exited with ${result.status}`);
  return Number(process.hrtime.bigint() - started) / 1e9;
}

async function timeBaseline(rows, columns) {
  const store = join(dataDirectory, 'baseline.db');
  for (const suffix of ['', '-wal', '-shm']) rmSync(store + suffix, { force: true });
  const repository = new SQLiteRepository(store);
  await repository.init();
  await repository.close();

  const db = new Database(store);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const insert = db.prepare(`INSERT INTO records (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
  const started = process.hrtime.bigint();
  db.transaction(() => {
    for (const row of rows) insert.run(row);
  })();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  db.close();
  return seconds;
}

await generate();
const store = join(dataDirectory, 'import.db');
const importSeconds = [];
for (let run = 0; run < runs; run += 1) importSeconds.push(timeImport(store));

// The rows exactly as the import stored them, for the baseline.
const source = new Database(store, { readonly: true });
const columns = source.prepare('SELECT * FROM records LIMIT 1').columns().map((column) => column.name).filter((name) => name !== 'seq' && name !== 'model');
const rows = source.prepare(`SELECT ${columns.join(', ')} FROM records ORDER BY seq`).raw().all();
source.close();
if (rows.length !== count) throw new Error(`the import stored ${rows.length} rows, expected ${count}`);

const baselineSeconds = [];
for (let run = 0; run < runs; run += 1) baselineSeconds.push(await timeBaseline(rows, columns));

const importMedian = median(importSeconds);
const baselineMedian = median(baselineSeconds);
console.log(`records: ${count}, runs: ${runs}`);
console.log(`import:   median ${importMedian.toFixed(2)} s, ${Math.round(count / importMedian)} records/s (runs: ${importSeconds.map((s) => s.toFixed(2)).join(', ')})`);
console.log(`baseline: median ${baselineMedian.toFixed(2)} s, ${Math.round(count / baselineMedian)} records/s (runs: ${baselineSeconds.map((s) => s.toFixed(2)).join(', ')})`);
console.log(`import speed / baseline speed: ${(baselineMedian / importMedian).toFixed(2)}`);
