import { strict as assert } from 'node:assert';
import { after, describe, test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PrometheusMetricsExporter, METRICS_DIMENSIONS } from '../src/metrics/exporter.js';
import { MetricsNotReadyError, startMetricsServer } from '../src/metrics/server.js';
import { StoreMetricsSource } from '../src/metrics/store-source.js';
import type { AggregateRequest, AggregateRow } from '../src/store/repository.js';
import { SQLiteRepository } from '../src/store/sqlite/repository.js';
import { randomRecords } from './support/records.js';

const directory = mkdtempSync(join(tmpdir(), 'anthrotrace-first-read-'));
after(() => rmSync(directory, { recursive: true, force: true }));

/** Calls `refresh` until it stops rejecting with `MetricsNotReadyError`. */
async function refreshUntilReady(source: StoreMetricsSource): Promise<void> {
  for (;;) {
    try {
      await source.refresh();
      return;
    } catch (error) {
      if (!(error instanceof MetricsNotReadyError)) throw error;
    }
  }
}

const rowKey = (row: AggregateRow) => JSON.stringify(row.dimensionValues);
const sortRows = (rows: AggregateRow[]) => [...rows].sort((a, b) => rowKey(a).localeCompare(rowKey(b)));

/** A SQLite store whose worker aggregation fails `failures` times, then waits until `release` is called. */
class GatedRepository extends SQLiteRepository {
  workerCalls = 0;
  failures = 0;
  private opened!: () => void;
  private readonly gate = new Promise<void>((resolve) => (this.opened = resolve));

  release(): void {
    this.opened();
  }

  override async aggregateOnWorker(request: AggregateRequest): Promise<AggregateRow[]> {
    this.workerCalls += 1;
    if (this.workerCalls <= this.failures) throw new Error('disk I/O error');
    await this.gate;
    return super.aggregateOnWorker(request);
  }
}

describe('serve-metrics first read', () => {
  test('worker aggregation equals aggregate over 300 records', async () => {
    const repository = new SQLiteRepository(join(directory, 'worker.db'));
    await repository.init();
    await repository.insert(randomRecords(300, { seed: 11 }));
    const request = { filter: { ingestedToMs: Date.now() + 1000 }, dimensions: METRICS_DIMENSIONS };
    const onWorker = await repository.aggregateOnWorker(request);
    assert.equal(onWorker.reduce((sum, row) => sum + row.requests, 0), 300);
    assert.deepEqual(sortRows(onWorker), sortRows(await repository.aggregate(request)));
    await repository.close();
  });

  test('scrape gets 503 while the first read runs, then 200', async () => {
    const repository = new GatedRepository(join(directory, 'gated.db'));
    await repository.init();
    await repository.insert(randomRecords(40, { seed: 12 }));
    const exporter = new PrometheusMetricsExporter();
    const source = new StoreMetricsSource(repository, exporter, { ingestLagMs: 0, firstReadWaitMs: 100 });
    const server = await startMetricsServer({ exporter, port: 0, host: '127.0.0.1', beforeScrape: () => source.refresh() });

    try {
      const firstRead = source.refresh();
      const waiting = await fetch(server.url);
      assert.equal(waiting.status, 503);
      assert.equal(waiting.headers.get('retry-after'), '5');
      assert.match(await waiting.text(), /^not ready: the first read of .*gated\.db has run for \d+ s and is not done yet\n$/);
      const health = await fetch(server.url.replace('/metrics', '/healthz'));
      assert.equal(health.status, 200);

      repository.release();
      await firstRead;
      const ready = await fetch(server.url);
      assert.equal(ready.status, 200);
      assert.match(await ready.text(), /^anthrotrace_prompt_total\{/m);
      assert.equal(repository.workerCalls, 1);
      assert.equal(source.recordsRead, 40);
      assert.deepEqual(server.counts(), { scrapes: 1, failures: 0, notReady: 1 });
    } finally {
      repository.release();
      await server.close();
      await repository.close();
    }
  });

  test('retried first read also gets 503', async () => {
    const repository = new GatedRepository(join(directory, 'retried.db'));
    repository.failures = 1;
    await repository.init();
    await repository.insert(randomRecords(10, { seed: 13 }));
    const exporter = new PrometheusMetricsExporter();
    const source = new StoreMetricsSource(repository, exporter, { ingestLagMs: 0, minReadIntervalMs: 0, firstReadWaitMs: 100 });
    const server = await startMetricsServer({ exporter, port: 0, host: '127.0.0.1', beforeScrape: () => source.refresh() });

    try {
      await assert.rejects(source.refresh(), /disk I\/O error/);
      const retrying = await fetch(server.url);
      assert.equal(retrying.status, 503);
      await retrying.text();
      assert.equal(repository.workerCalls, 2);

      repository.release();
      await refreshUntilReady(source);
      const ready = await fetch(server.url);
      assert.equal(ready.status, 200);
      await ready.text();
      assert.equal(source.recordsRead, 10);
    } finally {
      repository.release();
      await server.close();
      await repository.close();
    }
  });
});
