import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseUsd, usdDecimal } from '../src/core/money.js';
import { ClickHousePromptLogRepository } from '../src/store/clickhouse/repository.js';
import { ClickHouseEndpointProcess } from './support/clickhouse-process.js';
import { startDashboard } from './support/dashboard-server.js';
import { parseExposition, samplesOf, waitFor, type Sample } from './support/prometheus.js';
import { sampleRecord } from './support/records.js';
import { runCli } from './support/run-cli.js';
import { startServeMetrics } from './support/serve-metrics.js';

// serve-metrics, dashboard and report --html over a ClickHouse store that `import` filled,
// checked against `report` and `query` over the same store. The server runs in Asia/Kolkata
// and the CLI in Los Angeles, so a time zone that leaked into a read would change the totals.
const MODELS = ['claude-sonnet-4-5', 'claude-haiku-4-5', 'claude-opus-4-1'];
const FIRST_COUNT = 30;
const SECOND_COUNT = 7;
const INGEST_LAG = '1s';

const directory = mkdtempSync(join(tmpdir(), 'anthrotrace-clickhouse-integration-'));
const env = { XDG_DATA_HOME: directory, TZ: 'America/Los_Angeles' };
let endpoint: ClickHouseEndpointProcess;
let store: string;

interface ModelTotals {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  costNanos: bigint;
}

