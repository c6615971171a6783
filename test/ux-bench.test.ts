import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { quoteExcerpt } from '../src/output/excerpt.js';
import { renderJunit } from '../src/bench/junit.js';
import { renderMarkdown } from '../src/bench/markdown.js';
import { renderTable } from '../src/bench/render.js';
import type { BenchResult, CaseResult } from '../src/bench/result.js';
import { startFakeAnthropic, type FakeAnthropic } from './support/fake-anthropic.js';
import { runCli } from './support/run-cli.js';

const directory = mkdtempSync(join(tmpdir(), 'anthrotrace-ux-bench-'));
let fake: FakeAnthropic;
before(async () => {
  fake = await startFakeAnthropic();
});
after(async () => {
  await fake.close();
  rmSync(directory, { recursive: true, force: true });
});

/** Build a case of six planned repetitions that stopped after two calls, both successful. */
function interruptedCase(): CaseResult {
  const count = (value: number) => ({ median: value, p90: value });
  return {
    name: 'long',
    model: 'claude-haiku-4-5',
    category: null,
    repetitions: 6,
    calls: 2,
    succeeded: 2,
    failed: 0,
    attempts: 2,
    errors: [],
    latencyMs: { mean: 800, median: 800, p90: 800, p99: 800, min: 800, max: 800 },
    inputTokens: count(10),
    outputTokens: count(20),
    cacheWriteTokens: count(0),
    cacheReadTokens: count(0),
    totalInputTokens: count(10),
    cost: { median: 1_000n, p90: 1_000n, total: 2_000n },
    unpricedCalls: 0,
  };
}

function interruptedResult(): BenchResult {
  return {
    suite: 'interrupted',
    suiteFile: 'interrupted.yaml',
    runId: 'run-1',
    commit: null,
    mode: 'live',
    concurrency: 2,
    startedAt: new Date('2026-01-01T00:00:00.000Z'),
    finishedAt: new Date('2026-01-01T00:00:05.000Z'),
    complete: false,
    cases: [interruptedCase()],
  };
}

describe('bench with an interrupted case of 2 of 6 calls', () => {
  it('table shows calls 2/6 and partial', () => {
    const table = renderTable(interruptedResult());
    assert.match(table, /│ long +│ claude-haiku-4-5 +│ 2\/6 +│/);
    assert.match(table, /│ partial +│/);
  });

  it('Markdown summary shows calls 2/6', () => {
    assert.match(renderMarkdown(interruptedResult()), /^\| long \| claude-haiku-4-5 \| 2\/6 \|/m);
  });

  it('JUnit marks the case skipped, not passed', () => {
    const xml = new XMLParser({ ignoreAttributes: false }).parse(renderJunit(interruptedResult()));
    const testcase = xml.testsuites.testsuite.testcase;
    assert.equal(xml.testsuites['@_skipped'], '1');
    assert.equal(testcase.skipped['@_message'], 'incomplete: 2 of 6 calls ran before the benchmark was interrupted');
    assert.equal(testcase.failure, undefined);
  });
});

describe('bench suite file errors', () => {
  it('binary suite quotes a short printable excerpt', async () => {
    const suite = join(directory, 'binary.yaml');
    writeFileSync(suite, randomBytes(16 * 1024));
    const result = await runCli(['bench', suite, '--replay', suite]);
    assert.equal(result.status, 2);
    assert.equal(result.stderr.split('\n').filter(Boolean).length, 1, result.stderr);
    assert.ok(result.stderr.length < 400, `stderr has ${result.stderr.length} characters`);
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(result.stderr.trimEnd(), /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\ufffd]/);
  });

  it('missing suite says not found and what to pass', async () => {
    const missing = join(directory, 'nonexist.yaml');
    const result = await runCli(['bench', missing]);
    assert.equal(result.status, 2);
    assert.equal(result.stderr, `error: suite file ${missing} not found: pass the path of a YAML or JSON suite, such as fixtures/bench/smoke.yaml\n`);
  });

  it('one-case suite logs 1 case and 1 call', async () => {
    const suite = join(directory, 'one.yaml');
    writeFileSync(suite, 'cases:\n  - {name: only, model: claude-haiku-4-5, prompt: hi, repetitions: 1}\n');
    const result = await runCli(['--store', join(directory, 'one.db'), 'bench', suite, '--format', 'json'], {
      ANTHROPIC_API_KEY: 'sk-ant-test',
      ANTHROPIC_BASE_URL: fake.url,
    });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /, 1 case, 1 call,/);
  });
});

describe('quoteExcerpt', () => {
  it('cuts at 60 characters and escapes controls', () => {
    assert.equal(quoteExcerpt('a'.repeat(60)), `"${'a'.repeat(60)}"`);
    assert.equal(quoteExcerpt('a'.repeat(61)), `"${'a'.repeat(60)}…"`);
    assert.equal(quoteExcerpt('x\u0000\u007f\ufffd'), '"x\\u0000\\u007f\\ufffd"');
  });
});
