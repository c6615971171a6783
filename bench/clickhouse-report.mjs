// `report --by day,model` over a large ClickHouse store, against the same SQL sent straight to the engine.
//
//   node bench/clickhouse-report.mjs fixture URL COUNT   fill database bench_report with COUNT records spread over 2025
//   node bench/clickhouse-report.mjs requests URL DIR    write the SQL the store sends, and variants, as curl inputs to DIR
//
// URL is the test endpoint (http://127.0.0.1:PORT). bench/clickhouse-report.sh times the CLI and the
// requests with hyperfine. The fixture is written by one INSERT … SELECT over numbers(COUNT) inside
// the engine, into the table the store itself created. Needs a built dist/.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClickHousePromptLogRepository } from '../dist/store/clickhouse/repository.js';
import { aggregateSql } from '../dist/store/clickhouse/sql.js';

const START_MS = Date.UTC(2025, 0, 1);
const END_MS = Date.UTC(2026, 0, 1);
const DAY_MS = 86_400_000;
const TABLE = 'bench_report.anthrotrace_records';

async function send(url, sql) {
  const response = await fetch(url, { method: 'POST', body: sql });
  const text = await response.text();
  if (!response.ok) throw new Error(text);
  return text;
}

async function buildFixture(url, count) {
  const repository = ClickHousePromptLogRepository.fromUrl(`${url.replace('http:', 'clickhouse:')}/bench_report`);
  await repository.init();
  await repository.close();
  const spacingMs = Math.floor((END_MS - START_MS) / count);
  const started = Date.now();
  await send(
    url,
    `INSERT INTO ${TABLE} (id, request_id, started_at, ingested_at, duration_ms, model, model_requested, model_served, category, tags,
       source, status, attempts, input_tokens, output_tokens, cache_read_tokens, batch, priced, cost_input_nanos, cost_output_nanos,
       cost_cache_read_nanos, cost_total_nanos, price_entry)
     SELECT concat('bench-', toString(number)), concat('req_bench_', toString(number)), t, t, 500 + number % 5000,
       model, model, model, [NULL, 'chat', 'search', 'eval'][number % 4 + 1], map('team', concat('team-', toString(number % 11))),
       'send', if(number % 20 = 0, 'error', 'ok'), 1, 100 + number % 5000, 10 + number % 700, if(number % 3 = 0, 8000, 0), false, true,
       (100 + number % 5000) * 3000, (10 + number % 700) * 15000, if(number % 3 = 0, 8000 * 300, 0),
       (100 + number % 5000) * 3000 + (10 + number % 700) * 15000 + if(number % 3 = 0, 8000 * 300, 0), 'bench'
     FROM (SELECT number, fromUnixTimestamp64Milli(toInt64(${START_MS} + number * ${spacingMs}), 'UTC') AS t,
       ['claude-sonnet-4-5-20250929', 'claude-haiku-4-5-20251001', 'claude-opus-4-1-20250805', 'claude-sonnet-4-20250514'][number % 4 + 1] AS model
       FROM numbers(${count}))`,
  );
  await send(url, `OPTIMIZE TABLE ${TABLE} FINAL`);
  console.log(`fixture: ${count} records in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** Query parameters encoded as @clickhouse/client encodes them: arrays as [a,b], numbers and strings as text. */
function urlFor(base, params) {
  const search = new URLSearchParams({ default_format: 'JSONEachRow', output_format_json_quote_64bit_integers: '1', do_not_merge_across_partitions_select_final: '1' });
  for (const [name, value] of Object.entries(params)) search.set(`param_${name}`, Array.isArray(value) ? `[${value.join(',')}]` : String(value));
  return `${base}/?${search}`;
}

function writeRequests(url, directory) {
  const boundaries = [];
  for (let ms = START_MS; ms <= END_MS; ms += DAY_MS) boundaries.push(ms);
  const request = { filter: { fromMs: START_MS, toMs: END_MS }, bucketBoundaries: boundaries, dimensions: ['model'] };
  const statement = aggregateSql(TABLE, request);
  const variants = {
    // What the store sends: FINAL collapses copies that merges have not removed yet.
    final: statement.sql,
    // No collapsing at all: the lower bound, and wrong when copies exist.
    plain: statement.sql.replace(' FINAL', ''),
    // Collapsing by hand: one row per id before grouping.
    'limit-by': statement.sql.replace(`FROM ${TABLE} FINAL`, `FROM (SELECT * FROM ${TABLE} LIMIT 1 BY id)`),
  };
  writeFileSync(join(directory, 'url.txt'), urlFor(url, statement.params));
  for (const [name, sql] of Object.entries(variants)) writeFileSync(join(directory, `${name}.sql`), sql);
  console.log(`requests written to ${directory}`);
}

const [mode, url, argument] = process.argv.slice(2);
if (mode === 'fixture') await buildFixture(url, Number(argument ?? 10_000_000));
else if (mode === 'requests') writeRequests(url, argument);
else {
  console.error('usage: node bench/clickhouse-report.mjs fixture URL COUNT | requests URL DIR');
  process.exit(2);
}
