import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { after, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { cardinalityRecords, makeRecord } from './support/metrics-records.js';
import { parseExposition, promtoolCheckMetrics, samplesOf, waitFor, type Sample } from './support/prometheus.js';
import { BINARY, insertRecords, startServeMetrics, temporaryStorePath, type ServeMetricsProcess } from './support/serve-metrics.js';

const running: ServeMetricsProcess[] = [];
async function serve(storePath: string, args: string[] = []): Promise<ServeMetricsProcess> {
  const server = await startServeMetrics(storePath, args);
  running.push(server);
  return server;
}
after(async () => {
  for (const server of running) await server.stop();
});

async function scrapeSamples(server: ServeMetricsProcess): Promise<Sample[]> {
  const { status, body } = await server.scrape();
  assert.equal(status, 200, body);
  return parseExposition(body);
}

const value = (samples: Sample[], name: string, labels: Record<string, string> = {}) => samplesOf(samples, name, labels)[0]?.text;

describe('serve-metrics', () => {
  test('1,000 stored users and prompts give 2 prompt series', async () => {
    const records = cardinalityRecords();
    const storePath = temporaryStorePath();
    await insertRecords(storePath, records);
    const server = await serve(storePath, ['--ingest-lag', '0s']);
    const { body, contentType } = await server.scrape();
    const samples = parseExposition(body);

    assert.equal(contentType, 'text/plain; version=0.0.4; charset=utf-8');
    assert.equal(samplesOf(samples, 'anthrotrace_prompt_total').length, 2);
    assert.equal(value(samples, 'anthrotrace_prompt_total', { model: 'claude-sonnet-4-5' }), '600');
    assert.equal(value(samples, 'anthrotrace_prompt_total', { model: 'claude-haiku-4-5' }), '400');
    assert.equal(value(samples, 'anthrotrace_prompt_tokens_total', { model: 'claude-sonnet-4-5', token_type: 'input' }), '60000');
    assert.equal(value(samples, 'anthrotrace_prompt_tokens_total', { model: 'claude-haiku-4-5', token_type: 'input' }), '40000');
    assert.equal(value(samples, 'anthrotrace_prompt_tokens_total', { model: 'claude-sonnet-4-5', token_type: 'output' }), '6000');
    assert.equal(value(samples, 'anthrotrace_prompt_tokens_total', { model: 'claude-haiku-4-5', token_type: 'output' }), '4000');
    assert.equal(value(samples, 'anthrotrace_prompt_cost_usd_total', { model: 'claude-sonnet-4-5' }), '0.27');
    assert.equal(value(samples, 'anthrotrace_prompt_cost_usd_total', { model: 'claude-haiku-4-5' }), '0.06');

    const forbidden = new Set(records.flatMap((record) => [record.tags.user_id!, record.promptText!, record.id, record.requestId!]));
    const leaked = samples.flatMap((sample) => Object.values(sample.labels)).filter((label) => forbidden.has(label));
    assert.deepEqual(leaked, []);

    const fewUsersStore = temporaryStorePath();
    await insertRecords(
      fewUsersStore,
      cardinalityRecords().map((record, index) => ({ ...record, tags: { user_id: `user-${index % 10}` } })),
    );
    const fewUsersServer = await serve(fewUsersStore, ['--ingest-lag', '0s']);
    assert.equal((await fewUsersServer.scrape()).body.split('\n').length, body.split('\n').length);
  });

  test('promtool check metrics reports nothing on /metrics', async () => {
    const storePath = temporaryStorePath();
    await insertRecords(storePath, [
      ...cardinalityRecords(),
      makeRecord({ category: null, status: 'error', source: 'bench' }),
      makeRecord({ model: 'claude-future-9', category: 'label "quoted" \\ back' }),
    ]);
    const server = await serve(storePath, ['--ingest-lag', '0s']);
    const { body } = await server.scrape();
    const result = await promtoolCheckMetrics(body);
    assert.equal(result.output, '');
    assert.equal(result.code, 0);
  });

  test('call stored with 3 attempts counts once at $0.002', async () => {
    const storePath = temporaryStorePath();
    await insertRecords(storePath, [makeRecord({ model: 'claude-haiku-4-5', inputTokens: 1000, outputTokens: 200, attempts: 3 })]);
    const samples = await scrapeSamples(await serve(storePath, ['--ingest-lag', '0s']));

    assert.equal(value(samples, 'anthrotrace_prompt_total'), '1');
    assert.equal(value(samples, 'anthrotrace_prompt_tokens_total', { token_type: 'input' }), '1000');
    assert.equal(value(samples, 'anthrotrace_prompt_cost_usd_total'), '0.002');
  });

  test('second scrape reads only the 5 new records', async () => {
    const storePath = temporaryStorePath();
    await insertRecords(storePath, cardinalityRecords());
    const server = await serve(storePath, ['--ingest-lag', '3s']);
    // The first read leaves out records stored in the last 3 seconds, so wait until all 1,000 are in.
    const first = await waitFor('the first 1,000 records', async () => {
      const samples = await scrapeSamples(server);
      return value(samples, 'anthrotrace_metrics_records_read_total') === '1000' ? samples : undefined;
    });
    assert.equal(value(first, 'anthrotrace_prompt_total', { model: 'claude-haiku-4-5' }), '400');

    await insertRecords(storePath, Array.from({ length: 5 }, () => makeRecord({ model: 'claude-haiku-4-5' })));
    const beforeLag = await scrapeSamples(server);
    assert.equal(value(beforeLag, 'anthrotrace_prompt_total', { model: 'claude-haiku-4-5' }), '400', 'records younger than --ingest-lag wait');

    const second = await waitFor('the 5 new records', async () => {
      const samples = await scrapeSamples(server);
      return value(samples, 'anthrotrace_prompt_total', { model: 'claude-haiku-4-5' }) === '405' ? samples : undefined;
    });
    assert.equal(value(second, 'anthrotrace_metrics_records_read_total'), '1005');
    assert.equal(value(second, 'anthrotrace_prompt_total', { model: 'claude-sonnet-4-5' }), '600');
    assert.equal(value(second, 'anthrotrace_prompt_cost_usd_total', { model: 'claude-haiku-4-5' }), '0.06075');
  });

  test('--category and --model also filter new records', async () => {
    const storePath = temporaryStorePath();
    const spec = (category: string, model: string) => makeRecord({ category, model });
    await insertRecords(storePath, [spec('chat', 'claude-haiku-4-5'), spec('chat', 'claude-sonnet-4-5'), spec('search', 'claude-haiku-4-5')]);
    const server = await serve(storePath, ['--ingest-lag', '0s', '--category', 'chat', '--model', 'claude-haiku-4-5']);
    const first = await scrapeSamples(server);
    assert.deepEqual(samplesOf(first, 'anthrotrace_prompt_total').map((sample) => [sample.labels.category, sample.labels.model, sample.text]), [['chat', 'claude-haiku-4-5', '1']]);

    await insertRecords(storePath, [spec('chat', 'claude-haiku-4-5'), spec('chat', 'claude-sonnet-4-5'), spec('search', 'claude-haiku-4-5')]);
    const second = await waitFor('the new chat record', async () => {
      const samples = await scrapeSamples(server);
      return value(samples, 'anthrotrace_prompt_total') === '2' ? samples : undefined;
    });

    assert.equal(samplesOf(second, 'anthrotrace_prompt_total').length, 1);
    assert.equal(value(second, 'anthrotrace_metrics_records_read_total'), '2');
  });

  test('restart over the same store never lowers a counter', async () => {
    const storePath = temporaryStorePath();
    await insertRecords(storePath, cardinalityRecords());
    const firstRun = await serve(storePath, ['--ingest-lag', '0s']);
    const before = await scrapeSamples(firstRun);
    assert.equal(await firstRun.stop('SIGTERM'), 0);

    await insertRecords(storePath, [makeRecord({ model: 'claude-sonnet-4-5', category: 'batch-eval' })]);
    const after = await scrapeSamples(await serve(storePath, ['--ingest-lag', '0s']));

    for (const sample of before.filter((candidate) => candidate.name.startsWith('anthrotrace_prompt_'))) {
      const later = samplesOf(after, sample.name, sample.labels)[0];
      assert.ok(later, `${sample.name} ${JSON.stringify(sample.labels)} is missing after the restart`);
      assert.ok(Number(later.text) >= Number(sample.text), `${sample.name} ${JSON.stringify(sample.labels)} fell from ${sample.text} to ${later.text}`);
    }
    assert.equal(value(after, 'anthrotrace_prompt_total', { model: 'claude-sonnet-4-5', category: 'batch-eval' }), '1');
  });

  test('store error answers 500 and the server keeps running', async () => {
    const storePath = temporaryStorePath();
    await insertRecords(storePath, [makeRecord()]);
    const server = await serve(storePath, ['--ingest-lag', '0s']);
    assert.equal((await server.scrape()).status, 200);

    const database = new Database(storePath);
    database.exec('DROP TABLE records');
    database.close();
    // Scrapes within a second of the last read reuse its totals, so wait for one that reads the store.
    const failed = await waitFor('a scrape that reads the dropped table', async () => {
      const scrape = await server.scrape();
      return scrape.status === 200 ? undefined : scrape;
    });

    assert.equal(failed.status, 500);
    assert.match(failed.body, /^error: .*records/);
    assert.match(server.stderr(), /error: scrape failed \(1 failed so far\): .*records/);
    const health = await fetch(new URL('/healthz', server.url));
    assert.equal(health.status, 200);
    assert.equal(await health.text(), 'ok\n');
  });

  test('SIGINT stops with exit code 0 and logs start and stop', async () => {
    const storePath = temporaryStorePath();
    await insertRecords(storePath, [makeRecord()]);
    const server = await serve(storePath);
    await server.scrape();

    assert.equal(await server.stop('SIGINT'), 0);
    assert.match(server.stderr(), /^serving metrics at http:\/\/127\.0\.0\.1:\d+\/metrics from .*store\.db/m);
    assert.match(server.stderr(), /stopped serving metrics at .* \(SIGINT received\); scrapes: 1 served, 0 failed/);
  });

  test('--duration 1s stops by itself with exit code 0', async () => {
    const storePath = temporaryStorePath();
    const server = await serve(storePath, ['--duration', '1s']);
    const code = await waitFor('serve-metrics to exit', async () => server.child.exitCode ?? undefined, 10_000);
    assert.equal(code, 0);
    assert.match(server.stderr(), /--duration reached/);
  });

  test('categories past --max-categories 2 fold into other with 1 warning', async () => {
    const storePath = temporaryStorePath();
    const categories = ['support', 'support', 'support', 'search', 'search', 'eval', 'draft', null];
    await insertRecords(storePath, categories.map((category) => makeRecord({ category })));
    const server = await serve(storePath, ['--ingest-lag', '0s', '--max-categories', '2']);
    const samples = await scrapeSamples(server);

    const byCategory = Object.fromEntries(samplesOf(samples, 'anthrotrace_prompt_total').map((sample) => [sample.labels.category, sample.text]));
    assert.deepEqual(byCategory, { support: '3', search: '2', other: '2', none: '1' });
    assert.equal(server.stderr().match(/^warning: /gm)?.length, 1);
    assert.match(server.stderr(), /more than 2 distinct category values: .* raise --max-categories/);
  });

  test('invalid --port 70000 exits with code 2', () => {
    const result = spawnSync(process.execPath, [BINARY, '--store', temporaryStorePath(), 'serve-metrics', '--port', '70000'], { encoding: 'utf8' });
    assert.equal(result.status, 2);
    assert.equal(result.stderr, 'error: invalid --port "70000": use a TCP port from 0 to 65535 (0 picks a free one)\n');
  });
});
