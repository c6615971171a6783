import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from './support/run-cli.js';
import { storedRecords } from './support/stored-records.js';

const QUICKSTART = fileURLToPath(new URL('../fixtures/replay/quickstart.jsonl', import.meta.url));
const PROMPT = 'Write a haiku about exact accounting.';

let directory: string;
let testNumber = 0;

before(() => {
  directory = mkdtempSync(join(tmpdir(), 'anthrotrace-config-'));
});
after(() => rmSync(directory, { recursive: true, force: true }));

/** Create a fresh XDG_CONFIG_HOME holding `content` as the config file, and name a fresh store path. */
function setUp(content: string | null): { env: Record<string, string>; store: string } {
  testNumber += 1;
  const configHome = join(directory, `config-${testNumber}`);
  mkdirSync(join(configHome, 'anthrotrace'), { recursive: true });
  if (content !== null) writeFileSync(join(configHome, 'anthrotrace', 'config.json'), content);
  return { env: { XDG_CONFIG_HOME: configHome }, store: join(directory, `store-${testNumber}.db`) };
}


describe('config file and ANTHROTRACE_STORE_TEXT', () => {
  test('store_text false keeps text out of the log', async () => {
    const { env, store } = setUp('{"store_text": false}');
    const result = await runCli(['--store', store, 'send', '--replay', QUICKSTART, PROMPT], env);
    assert.equal(result.status, 0, result.stderr);
    const [record] = await storedRecords(store);
    assert.equal(record!.promptText, null);
    assert.equal(record!.responseSummary, null);
  });

  test('ANTHROTRACE_STORE_TEXT=true overrides the config file', async () => {
    const { env, store } = setUp('{"store_text": false}');
    const result = await runCli(['--store', store, 'send', '--replay', QUICKSTART, PROMPT], { ...env, ANTHROTRACE_STORE_TEXT: 'true' });
    assert.equal(result.status, 0, result.stderr);
    const [record] = await storedRecords(store);
    assert.equal(record!.promptText, PROMPT);
  });

  test('--no-store-text overrides ANTHROTRACE_STORE_TEXT=true', async () => {
    const { env, store } = setUp(null);
    const result = await runCli(['--store', store, 'send', '--replay', QUICKSTART, '--no-store-text', PROMPT], { ...env, ANTHROTRACE_STORE_TEXT: 'true' });
    assert.equal(result.status, 0, result.stderr);
    const [record] = await storedRecords(store);
    assert.equal(record!.promptText, null);
  });

  test('store in the config file is used without --store', async () => {
    const { env, store } = setUp('');
    writeFileSync(join(env.XDG_CONFIG_HOME!, 'anthrotrace', 'config.json'), JSON.stringify({ store }));
    const result = await runCli(['send', '--replay', QUICKSTART, PROMPT], env);
    assert.equal(result.status, 0, result.stderr);
    assert.equal((await storedRecords(store)).length, 1);
  });

  test('bench --no-store-text stores no prompt text', async () => {
    const { env, store } = setUp(null);
    const suite = fileURLToPath(new URL('../fixtures/bench/smoke.yaml', import.meta.url));
    const replay = fileURLToPath(new URL('../fixtures/replay/bench-smoke.jsonl', import.meta.url));
    const result = await runCli(['--store', store, 'bench', suite, '--replay', replay, '--no-store-text', '--format', 'json'], env);
    assert.equal(result.status, 0, result.stderr);
    const records = await storedRecords(store);
    assert.ok(records.length > 0);
    assert.ok(records.every((record) => record.promptText === null && record.responseSummary === null));
  });

  const invalid: [string, string, RegExp][] = [
    ['unknown field', '{"stor": "x.db"}', /unknown field "stor" in the config file .*allowed fields are store, pricing, store_text/],
    ['wrong type', '{"store_text": "no"}', /invalid "store_text" in the config file .*expected a boolean, got "no"/],
    ['invalid JSON', '{store_text: false', /invalid JSON in the config file/],
    ['not an object', '[]', /expected a JSON object/],
  ];
  for (const [name, content, message] of invalid) {
    test(`${name} in the config file exits 2`, async () => {
      const { env, store } = setUp(content);
      const result = await runCli(['--store', store, 'report'], env);
      assert.equal(result.status, 2);
      assert.match(result.stderr, message);
      assert.equal(result.stderr.trim().split('\n').length, 1);
    });
  }

  test('invalid ANTHROTRACE_STORE_TEXT exits 2', async () => {
    const { env, store } = setUp(null);
    const result = await runCli(['--store', store, 'send', '--replay', QUICKSTART, PROMPT], { ...env, ANTHROTRACE_STORE_TEXT: 'maybe' });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /invalid ANTHROTRACE_STORE_TEXT "maybe": use true or false/);
  });
});
