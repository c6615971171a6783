import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { writeFileAtomic } from '../src/bench/outputs.js';
import { OperationError } from '../src/core/errors.js';
import { startFakeAnthropic, type FakeAnthropic } from './support/fake-anthropic.js';
import { runCli } from './support/run-cli.js';

let directory: string;
let fake: FakeAnthropic;
let suite: string;
before(async () => {
  directory = await mkdtemp(join(tmpdir(), 'anthrotrace-fixes-bench-'));
  fake = await startFakeAnthropic();
  suite = join(directory, 'suite.yaml');
  await writeFile(suite, 'cases:\n  - {name: greeting, model: claude-haiku-4-5, prompt: hi, repetitions: 2}\n');
});
after(async () => {
  await fake.close();
  await rm(directory, { recursive: true, force: true });
});

let runs = 0;
/** Run `anthrotrace --store FRESH bench ...args` against the fake API. */
function bench(args: string[], env: Record<string, string> = {}) {
  runs += 1;
  const store = join(directory, `store-${runs}.db`);
  return runCli(['--store', store, 'bench', ...args], {
    ANTHROPIC_API_KEY: 'sk-ant-test',
    ANTHROPIC_BASE_URL: fake.url,
    XDG_DATA_HOME: directory,
    ...env,
  });
}

