// `report --by day,model` over a large SQLite store, against the same grouping written by hand.
//
//   node bench/report-sqlite.mjs fixture PATH COUNT   build a store of COUNT records spread over 2025
//   node bench/report-sqlite.mjs baseline PATH        run the hand-written GROUP BY with better-sqlite3
//
// bench/report-sqlite.sh times both with hyperfine. The fixture is written inside SQLite by one
// INSERT … SELECT over a recursive sequence, with the secondary indexes built afterwards, so
// 10,000,000 records take minutes rather than the much longer insert path. Needs a built dist/.
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { SQLiteRepository } from '../dist/store/sqlite/repository.js';

const YEAR_MS = 365 * 86_400_000;
const START_MS = Date.UTC(2025, 0, 1);

async function buildFixture(path, count) {
  if (existsSync(path)) throw new Error(`${path} already exists; remove it first`);
  // The repository creates the real schema, so the benchmark reads what users' stores hold.
  const repository = new SQLiteRepository(path);
  await repository.init();
  await repository.close();

  const db = new Database(path);
  // The repository leaves the file in WAL mode, which must be left before the journal can be turned off.
  db.pragma('journal_mode = DELETE');
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  const indexes = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'records' AND sql IS NOT NULL").all();
  for (const index of indexes) db.exec(`DROP INDEX ${index.name}`);

  const spacingMs = Math.max(1, Math.floor(YEAR_MS / count));
  const started = Date.now();
  db.exec(`
    WITH RECURSIVE seq(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM seq WHERE n < ${count - 1})
    INSERT INTO records (id, request_id, started_at_ms, ingested_at_ms, duration_ms, model_requested, model_served,
      category, tags, source, status, attempts, input_tokens, output_tokens, cache_write_5m_tokens,
      cache_write_1h_tokens, cache_read_tokens, web_search_requests, batch, cost_input_nanos, cost_output_nanos,
      cost_cache_write_5m_nanos, cost_cache_write_1h_nanos, cost_cache_read_nanos, cost_web_search_nanos,
      cost_total_nanos, price_entry)
    SELECT 'bench-' || n, 'req_bench_' || n, ${START_MS} + n * ${spacingMs}, ${START_MS} + n * ${spacingMs}, 500 + n % 5000,
      m.model, m.model, CASE n % 4 WHEN 0 THEN 'chat' WHEN 1 THEN 'extract' WHEN 2 THEN 'eval' ELSE NULL END,
      '{"team":"t' || (n % 7) || '"}', 'send', CASE WHEN n % 50 = 0 THEN 'error' ELSE 'ok' END, 1,
      100 + n % 900, 10 + n % 290, 0, 0, CASE WHEN n % 3 = 0 THEN 1000 ELSE 0 END, 0, 0,
      (100 + n % 900) * 3000, (10 + n % 290) * 15000, 0, 0, CASE WHEN n % 3 = 0 THEN 300000 ELSE 0 END, 0,
      (100 + n % 900) * 3000 + (10 + n % 290) * 15000 + CASE WHEN n % 3 = 0 THEN 300000 ELSE 0 END, 'bench'
    FROM seq JOIN (SELECT 0 AS k, 'claude-sonnet-4-5-20250929' AS model UNION ALL SELECT 1, 'claude-haiku-4-5-20251001'
      UNION ALL SELECT 2, 'claude-opus-4-1-20250805' UNION ALL SELECT 3, 'claude-sonnet-4-20250514') m ON m.k = n % 4`);
  for (const index of indexes) db.exec(index.sql);
  db.exec('ANALYZE');
  db.close();
  console.error(`wrote ${count} records to ${path} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

// The grouping a person would write for UTC days; `report --tz UTC` must match its rows.
function runBaseline(path) {
  const db = new Database(path, { readonly: true });
  const rows = db
    .prepare(
      `SELECT started_at_ms / 86400000 AS day, model, count(*) AS requests, sum(cost_total_nanos IS NULL) AS unpriced,
         sum(input_tokens), sum(output_tokens), sum(cache_write_5m_tokens), sum(cache_write_1h_tokens),
         sum(cache_read_tokens), sum(web_search_requests), coalesce(sum(cost_total_nanos), 0) AS cost
       FROM records GROUP BY day, model ORDER BY day, model`,
    )
    .safeIntegers(true)
    .all();
  process.stdout.write(`${rows.length} rows\n`);
  db.close();
}

const [mode, path, countText] = process.argv.slice(2);
if (mode === 'fixture' && path && Number(countText) >= 1) await buildFixture(path, Number(countText));
else if (mode === 'baseline' && path) runBaseline(path);
else {
  console.error('usage: node bench/report-sqlite.mjs fixture PATH COUNT | baseline PATH');
  process.exit(2);
}
