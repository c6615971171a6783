import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { XMLParser } from 'fast-xml-parser';
import { openRepository } from '../src/store/open.js';
import { startFakeAnthropic, type FakeAnthropic } from './support/fake-anthropic.js';
import { CLI_BINARY, type CliResult } from './support/run-cli.js';

const SMOKE_SUITE = 'fixtures/bench/smoke.yaml';
const SMOKE_REPLAY = 'fixtures/replay/bench-smoke.jsonl';
const SMOKE_BASELINE = 'fixtures/bench/smoke.baseline.json';

let directory: string;
let fake: FakeAnthropic;
before(async () => {
  directory = await mkdtemp(join(tmpdir(), 'anthrotrace-cli-bench-'));
  fake = await startFakeAnthropic();
});
after(async () => {
  await fake.close();
  await rm(directory, { recursive: true, force: true });
});

let runs = 0;
/** Start the built binary with a fresh store; the caller may signal the child before awaiting `done`. */
function startCli(args: string[], env: Record<string, string> = {}) {
  runs += 1;
  const child = spawn(process.execPath, [CLI_BINARY, '--store', join(directory, `store-${runs}.db`), ...args], {
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', XDG_DATA_HOME: directory, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') }));
  });
  return { child, done, store: join(directory, `store-${runs}.db`) };
}

const runCli = (args: string[], env: Record<string, string> = {}) => startCli(args, env).done;
const liveEnv = () => ({ ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: fake.url });
const smokeReplay = (...args: string[]) => runCli(['bench', SMOKE_SUITE, '--replay', SMOKE_REPLAY, ...args]);

describe('anthrotrace bench from the smoke replay', () => {
  test('runs offline without an API key and passes its baseline', async () => {
    const result = await smokeReplay('--baseline', SMOKE_BASELINE);
    assert.equal(result.status, 0, result.stderr);
    for (const name of ['greeting', 'summary', 'classify-ticket']) assert.match(result.stdout, new RegExp(name));
    assert.match(result.stdout, /no regression in 9 comparisons/);
  });

  test('--format json is the documented result with exact costs', async () => {
    const result = await smokeReplay('--format', 'json');
    assert.equal(result.status, 0, result.stderr);
    const json = JSON.parse(result.stdout);
    assert.equal(json.kind, 'anthrotrace-bench-result');
    assert.equal(json.schema_version, 1);
    assert.equal(json.mode, 'replay');
    assert.equal(json.complete, true);
    assert.deepEqual(json.cases.map((item: { name: string; calls: number }) => [item.name, item.calls]), [['greeting', 3], ['summary', 1], ['classify-ticket', 2]]);
    assert.deepEqual(json.cases.map((item: { model: string }) => item.model), ['claude-haiku-5-5', 'claude-haiku-5-5', 'claude-sonnet-5-5']);
    assert.equal(json.totals.calls, 6);
    assert.match(result.stdout, /"median": 0\.0000101,/);
  });

  test('--format csv has a header and one row per case', async () => {
    const result = await smokeReplay('--format', 'csv');
    assert.equal(result.status, 0, result.stderr);
    const rows = parseCsv(result.stdout, { columns: true }) as Record<string, string>[];
    assert.equal(rows.length, 3);
    assert.equal(rows[0]!.case, 'greeting');
    assert.equal(rows[0]!.calls, '3');
    assert.equal(rows[0]!.cost_usd_median, '0.0000101');
    assert.equal(rows[2]!.mode, 'replay');
  });

  test('writes junit, markdown, output, step summary', async () => {
    const junit = join(directory, 'smoke.xml');
    const markdown = join(directory, 'smoke.md');
    const output = join(directory, 'smoke.json');
    const summary = join(directory, 'step-summary.md');
    await writeFile(summary, '# earlier step\n');
    const result = await runCli(
      ['bench', SMOKE_SUITE, '--replay', SMOKE_REPLAY, '--baseline', SMOKE_BASELINE, '--junit', junit, '--markdown', markdown, '--output', output],
      { GITHUB_STEP_SUMMARY: summary },
    );
    assert.equal(result.status, 0, result.stderr);

    const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(await readFile(junit, 'utf8'));
    assert.equal(xml.testsuites.tests, '3');
    assert.equal(xml.testsuites.failures, '0');
    assert.equal(xml.testsuites.testsuite.name, 'smoke');
    assert.equal(xml.testsuites.testsuite.testcase.length, 3);
    assert.equal(xml.testsuites.testsuite.testcase[0].name, 'greeting');
    assert.equal(xml.testsuites.testsuite.testcase[0].failure, undefined);

    assert.match(await readFile(markdown, 'utf8'), /^## AnthroTrace benchmark: smoke\n\nNo regression against/);
    const summaryText = await readFile(summary, 'utf8');
    assert.match(summaryText, /^# earlier step\n## AnthroTrace benchmark: smoke/);
    assert.equal(JSON.parse(await readFile(output, 'utf8')).comparison.passed, true);
  });

  test('cheaper baseline exits 1 naming the case', async () => {
    const baseline = JSON.parse(await readFile(SMOKE_BASELINE, 'utf8'));
    // classify-ticket (claude-sonnet-5-5) costs $0.000246 per call, far above the default floor of $0.00001.
    baseline.cases[2].cost_usd.median = 0.00012;
    const cheaper = join(directory, 'cheaper.json');
    await writeFile(cheaper, JSON.stringify(baseline));
    const junit = join(directory, 'regressed.xml');
    const markdown = join(directory, 'regressed.md');

    const result = await smokeReplay('--baseline', cheaper, '--junit', junit, '--markdown', markdown);
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stderr, /regression: case "classify-ticket": cost per call \$0\.00012 -> \$0\.000246 \(\+105\.0%\)/);
    assert.match(await readFile(markdown, 'utf8'), /\| classify-ticket \| cost per call \| \$0\.00012 \| \$0\.000246 \| \+105\.0% \|/);
    const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(await readFile(junit, 'utf8'));
    assert.equal(xml.testsuites.failures, '1');
    assert.equal(xml.testsuites.testsuite.testcase[2].failure.type, 'regression');
    assert.equal(xml.testsuites.testsuite.testcase[0].failure, undefined);
  });

  test('new and missing cases exit 0', async () => {
    const baseline = JSON.parse(await readFile(SMOKE_BASELINE, 'utf8'));
    baseline.cases[1].name = 'retired-case';
    const renamed = join(directory, 'renamed.json');
    await writeFile(renamed, JSON.stringify(baseline));

    const result = await smokeReplay('--baseline', renamed);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /new case \(not in the baseline\): summary/);
    assert.match(result.stdout, /missing case \(in the baseline, not run\): retired-case/);
  });

  test('--update-baseline output passes next run', async () => {
    const fresh = join(directory, 'fresh-baseline.json');
    const first = await smokeReplay('--baseline', fresh, '--update-baseline');
    assert.equal(first.status, 0, first.stderr);
    assert.equal(JSON.parse(await readFile(fresh, 'utf8')).cases.length, 3);
    const second = await smokeReplay('--baseline', fresh);
    assert.equal(second.status, 0, second.stderr);
  });
});

