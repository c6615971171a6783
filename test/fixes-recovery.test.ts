import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { fallbackImportCommand, setFallbackStore } from '../src/client/fallback.js';
import type { Logger } from '../src/core/logger.js';
import { readBenchFiles } from '../src/dashboard/bench-sources.js';
import { startDashboard } from './support/dashboard-server.js';
import { startFakeAnthropic, type FakeAnthropic } from './support/fake-anthropic.js';
import { runCli } from './support/run-cli.js';

let directory: string;
let fake: FakeAnthropic;
let busy: Server;
let busyPort: number;
before(async () => {
  directory = await mkdtemp(join(tmpdir(), 'anthrotrace-fixes-recovery-'));
  fake = await startFakeAnthropic();
  busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  busyPort = (busy.address() as { port: number }).port;
});
after(async () => {
  await fake.close();
  await new Promise<void>((resolve) => busy.close(() => resolve()));
  await rm(directory, { recursive: true, force: true });
});

const liveEnv = () => ({ ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: fake.url, XDG_DATA_HOME: directory, XDG_CONFIG_HOME: directory });

describe('busy --metrics-port', () => {
  for (const command of ['send', 'bench'] as const) {
    test(`${command} exits 1 naming the flag, with 0 calls`, async () => {
      const suite = join(directory, 'metrics-suite.yaml');
      await writeFile(suite, 'cases:\n  - {name: a, model: claude-haiku-4-5, prompt: hi}\n');
      const before = fake.requests.length;
      const args = command === 'send' ? ['send', 'hi'] : ['bench', suite];
      const result = await runCli(['--store', join(directory, `${command}-metrics.db`), ...args, '--metrics-port', String(busyPort)], liveEnv());
      assert.equal(result.status, 1, result.stderr);
      assert.equal(fake.requests.length, before, 'no API call was made');
      assert.equal(
        result.stderr,
        `error: --metrics-port ${busyPort} is already in use on 127.0.0.1: pick another port, or --metrics-port 0 for a free one\n`,
      );
    });
  }
});

describe('dashboard failure log', () => {
  test('page load after 3 store failures logs no recovery', async () => {
    const store = join(directory, 'broken.db');
    await writeFile(store, 'not an SQLite database '.repeat(200));
    const dashboard = await startDashboard(store, [], { TZ: 'UTC' });
    try {
      for (let i = 0; i < 3; i++) assert.equal((await fetch(`${dashboard.url}api/changes`)).status, 500);
      const page = await fetch(dashboard.url);
      assert.equal(page.status, 200);
      await page.text();
      assert.equal((await fetch(`${dashboard.url}api/changes`)).status, 500);

      const lines = dashboard.stderr().split('\n');
      assert.equal(lines.filter((line) => line.includes('succeed again')).length, 0, dashboard.stderr());
      assert.equal(lines.filter((line) => line.startsWith('error: ')).length, 1, dashboard.stderr());
    } finally {
      await dashboard.stop();
    }
  });
});

describe('unsaved-records import hint', () => {
  test('names --store for a non-default SQLite store', async () => {
    const store = join(directory, 'team.db');
    const first = await runCli(['--store', store, 'send', 'hi'], liveEnv());
    assert.equal(first.status, 0, first.stderr);
    const db = new Database(store);
    db.exec("CREATE TRIGGER reject_insert BEFORE INSERT ON records BEGIN SELECT RAISE(ABORT, 'inserts blocked by the test'); END");
    db.close();

    const result = await runCli(['--store', store, 'send', 'hi'], liveEnv());
    assert.equal(result.status, 1, result.stderr);
    assert.ok(result.stderr.includes(`load it later with "anthrotrace --store ${store} import ${store}.unsaved.jsonl"`), result.stderr);
  });

  test('masks the ClickHouse password and quotes it', () => {
    const path = join(directory, 'unsaved-records.jsonl');
    setFallbackStore(path, 'clickhouse://ops:***@127.0.0.1:8123/anthrotrace');
    assert.equal(fallbackImportCommand(path), `anthrotrace --store 'clickhouse://ops:***@127.0.0.1:8123/anthrotrace' import ${path}`);
    setFallbackStore(path, null);
    assert.equal(fallbackImportCommand(path), `anthrotrace import ${path}`);
  });
});

describe('config file hints', () => {
  test('missing pricing file from config names the config file', async () => {
    const config = join(directory, 'pricing-config.json');
    await writeFile(config, JSON.stringify({ pricing: '/nonexistent-prices.json' }));
    const result = await runCli(['--store', join(directory, 'cost.db'), 'send', 'hi'], { ...liveEnv(), ANTHROTRACE_CONFIG: config });
    assert.equal(result.status, 2, result.stderr);
    assert.equal(result.stderr, `error: price file /nonexistent-prices.json not found: fix or remove "pricing" in the config file ${config}\n`);
  });

  test('config directory without ANTHROTRACE_CONFIG', async () => {
    const home = join(directory, 'xdg');
    await mkdir(join(home, 'anthrotrace', 'config.json'), { recursive: true });
    const result = await runCli(['send', 'hi'], { ...liveEnv(), XDG_CONFIG_HOME: home });
    assert.equal(result.status, 2, result.stderr);
    assert.match(result.stderr, /config\.json: it is a directory; make it a JSON file/);
    assert.doesNotMatch(result.stderr, /ANTHROTRACE_CONFIG/);
  });
});

describe('--bench-results with broken JSON', () => {
  test('warns on one short printable line', async () => {
    const results = join(directory, 'results');
    await mkdir(results);
    await writeFile(join(results, 'broken.json'), `{"kind": "x",\n\u0001 ${'text '.repeat(100)}\n`);
    const warnings: string[] = [];
    const logger = { debug() {}, info() {}, warn: (message: string) => warnings.push(message), error() {} } as unknown as Logger;

    const files = await readBenchFiles(results, logger);
    assert.equal(files.results.length, 0);
    assert.equal(warnings.length, 1);
    const [warning] = warnings;
    assert.doesNotMatch(warning!, /\n/);
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(warning!, /[\u0000-\u001f]/);
    assert.ok(warning!.length < 300, `${warning!.length} characters`);
    assert.match(warning!, /broken\.json: not valid JSON, starting "\{\\"kind\\": \\"x\\",\\n\\u0001 text/);
    assert.match(warning!, /fix the file or move it out of the --bench-results directory$/);
  });
});