/** Write `count` import lines (the short import form) numbered from `first`, with tokens that differ per line. */
function writeImportFile(name: string, first: number, count: number): string {
  const lines: string[] = [];
  for (let index = first; index < first + count; index += 1) {
    const startedAt = new Date(Date.UTC(2026, 10, 2, 8) + index * 61_000).toISOString();
    const usage = { input_tokens: 1_000 + index * 37, output_tokens: 100 + index * 11 };
    lines.push(JSON.stringify({ ts: startedAt, model: MODELS[index % MODELS.length], usage, request_id: `req_integration_${index}` }));
  }
  // One call of a model without a price: it counts in requests and tokens but not in cost.
  lines.push(JSON.stringify({ ts: new Date(Date.UTC(2026, 10, 2, 20) + first).toISOString(), model: 'claude-unpriced-9', usage: { input_tokens: 5, output_tokens: 1 }, request_id: `req_unpriced_${first}` }));
  const path = join(directory, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

async function cli(args: string[]): Promise<string> {
  const result = await runCli(['--store', store, ...args], env);
  assert.equal(result.status, 0, `anthrotrace ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

/**
 * Parse JSON output with every number kept as its exact text, so that USD
 * amounts such as 0.000000001 compare exactly. The pattern matches whole
 * strings first, so digits inside strings stay as they are.
 */
function parseExact<T>(json: string): T {
  return JSON.parse(json.replace(/"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g, (token) => (token.startsWith('"') ? token : `"${token}"`))) as T;
}

/** `report --format json` with every number as text (see `parseExact`). */
interface ReportJson {
  rows: { model: string; requests: string; input_tokens: string; output_tokens: string; cost_usd: string }[];
  totals: { requests: string; cost_usd: string };
}

async function report(extra: string[] = []): Promise<ReportJson> {
  return parseExact<ReportJson>(await cli(['report', '--by', 'model', '--format', 'json', ...extra]));
}

async function reportByModel(): Promise<Map<string, ModelTotals>> {
  const rows = (await report()).rows;
  return new Map(
    rows.map((row) => [
      row.model,
      { requests: Number(row.requests), inputTokens: Number(row.input_tokens), outputTokens: Number(row.output_tokens), costNanos: parseUsd(row.cost_usd) },
    ]),
  );
}

/** Sum an integer counter over every label set that includes `labels`. */
function countSum(samples: Sample[], name: string, labels: Record<string, string>): number {
  return samplesOf(samples, name, labels).reduce((sum, sample) => sum + Number(sample.text), 0);
}

/** Sum the cost counter of one model in nano-dollars, exactly. */
function costSum(samples: Sample[], model: string): bigint {
  return samplesOf(samples, 'anthrotrace_prompt_cost_usd_total', { model }).reduce((sum, sample) => sum + parseUsd(sample.text), 0n);
}

function metricsByModel(samples: Sample[]): Map<string, ModelTotals> {
  const models = new Set(samplesOf(samples, 'anthrotrace_prompt_total').map((sample) => sample.labels.model!));
  return new Map(
    [...models].map((model) => [
      model,
      {
        requests: countSum(samples, 'anthrotrace_prompt_total', { model }),
        inputTokens: countSum(samples, 'anthrotrace_prompt_tokens_total', { model, token_type: 'input' }),
        outputTokens: countSum(samples, 'anthrotrace_prompt_tokens_total', { model, token_type: 'output' }),
        costNanos: costSum(samples, model),
      },
    ]),
  );
}

/** Subtract `earlier` from `later` per model. */
function difference(later: Map<string, ModelTotals>, earlier: Map<string, ModelTotals>): Map<string, ModelTotals> {
  const zero: ModelTotals = { requests: 0, inputTokens: 0, outputTokens: 0, costNanos: 0n };
  return new Map(
    [...later].map(([model, totals]) => {
      const base = earlier.get(model) ?? zero;
      return [
        model,
        {
          requests: totals.requests - base.requests,
          inputTokens: totals.inputTokens - base.inputTokens,
          outputTokens: totals.outputTokens - base.outputTokens,
          costNanos: totals.costNanos - base.costNanos,
        },
      ];
    }),
  );
}

before(async () => {
  endpoint = await ClickHouseEndpointProcess.start({ tz: 'Asia/Kolkata' });
  store = endpoint.storeUrl('integration', `?spool=${join(directory, 'spool.db')}`);
  await cli(['import', writeImportFile('first.jsonl', 0, FIRST_COUNT)]);
});
after(async () => {
  await endpoint.dispose();
  rmSync(directory, { recursive: true, force: true });
});

/** A record from `query --format jsonl`, with every number as text. */
interface QueriedRecord {
  id: string;
  started_at: string;
  cost_usd: { total: string } | null;
}

/** Order like the dashboard's top calls: dearer first, then newer, then by id. */
function byCostDescending(a: QueriedRecord, b: QueriedRecord): number {
  const costA = parseUsd(a.cost_usd!.total);
  const costB = parseUsd(b.cost_usd!.total);
  if (costA !== costB) return costA > costB ? -1 : 1;
  if (a.started_at !== b.started_at) return a.started_at > b.started_at ? -1 : 1;
  return a.id < b.id ? -1 : 1;
}

describe('clickhouse store behind serve-metrics, dashboard and report --html', () => {
  it(`serve-metrics equals report, then grows by ${SECOND_COUNT + 1} records`, async () => {
    const server = await startServeMetrics(store, ['--ingest-lag', INGEST_LAG]);
    try {
      const scrapeWhenRead = (records: number): Promise<Sample[]> =>
        waitFor(`serve-metrics to have read ${records} records`, async () => {
          const { status, body } = await server.scrape();
          assert.equal(status, 200, body);
          const samples = parseExposition(body);
          const read = samplesOf(samples, 'anthrotrace_metrics_records_read_total')[0]?.text;
          return read === String(records) ? samples : undefined;
        });

      // Reads leave out records stored within the ingest lag, so each check waits until all are in.
      const firstCount = FIRST_COUNT + 1;
      const firstReport = await reportByModel();
      const first = metricsByModel(await scrapeWhenRead(firstCount));
      assert.deepEqual(first, firstReport);

      await cli(['import', writeImportFile('second.jsonl', FIRST_COUNT, SECOND_COUNT)]);
      const secondReport = await reportByModel();
      const second = metricsByModel(await scrapeWhenRead(firstCount + SECOND_COUNT + 1));
      assert.deepEqual(second, secondReport);

      const growth = difference(second, first);
      assert.deepEqual(growth, difference(secondReport, firstReport));
      assert.equal([...growth.values()].reduce((sum, totals) => sum + totals.requests, 0), SECOND_COUNT + 1);
    } finally {
      assert.equal(await server.stop('SIGINT'), 0, server.stderr());
    }
  });

  it('serve-metrics counts rows buffered for 1 s', async () => {
    // The store stamps a record when insert() receives it, then buffers it for up to flush_interval_ms
    // (1 s by default) before the INSERT. A 2 s ingest lag must still count it.
    const server = await startServeMetrics(store, ['--ingest-lag', '2s']);
    const writer = ClickHousePromptLogRepository.fromUrl(endpoint.storeUrl('integration', `?spool=${join(directory, 'writer-spool.db')}`));
    try {
      const stored = (await report()).totals.requests;
      const recordsRead = async (): Promise<string | undefined> => {
        const { status, body } = await server.scrape();
        assert.equal(status, 200, body);
        return samplesOf(parseExposition(body), 'anthrotrace_metrics_records_read_total')[0]?.text;
      };
      await waitFor(`serve-metrics to have read ${stored} records`, async () => ((await recordsRead()) === stored ? true : undefined));

      await writer.init();
      const buffered = [0, 1, 2].map((index) => sampleRecord({ id: `buffered-${index}`, requestId: `req_buffered_${index}` }));
      assert.deepEqual(await writer.insert(buffered), { inserted: 3, duplicates: 0 });
      assert.equal(await recordsRead(), stored, 'buffered rows are not in ClickHouse yet');

      // No flush() here: the writer's timer sends the rows while the scrapes move the ingestion bound forward.
      const expected = String(Number(stored) + buffered.length);
      await waitFor(`serve-metrics to read the ${buffered.length} buffered records`, async () => ((await recordsRead()) === expected ? true : undefined), 8_000);
    } finally {
      await writer.close();
      assert.equal(await server.stop('SIGINT'), 0, server.stderr());
    }
  });

  it('dashboard API equals report and query', async () => {
    const expected = await report();
    const queried = parseExact<QueriedRecord[]>(`[${(await cli(['query', '--format', 'jsonl'])).trim().split('\n').join(',')}]`);

    const dashboard = await startDashboard(store, [], env);
    try {
      const summaryResponse = await fetch(`${dashboard.url}api/summary`);
      assert.equal(summaryResponse.status, 200);
      const views = parseExact<{ summary: { totals: { requests: string; costUsd: string }; cost: { model: { key: string; costUsd: string[] }[] } } }>(
        await summaryResponse.text(),
      );
      assert.equal(views.summary.totals.requests, expected.totals.requests);
      assert.equal(views.summary.totals.costUsd, expected.totals.cost_usd);
      const costByModel = new Map(
        views.summary.cost.model.map((series) => [series.key, usdDecimal(series.costUsd.reduce((sum, cost) => sum + parseUsd(cost), 0n))]),
      );
      assert.deepEqual(costByModel, new Map(expected.rows.map((row) => [row.model, row.cost_usd])));

      const topResponse = await fetch(`${dashboard.url}api/top`);
      assert.equal(topResponse.status, 200);
      const top = parseExact<{ limit: string; rows: { id: string; costUsd: string }[] }>(await topResponse.text());
      const expectedTop = queried.filter((record) => record.cost_usd !== null).sort(byCostDescending).slice(0, Number(top.limit));
      assert.ok(expectedTop.length > 1, 'several priced calls to rank');
      assert.deepEqual(
        top.rows.map((row) => [row.id, row.costUsd]),
        expectedTop.map((record) => [record.id, record.cost_usd!.total]),
      );
    } finally {
      assert.equal(await dashboard.stop(), 0, dashboard.stderr());
    }
  });

  it('report --html writes a page with the total cost', async () => {
    const file = join(directory, 'report.html');
    const total = (await report(['--html', file])).totals.cost_usd;
    assert.ok(statSync(file).size > 0, 'the HTML file is empty');
    assert.ok(readFileSync(file, 'utf8').includes(total), `the HTML file lacks the total cost ${total}`);
  });
});