/** Return a loopback port that refuses connections: a port that was free a moment ago. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('bench output paths checked before the first call', () => {
  const cases: Array<[string, (dir: string) => string, RegExp]> = [
    ['--junit', (dir) => join(dir, 'missing', 'j.xml'), /directory .*missing does not exist/],
    ['--markdown', (dir) => join(dir, 'suite.yaml', 'm.md'), /suite\.yaml is not a directory/],
    ['--output', (dir) => dir, /it is a directory/],
    ['--output', () => '', /invalid --output "": name the file to write/],
  ];
  for (const [flag, pathOf, reason] of cases) {
    test(`${flag} ${JSON.stringify(pathOf('DIR'))} exits 2 with 0 calls`, async () => {
      const before = fake.requests.length;
      const path = pathOf(directory);
      const result = await bench([suite, flag, path]);
      assert.equal(result.status, 2, result.stderr);
      assert.equal(fake.requests.length, before, 'no API call was made');
      assert.match(result.stderr, new RegExp(`^error: invalid ${flag} `));
      assert.ok(result.stderr.includes(path), result.stderr);
      assert.match(result.stderr, reason);
      assert.doesNotMatch(result.stderr, /\.tmp/);
    });
  }

  test('--update-baseline under a file exits 2 with 0 calls', async () => {
    const before = fake.requests.length;
    const baseline = join(directory, 'suite.yaml', 'b.json');
    const result = await bench([suite, '--baseline', baseline, '--update-baseline']);
    assert.equal(result.status, 2, result.stderr);
    assert.equal(fake.requests.length, before);
    assert.match(result.stderr, /^error: invalid --baseline .*suite\.yaml\/b\.json: .*suite\.yaml is not a directory/);
    assert.doesNotMatch(result.stderr, /write one with --update-baseline/);
  });

  test('--update-baseline writes a missing baseline', async () => {
    const baseline = join(directory, 'first-baseline.json');
    const result = await bench([suite, '--baseline', baseline, '--update-baseline']);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(JSON.parse(await readFile(baseline, 'utf8')).cases[0].name, 'greeting');
  });

  test('storage --output in missing directory exits 2', async () => {
    const output = join(directory, 'missing', 'storage.json');
    const result = await runCli(['bench', '--storage', 'sqlite', '--records', '10', '--output', output]);
    assert.equal(result.status, 2, result.stderr);
    assert.match(result.stderr, /^error: invalid --output .*missing\/storage\.json: directory .*missing does not exist/);
  });
});

describe('report --html path', () => {
  test('empty --html exits 2 naming the flag', async () => {
    const result = await runCli(['--store', join(directory, 'report.db'), 'report', '--html', '']);
    assert.equal(result.status, 2, result.stderr);
    assert.equal(result.stderr, 'error: invalid --html "": name the file to write\n');
  });

  test('directory --html exits 2 naming the path', async () => {
    const result = await runCli(['--store', join(directory, 'report.db'), 'report', '--html', directory]);
    assert.equal(result.status, 2, result.stderr);
    assert.equal(result.stderr, `error: invalid --html ${directory}: it is a directory; name a file to write\n`);
  });
});

describe('bench failed-call causes', () => {
  test('connection refused keeps class and message', async () => {
    const junit = join(directory, 'refused.xml');
    const url = `http://127.0.0.1:${await closedPort()}`;
    const result = await bench([suite, '--max-retries', '0', '--format', 'json', '--junit', junit], { ANTHROPIC_BASE_URL: url });
    assert.equal(result.status, 3, result.stderr);

    const cause = /APIConnectionError: Connection to 127\.0\.0\.1:\d+ failed/;
    assert.match(result.stderr, new RegExp(`error: case greeting failed every call \\(2\\): ${cause.source}`));
    const errors = JSON.parse(result.stdout).cases[0].errors as string[];
    assert.equal(errors.length, 1);
    assert.match(errors[0]!, cause);
    const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(await readFile(junit, 'utf8'));
    assert.match(xml.testsuites.testsuite.testcase.failure.message, new RegExp(`every call failed: ${cause.source}`));
  });

  test('API error message is one printable line', async () => {
    fake.setHandler(() => ({ type: 'error', status: 400, errorType: 'invalid_request_error', message: `bad\n\u0007request ${'x'.repeat(300)}` }));
    try {
      const result = await bench([suite, '--max-retries', '0', '--format', 'json']);
      assert.equal(result.status, 3, result.stderr);
      const [error] = JSON.parse(result.stdout).cases[0].errors as string[];
      assert.match(error!, /^invalid_request_error \(HTTP 400\): bad request x+…$/);
      assert.ok(error!.length < 160, `${error!.length} characters`);
    } finally {
      fake.setHandler(undefined);
    }
  });
});

describe('bench flag checks', () => {
  test('--dry-run without key says to set it', async () => {
    const result = await runCli(['bench', suite, '--dry-run']);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /missing ANTHROPIC_API_KEY: --dry-run calls the free count_tokens endpoint, which needs a key/);
    assert.doesNotMatch(result.stderr, /--replay/);
  });

  for (const [value, status] of [['256', 0], ['257', 2], ['99999999999999999999', 2], ['0', 2]] as const) {
    test(`--concurrency ${value} exits ${status}`, async () => {
      const result = await bench([suite, '--concurrency', value, '--dry-run']);
      assert.equal(result.status, status, result.stderr);
      if (status === 2) assert.match(result.stderr, /^error: invalid --concurrency "\d+": use a whole number/);
    });
  }

  test('--storage with a suite exits 2', async () => {
    const result = await runCli(['bench', suite, '--storage', 'sqlite']);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /^error: invalid suite .*suite\.yaml with --storage sqlite/);
  });

  test('--storage with suite flags exits 2 naming them', async () => {
    const result = await runCli(['bench', '--storage', 'sqlite', '--baseline', 'b.json', '--concurrency', '8', '--replay', 'r.jsonl']);
    assert.equal(result.status, 2);
    assert.equal(result.stderr, 'error: invalid --concurrency, --baseline, --replay with --storage sqlite: they apply to suite runs only; drop them\n');
  });
});

describe('bench --update-baseline with a regression', () => {
  test('logs accepted regressions as warnings, exits 0', async () => {
    const baseline = join(directory, 'regression-baseline.json');
    fake.setHandler(() => ({ type: 'reply', usage: { input_tokens: 10, output_tokens: 10 } }));
    try {
      assert.equal((await bench([suite, '--baseline', baseline, '--update-baseline'])).status, 0);
      fake.setHandler(() => ({ type: 'reply', usage: { input_tokens: 10, output_tokens: 500 } }));
      const gated = await bench([suite, '--baseline', baseline]);
      assert.equal(gated.status, 1, gated.stderr);
      assert.match(gated.stderr, /^error: regression: case "greeting": output tokens/m);

      const updated = await bench([suite, '--baseline', baseline, '--update-baseline']);
      assert.equal(updated.status, 0, updated.stderr);
      assert.match(updated.stderr, /^warning: accepted regression \(--update-baseline\): case "greeting": output tokens/m);
      assert.doesNotMatch(updated.stderr, /^error:/m);
    } finally {
      fake.setHandler(undefined);
    }
  });
});

describe('bench suite error positions', () => {
  test('unknown top-level field on line 2 reports :2', async () => {
    const file = join(directory, 'typo.yaml');
    await writeFile(file, 'name: typo\ndefualts:\n  model: claude-haiku-4-5\ncases:\n  - {name: a, model: claude-haiku-4-5, prompt: hi}\n');
    const result = await runCli(['bench', file, '--dry-run'], { ANTHROPIC_API_KEY: 'sk-ant-test' });
    assert.equal(result.status, 2);
    assert.match(result.stderr, new RegExp(`^error: invalid suite ${file}:2: unknown field defualts:`));
  });

  test('YAML error quotes without backslashes', async () => {
    const file = join(directory, 'quote.yaml');
    await writeFile(file, 'cases:\n  - {name: a, model: claude-haiku-4-5, prompt: "hi}\n');
    const result = await runCli(['bench', file, '--dry-run'], { ANTHROPIC_API_KEY: 'sk-ant-test' });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /Missing closing "quote/);
    assert.doesNotMatch(result.stderr, /\\"/);
  });
});

describe('writeFileAtomic failure', () => {
  test('names the label and path, not the temporary file', async () => {
    const path = join(directory, 'gone', 'j.xml');
    const error = await writeFileAtomic(path, '<x/>', '--junit').catch((thrown: Error) => thrown);
    assert.ok(error instanceof OperationError);
    assert.equal(error.message, `writing --junit ${path} failed: no such file or directory; check that the directory exists and is writable`);
    assert.equal(existsSync(join(directory, 'gone')), false);
  });
});
