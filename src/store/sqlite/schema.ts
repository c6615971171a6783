/**
 * The SQLite schema and its migrations. `PRAGMA application_id` marks a file
 * as an AnthroTrace database and `PRAGMA user_version` is the schema version:
 * migration i takes a database from version i to version i + 1.
 *
 * Column units: times are INTEGER UTC epoch milliseconds, money is INTEGER
 * nano-dollars (NULL when the record is unpriced), tags are JSON object text.
 */
import type BetterSqlite3 from 'better-sqlite3';

/** "ATrc" in ASCII, stored in the database header at byte offset 68. */
export const APPLICATION_ID = 0x41547263;

/** Migration i takes the schema from version i to version i + 1; exported for tests that build old files. */
export const MIGRATIONS: readonly string[] = [
  // Version 0 to 1: the records table and its indexes.
  `
  CREATE TABLE records (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL,
    request_id TEXT,
    message_id TEXT,
    started_at_ms INTEGER NOT NULL,
    ingested_at_ms INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL,
    time_to_first_token_ms INTEGER,
    model_requested TEXT NOT NULL,
    model_served TEXT,
    model TEXT GENERATED ALWAYS AS (coalesce(model_served, model_requested)) VIRTUAL,
    category TEXT,
    tags TEXT NOT NULL DEFAULT '{}',
    source TEXT NOT NULL,
    status TEXT NOT NULL,
    error_type TEXT,
    http_status INTEGER,
    stop_reason TEXT,
    attempts INTEGER NOT NULL,
    input_tokens INTEGER NOT NULL,
    output_tokens INTEGER NOT NULL,
    cache_write_5m_tokens INTEGER NOT NULL,
    cache_write_1h_tokens INTEGER NOT NULL,
    cache_read_tokens INTEGER NOT NULL,
    web_search_requests INTEGER NOT NULL,
    service_tier TEXT,
    batch INTEGER NOT NULL,
    inference_geo TEXT,
    speed TEXT,
    cost_input_nanos INTEGER,
    cost_output_nanos INTEGER,
    cost_cache_write_5m_nanos INTEGER,
    cost_cache_write_1h_nanos INTEGER,
    cost_cache_read_nanos INTEGER,
    cost_web_search_nanos INTEGER,
    cost_total_nanos INTEGER,
    price_entry TEXT,
    prompt_hash TEXT,
    prompt_text TEXT,
    response_summary TEXT
  );
  CREATE UNIQUE INDEX records_id ON records (id);
  CREATE UNIQUE INDEX records_request_id ON records (request_id) WHERE request_id IS NOT NULL;
  CREATE INDEX records_started_at ON records (started_at_ms);
  CREATE INDEX records_model ON records (model, started_at_ms);
  CREATE INDEX records_category ON records (category, started_at_ms);
  CREATE INDEX records_ingested_at ON records (ingested_at_ms);
  `,
  // Version 1 to 2: an index in `topByCost` order over the priced records, so
  // the dearest calls are read without a pass over the range, and one on
  // source for the dashboard's scan of benchmark records. The cost index
  // leaves out the id, the last tie-break, so SQLite sorts the few rows of
  // equal cost and start time by id. With the id in the index, batch inserts
  // took 10 to 17% longer (100,000 records in batches of 500, 2-core machine).
  // NOTE: building these holds the write lock for 12 to 19 s on 10,000,000
  // records, so a writer that waits longer than its busy timeout fails.
  `
  CREATE INDEX records_cost ON records (cost_total_nanos DESC, started_at_ms DESC) WHERE cost_total_nanos IS NOT NULL;
  CREATE INDEX records_source ON records (source, started_at_ms);
  `,
];

/** The schema version this build writes and reads. */
export const SCHEMA_VERSION = MIGRATIONS.length;

export type SchemaState =
  | { kind: 'current' }
  | { kind: 'migrated'; from: number; to: number }
  | { kind: 'newer'; version: number };

/**
 * Bring the schema to `SCHEMA_VERSION` inside one `BEGIN IMMEDIATE`
 * transaction, so processes opening a new file at the same moment create it
 * once. The caller has checked that the file is empty or an AnthroTrace
 * database, and switches to WAL only after this returns: a new file therefore
 * has its application id in the main file before any WAL exists.
 */
export function migrate(db: BetterSqlite3.Database): SchemaState {
  const readVersion = () => Number(db.pragma('user_version', { simple: true }));
  if (readVersion() === SCHEMA_VERSION) return { kind: 'current' };

  const run = db.transaction((): SchemaState => {
    const from = readVersion();
    if (from === SCHEMA_VERSION) return { kind: 'current' };
    if (from > SCHEMA_VERSION) return { kind: 'newer', version: from };
    for (let version = from; version < SCHEMA_VERSION; version += 1) db.exec(MIGRATIONS[version]!);
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
    return { kind: 'migrated', from, to: SCHEMA_VERSION };
  });
  return run.immediate();
}
