/**
 * `anthrotrace import` into a new SQLite store, against a plain better-sqlite3
 * prepared INSERT of the same rows in one transaction into the same schema.
 * Usage (after npm run build): node bench/import-sqlite.mjs [COUNT] [RUNS]
 * Defaults: 1,000,000 records, 3 runs; prints the median of each.
 *
 * The input is minimal-form JSON lines, generated once into .bench-data/.
 * The import time is wall-clock time of the spawned CLI, start-up included.
 * The baseline reads the imported rows back into memory first, then times
 * only the INSERT loop, with the store's WAL, synchronous and cache settings.
 * Import and baseline runs alternate, so that both meet the same load from
 * other processes. CPU time (user + system) is printed too, because on a
 * shared machine it varies far less than wall-clock time.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SQLiteRepository } from '../dist/store/sqlite/repository.js';

const count = Number(process.argv[2] ?? 1_000_000);
const runs = Number(process.argv[3] ?? 3);
const dataDirectory = join(process.cwd(), '.bench-data');
const input = join(dataDirectory, `import-${count}.jsonl`);
const MODELS = ['claude-sonnet-4-5', 'claude-haiku-4-5', 'claude-opus-4-1', 'claude-sonnet-4-20250514'];
const CATEGORIES = ['chat', 'search', 'summarise', 'eval', null];
const loadBefore = loadavg().map((load) => load.toFixed(2)).join(' ');

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

/**
 * CPU seconds (user + system) of the waited-for children of this process,
 * from fields 16 and 17 of /proc/self/stat; null where there is no /proc.
 * NOTE: the fields count clock ticks, assumed to be 100 a second (USER_HZ on Linux x86-64).
 */
function childrenCpuSeconds() {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return null;
  }
}

function removeStore(store) {
  for (const suffix of ['', '-wal', '-shm']) rmSync(store + suffix, { force: true });
}

function timeImport(store) {
  removeStore(store);
  const cpuBefore = childrenCpuSeconds();
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['bin/anthrotrace.js', '--store', store, '--quiet', 'import', input], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`import exited with ${result.status}`);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpuAfter = childrenCpuSeconds();
  return { seconds, cpuSeconds: cpuBefore === null ? null : cpuAfter - cpuBefore };
}

async function timeBaseline(rows, columns) {
  const store = join(dataDirectory, 'baseline.db');
  removeStore(store);
  const repository = new SQLiteRepository(store);
  await repository.init();
  await repository.close();

  const db = new Database(store);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('cache_size = -65536');
  const insert = db.prepare(`INSERT INTO records (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  db.transaction(() => {
    for (const row of rows) insert.run(row);
  })();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  db.close();
  return { seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

/** Read the rows exactly as the import stored them, for the baseline. */
function readStoredRows(store) {
  const source = new Database(store, { readonly: true });
  const columns = source.prepare('SELECT * FROM records LIMIT 1').columns().map((column) => column.name).filter((name) => name !== 'seq' && name !== 'model');
  const rows = source.prepare(`SELECT ${columns.join(', ')} FROM records ORDER BY seq`).raw().all();
  source.close();
  if (rows.length !== count) throw new Error(`the import stored ${rows.length} rows, expected ${count}`);
  return { rows, columns };
}

function summarise(name, results) {
  const wall = median(results.map((result) => result.seconds));
  const cpu = results.some((result) => result.cpuSeconds === null) ? null : median(results.map((result) => result.cpuSeconds));
  const runs = results.map((result) => result.seconds.toFixed(2)).join(', ');
  const cpuText = cpu === null ? '' : `, CPU median ${cpu.toFixed(2)} s`;
  console.log(`${name} median ${wall.toFixed(2)} s, ${Math.round(count / wall)} records/s${cpuText} (runs: ${runs})`);
  return { wall, cpu };
}

await generate();
const store = join(dataDirectory, 'import.db');
const importResults = [timeImport(store)];
const { rows, columns } = readStoredRows(store);
const baselineResults = [await timeBaseline(rows, columns)];
for (let run = 1; run < runs; run += 1) {
  importResults.push(timeImport(store));
  baselineResults.push(await timeBaseline(rows, columns));
}

console.log(`records: ${count}, runs: ${runs}, load average before and after: ${loadBefore}, ${loadavg().map((load) => load.toFixed(2)).join(' ')}`);
const importMedian = summarise('import:  ', importResults);
const baselineMedian = summarise('baseline:', baselineResults);
console.log(`import speed / baseline speed: ${(baselineMedian.wall / importMedian.wall).toFixed(2)} by wall-clock time` +
  (importMedian.cpu === null ? '' : `, ${(baselineMedian.cpu / importMedian.cpu).toFixed(2)} by CPU time`));
