// The ingest lags live apart from the metrics source so that the command
// line can show them in --help without loading prom-client at start-up.

/**
 * Records the store received less than this long ago are left for the next
 * refresh. A record that becomes visible after a refresh has passed its
 * ingestion time would be missed for good, so the lag must exceed the time
 * from the stamp to the commit that makes the record visible.
 *
 * SQLite stamps the time inside the write transaction, after BEGIN IMMEDIATE
 * has taken the write lock, so that gap is the duration of one insert
 * transaction. A reader whose read starts at time r with bound r - lag can
 * only miss a record whose commit came more than the lag after its stamp.
 * A single insert took at most 49 ms in the storage benchmark, and `import`
 * sizes its transactions to take about 0.5 s, so 2 seconds leaves a margin of
 * about 4 for a loaded machine.
 * NOTE: the bound assumes no write transaction runs longer than the lag, and
 * a wall-clock step backwards on the writer's machine can still hide a record.
 */
export const DEFAULT_INGEST_LAG_MS = 2_000;

/**
 * The ClickHouse store stamps a record when `insert()` receives it, before
 * the HTTP insert is sent and acknowledged, and the stamp and a reader's
 * clock can be on different machines. Its lag covers a slow insert and some
 * clock difference.
 * A writer also keeps records in its buffer for up to the store's
 * flush_interval_ms (1 s by default, 5 s at most) before it sends them, and
 * the lag covers that too.
 */
export const CLICKHOUSE_INGEST_LAG_MS = 10_000;