describe('anthrotrace bench against the fake API', () => {
  test('--dry-run sends only 3 count_tokens requests', async () => {
    const before = fake.requests.length;
    const countsBefore = fake.countTokensCalls;
    const result = await runCli(['bench', SMOKE_SUITE, '--dry-run', '--format', 'json'], liveEnv());
    assert.equal(result.status, 0, result.stderr);
    const sent = fake.requests.slice(before);
    assert.equal(sent.length, 3);
    assert.ok(sent.every((request) => request.path === '/v1/messages/count_tokens'));
    assert.equal(fake.countTokensCalls - countsBefore, 3);
    const json = JSON.parse(result.stdout);
    assert.equal(json.mode, 'dry-run');
    assert.equal(json.cases[0].output_tokens.median, 0);
    assert.ok(json.cases[0].cost_usd.median > 0);
  });

  test('--var overrides the suite variable', async () => {
    const before = fake.requests.length;
    const result = await runCli(['bench', SMOKE_SUITE, '--dry-run', '--format', 'json', '--var', 'language=Klingon'], liveEnv());
    assert.equal(result.status, 0, result.stderr);
    const greeting = fake.requests.slice(before).find((request) => JSON.stringify(request.body).includes('Say hello'));
    assert.equal(greeting?.body.messages[0].content, 'Say hello in Klingon in five words or fewer.');
  });

  test('case failing every call exits 3', async () => {
    const suite = join(directory, 'failing.yaml');
    await writeFile(suite, 'cases:\n  - {name: gone, model: claude-gone, prompt: hi, repetitions: 2}\n  - {name: fine, model: claude-haiku-4-5, prompt: hi}\n');
    fake.setHandler((request) => (request.body?.model === 'claude-gone' ? { type: 'error', status: 404, errorType: 'not_found_error' } : undefined));
    const junit = join(directory, 'failing.xml');
    const result = await runCli(['bench', suite, '--format', 'json', '--max-retries', '0', '--junit', junit], liveEnv());
    fake.setHandler(undefined);

    assert.equal(result.status, 3, result.stderr);
    assert.match(result.stderr, /case gone failed every call \(2\): not_found_error \(HTTP 404\)/);
    const json = JSON.parse(result.stdout);
    assert.equal(json.cases[0].failed, 2);
    assert.equal(json.cases[1].succeeded, 1);
    const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(await readFile(junit, 'utf8'));
    assert.equal(xml.testsuites.failures, '1');
    assert.equal(xml.testsuites.testsuite.testcase[0].failure.type, 'failed');
    assert.equal(xml.testsuites.testsuite.testcase[1].failure, undefined);
  });

  test('SIGINT exits 130 with partial result', async () => {
    const slow = await startFakeAnthropic({ latencyMs: 400 });
    const suite = join(directory, 'long.yaml');
    const output = join(directory, 'partial.json');
    await writeFile(suite, 'cases:\n  - {name: long, model: claude-haiku-4-5, prompt: hi, repetitions: 20}\n');
    const run = startCli(['bench', suite, '--concurrency', '2', '--output', output, '--format', 'json'], {
      ANTHROPIC_API_KEY: 'sk-ant-test',
      ANTHROPIC_BASE_URL: slow.url,
    });
    try {
      while (slow.requests.length < 3) await new Promise((resolve) => setTimeout(resolve, 20));
      run.child.kill('SIGINT');
      const result = await run.done;

      assert.equal(result.status, 130, result.stderr);
      assert.match(result.stderr, /SIGINT: starting no new calls/);
      const partial = JSON.parse(await readFile(output, 'utf8'));
      assert.equal(partial.complete, false);
      const calls = partial.cases[0].calls as number;
      assert.ok(calls >= 3, `calls ${calls}`);
      assert.ok(calls < 20, `calls ${calls}`);
      assert.equal(slow.requests.length, calls, 'every request sent was waited for');

      const repository = await openRepository({ kind: 'sqlite', path: run.store });
      const stored = (await repository.stats()).records;
      await repository.close();
      assert.equal(stored, calls);
    } finally {
      await slow.close();
    }
  });

  test('live run without ANTHROPIC_API_KEY exits 2', async () => {
    const result = await runCli(['bench', SMOKE_SUITE]);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /^error: missing ANTHROPIC_API_KEY: set it to call the API, or pass --replay FILE/);
  });
});

describe('anthrotrace bench input errors', () => {
  test('invalid suite exits 2 naming file, line and field', async () => {
    const suite = join(directory, 'invalid.yaml');
    await writeFile(suite, 'cases:\n  - name: a\n    model: m\n    prompt: hi\n    repetitions: zero\n');
    const result = await runCli(['bench', suite, '--replay', SMOKE_REPLAY]);
    assert.equal(result.status, 2);
    assert.equal(result.stderr, `error: invalid suite ${suite}:5: cases[0].repetitions must be an integer from 1 to 1000, got "zero"\n`);
  });

  test('invalid threshold exits 2 before any call', async () => {
    const result = await smokeReplay('--max-cost-increase', 'lots');
    assert.equal(result.status, 2);
    assert.match(result.stderr, /invalid --max-cost-increase "lots"/);
  });

  test('missing baseline file exits 2 and names it', async () => {
    const result = await smokeReplay('--baseline', join(directory, 'nope.json'));
    assert.equal(result.status, 2);
    assert.match(result.stderr, /cannot read baseline .*nope\.json/);
  });

  test('storage benchmark of 500 sqlite records writes JSON', async () => {
    const result = await runCli(['bench', '--storage', 'sqlite', '--records', '500', '--format', 'json']);
    assert.equal(result.status, 0, result.stderr);
    const json = JSON.parse(result.stdout);
    assert.equal(json.kind, 'anthrotrace-storage-bench-result');
    assert.deepEqual(
      json.tasks.map((task: { name: string }) => task.name),
      ['insert 500 per batch', 'insert one by one', 'aggregate by day and model', 'aggregate by model'],
    );
    assert.ok(json.tasks.every((task: { operations_per_second: number }) => task.operations_per_second > 0));
    assert.equal(existsSync(join(directory, `store-${runs}.db`)), true);
  });
});
